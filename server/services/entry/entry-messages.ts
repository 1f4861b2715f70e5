import type { QuestionnaireStatus, ResponseChannel, ResponseState } from '../../db/schema';
import { questionnaireStatusLabel } from './questionnaire-status-labels';

/** What the clerk, the supervisor and the administrator are told after each post-office entry action. */

export type KeyingOutcome =
  | { kind: 'recorded'; state: ResponseState; note: string | null; pass: 1 | 2 | null }
  | { kind: 'awaiting-second-pass' }
  | { kind: 'mismatch'; fields: number };

export function keyingMessage(code: string, unitName: string, outcome: KeyingOutcome): string {
  switch (outcome.kind) {
    case 'awaiting-second-pass':
      return `Đã lưu lần nhập 1 phiếu ${code} (${unitName}); chờ một người khác nhập lần 2 để đối chiếu.`;
    case 'mismatch':
      return `Đã lưu lần nhập 2 phiếu ${code} (${unitName}): ${outcome.fields} trường khác lần 1, chuyển giám sát đối chiếu.`;
    case 'recorded': {
      const matched = outcome.pass === 2 ? 'Hai lần nhập khớp; ' : '';
      if (outcome.state === 'counted') return `${matched}Đã lưu phiếu ${code} (${unitName}): được tính.`;
      if (outcome.state === 'review') return `${matched}Đã lưu phiếu ${code} (${unitName}), giữ lại để xem xét: ${outcome.note ?? ''}`;
      return `${matched}Đã lưu phiếu ${code} (${unitName}) nhưng không hợp lệ: ${outcome.note ?? ''}`;
    }
  }
}

export function settledMessage(fields: number, code: string, unitName: string, outcome: KeyingOutcome): string {
  return `Đã đối chiếu ${fields} trường. ${keyingMessage(code, unitName, outcome)}`;
}

/** Shown above a form being opened for keying when its paper answers will not simply count. */
export function openedFormWarning(code: string, status: QuestionnaireStatus, countedChannel: ResponseChannel | null): string | null {
  if (countedChannel) {
    return `Phiếu ${code} đã có câu trả lời được tính (${countedChannel === 'qr' ? 'qua QR' : countedChannel}); phiếu giấy này sẽ được giữ lại để xem xét`;
  }
  if (status === 'undeliverable' || status === 'refused') {
    return `Phiếu ${code} đang ở trạng thái "${questionnaireStatusLabel[status]}"; phiếu trả lời vẫn được nhận`;
  }
  return null;
}

export function noFormMessage(code: string, unitName: string, outcome: 'undeliverable' | 'refused', replacement: string | null): string {
  const what = `Phiếu ${code} (${unitName}): ${questionnaireStatusLabel[outcome]}.`;
  return replacement
    ? `${what} Đã phát hành phiếu dự phòng ${replacement} thay thế; phiếu này có trong danh sách cần in.`
    : `${what} Đơn vị ${unitName} đã hết phiếu dự phòng: không có phiếu thay thế.`;
}

export function doubleEntryMessage(on: boolean, recordedSinglePass: number): string {
  if (on) return 'Đã bật nhập hai lần: từ nay mỗi phiếu giấy cần hai lần nhập độc lập.';
  return `Đã tắt nhập hai lần${recordedSinglePass > 0 ? `; ${recordedSinglePass} phiếu đã nhập một lần được ghi nhận` : ''}.`;
}
