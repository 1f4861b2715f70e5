import { criterionCodes, type Questionnaire } from '../../analysis/questionnaire';
import type { FieldProblem } from '../errors';
import type { ResponseContent } from './response-content';

/**
 * The post office's channel: a paper form keyed on the entry page, digits per item. Turns the
 * posted fields into the response shape every channel produces.
 */

/** What a keyed form holds, with option numbers turned into the questionnaire's codes. */
export type KeyedForm = ResponseContent;

export type FormBody = Record<string, string | string[]>;

function firstValue(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value ?? '').normalize('NFC').trim();
}

function listValue(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => v.trim()).filter((v) => v !== '');
}

/**
 * Reads the entry form: criteria as 1–5 or 0/empty for blank, profile items as option numbers
 * (1..k, 0/empty for blank), the comment as text. Every problem names its item by its field;
 * the messages do not repeat the item's wording, which the page shows next to them.
 */
export function readKeyedForm(questionnaire: Questionnaire, body: FormBody): { form: KeyedForm; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const answers: Record<string, number | null> = {};
  for (const code of criterionCodes(questionnaire)) {
    const raw = firstValue(body[code]);
    if (raw === '' || raw === '0') answers[code] = null;
    else if (/^[1-5]$/.test(raw)) answers[code] = Number(raw);
    else problems.push({ field: code, message: `"${raw}" không hợp lệ: chỉ nhận 1–5, hoặc 0 / để trống nếu không ý kiến` });
  }
  const profile: Record<string, string | string[] | null> = {};
  for (const item of questionnaire.profile) {
    const raws = item.kind === 'multi' ? listValue(body[item.code]) : [firstValue(body[item.code])].filter((v) => v !== '' && v !== '0');
    const chosen: string[] = [];
    for (const raw of raws) {
      const number = /^\d+$/.test(raw) ? Number(raw) : NaN;
      const option = item.options[number - 1];
      if (!option) problems.push({ field: item.code, message: `"${raw}" không có: chọn 1–${item.options.length}${item.kind === 'single' ? ', hoặc 0 để trống' : ''}` });
      else chosen.push(option.code);
    }
    if (chosen.length > 0) profile[item.code] = item.kind === 'multi' ? chosen : chosen[0];
  }
  // Browsers send a textarea's line breaks as CRLF but count them as one character against its
  // maxlength: read them as one, so a comment the page took is not refused as too long.
  const comment = firstValue(body[questionnaire.comment.code]).replace(/\r\n?/g, '\n') || null;
  return { form: { answers, profile, comment }, problems };
}

