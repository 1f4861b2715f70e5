import type { QuestionnaireStatus } from '../../db/schema';

/** How a questionnaire's status is named to staff, in messages and on pages. */
export const questionnaireStatusLabel: Record<QuestionnaireStatus, string> = {
  drawn: 'chưa phát',
  dispatched: 'đã phát',
  undeliverable: 'không phát được',
  refused: 'từ chối',
  'returned-paper': 'đã nhận phiếu giấy',
  'answered-qr': 'đã trả lời qua QR',
  invalid: 'không hợp lệ',
  replaced: 'đã được thay thế',
};
