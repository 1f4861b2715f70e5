import type { Questionnaire } from '../../../analysis/questionnaire';
import type { QuestionnaireStatus, ResponseChannel, ResponseState } from '../../db/schema';
import { UserError, type FieldProblem } from '../../errors';
import { questionnaireStatusLabel } from './questionnaire-status-labels';

/** What the clerk, the supervisor and the administrator are told after each post-office entry action. */

/** A problem with one field of a keyed form, with the field named as the clerk sees it. */
export interface LabelledProblem extends FieldProblem {
  label: string;
}

/**
 * How a field of the keyed form is named to a clerk: a criterion by the code printed next to it
 * on the paper form and its wording, the other items by their wording, never by internal keys.
 */
export function fieldLabel(questionnaire: Questionnaire, field: string): string {
  for (const element of questionnaire.elements) {
    const criterion = element.criteria.find((c) => c.code === field);
    if (criterion) return `${criterion.code}. ${criterion.label}`;
  }
  const item = questionnaire.profile.find((p) => p.code === field);
  if (item) return item.label;
  if (field === questionnaire.comment.code) return questionnaire.comment.label;
  // A field the page never sends (a hand-made request): its name is all there is.
  return field;
}

export function labelledProblems(questionnaire: Questionnaire, problems: FieldProblem[]): LabelledProblem[] {
  return problems.map((p) => ({ ...p, label: fieldLabel(questionnaire, p.field) }));
}

/**
 * A keyed form (or a supervisor's settlement) refused for its fields: each problem listed with
 * its item's label, and kept by field so the page shows it at the item.
 */
export function keyedFormRefusal(questionnaire: Questionnaire, problems: FieldProblem[], what: 'save' | 'settle'): UserError {
  const lines = labelledProblems(questionnaire, problems).map((p) => `${p.label}: ${p.message}`);
  const head = what === 'save' ? 'Chưa lưu phiếu' : 'Chưa đối chiếu xong';
  const kept = what === 'save' ? ' (những câu đã nhập vẫn giữ nguyên)' : '';
  return new UserError(`${head}: ${problems.length} câu cần sửa${kept}`, 400, lines, problems);
}

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

/** The confirmation asked before marking: the code and the unit, and what the marking does. */
export function noFormQuestion(code: string, unitName: string, outcome: 'undeliverable' | 'refused'): string {
  return `Đánh dấu phiếu ${code} (${unitName}) là "${questionnaireStatusLabel[outcome]}"? Phiếu dự phòng kế tiếp của đơn vị (nếu còn) sẽ được phát hành để in thay thế.`;
}

export function noFormMessage(code: string, unitName: string, outcome: 'undeliverable' | 'refused', replacement: string | null): string {
  const what = `Đã đánh dấu phiếu ${code} (${unitName}): ${questionnaireStatusLabel[outcome]}.`;
  return replacement
    ? `${what} Đã phát hành phiếu dự phòng ${replacement} thay thế; phiếu này có trong danh sách cần in.`
    : `${what} Đơn vị ${unitName} đã hết phiếu dự phòng: không có phiếu thay thế.`;
}

export function undoneMessage(code: string, unitName: string, restored: QuestionnaireStatus, withdrawn: string | null): string {
  const back = `Đã hoàn tác: phiếu ${code} (${unitName}) trở lại trạng thái "${questionnaireStatusLabel[restored]}".`;
  return withdrawn ? `${back} Phiếu dự phòng ${withdrawn} chưa gửi đã được thu hồi.` : back;
}

/** Why a marking cannot be undone: the reserve released in its place may already be in someone's hands. */
export function undoRefusedMessage(
  code: string,
  outcome: 'undeliverable' | 'refused',
  replacement: { code: string; status: QuestionnaireStatus; answered: boolean },
): string {
  const why = replacement.answered
    ? 'đã có phiếu trả lời'
    : replacement.status === 'dispatched'
      ? 'đã được gửi đi'
      : `đang ở trạng thái "${questionnaireStatusLabel[replacement.status]}"`;
  return (
    `Không hoàn tác được: phiếu dự phòng ${replacement.code} phát hành thay phiếu ${code} ${why}, nên không thu hồi được. ` +
    `Phiếu ${code} giữ trạng thái "${questionnaireStatusLabel[outcome]}"; nếu người được khảo sát vẫn gửi phiếu trả lời, phiếu đó vẫn được nhận.`
  );
}

export function doubleEntryMessage(on: boolean, recordedSinglePass: number): string {
  if (on) return 'Đã bật nhập hai lần: từ nay mỗi phiếu giấy cần hai lần nhập độc lập.';
  return `Đã tắt nhập hai lần${recordedSinglePass > 0 ? `; ${recordedSinglePass} phiếu đã nhập một lần được ghi nhận` : ''}.`;
}
