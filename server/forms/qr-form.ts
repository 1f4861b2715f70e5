import { criterionCodes, type Questionnaire } from '../../analysis/questionnaire';
import type { FieldProblem } from '../errors';
import type { ResponseContent } from './response-content';

/**
 * The citizen's channel: the QR form as posted (radio values 1–5 or 0 for "no answer", option
 * codes, the comment's text). Turns it into the response shape every channel produces; what the
 * shared rules check (option codes, limits, comment length) is left to checkResponse.
 */

export type QrFormValues = Record<string, string | string[]>;

export function readQrForm(questionnaire: Questionnaire, form: QrFormValues): { content: ResponseContent; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const answers: Record<string, number | null> = {};
  for (const code of criterionCodes(questionnaire)) {
    const raw = form[code];
    if (raw === undefined || raw === '' || raw === '0') answers[code] = null;
    else if (typeof raw === 'string' && raw.length === 1 && raw >= '1' && raw <= '5') answers[code] = raw.charCodeAt(0) - 48;
    else problems.push({ field: code, message: `xin chọn một mức từ 1 đến 5 hoặc «${questionnaire.noOpinionLabel}»` });
  }
  const profile: Record<string, string | string[] | null> = {};
  for (const item of questionnaire.profile) {
    const raw = form[item.code];
    if (raw === undefined || raw === '') continue;
    profile[item.code] = item.kind === 'multi' ? (Array.isArray(raw) ? raw : [raw]) : raw;
  }
  const comment = form[questionnaire.comment.code];
  return { content: { answers, profile, comment: typeof comment === 'string' ? comment : null }, problems };
}
