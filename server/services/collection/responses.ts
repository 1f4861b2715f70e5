import { criterionCodes, type Questionnaire } from '../../../analysis/questionnaire';
import type { Executor, QuestionnaireStatus, ResponseChannel, ResponseState } from '../../db/schema';
import { invalidFields, UserError, type FieldProblem } from '../../errors';
import type { ResponseContent } from '../../forms/response-content';

export type { ResponseContent };
import { lockQuestionnaire, setQuestionnaireStatus, type CollectionQuestionnaire } from '../../repositories/collection';
import { insertFirstCountedResponse, insertResponse, listQuestionnaireResponses, type KeptResponse } from '../../repositories/responses';
import type { Wave, WaveSettings } from '../../repositories/waves';
import { requireQuestionnaire } from '../waves/wave-questionnaire';
import { assertAllowed, waveFor } from '../waves/wave-policy';

/**
 * The rules every channel follows when it records a response (QR form, post-office entry, CSV
 * import), SIPAS.md section 8:
 * - answers only for the questionnaire's criteria, 1–5 or blank; profile codes from its lists;
 * - fewer answered criteria than the wave's `validity.minAnsweredShare` → kept as 'invalid';
 * - one response per questionnaire: the first valid one is 'counted', any later one is kept
 *   as 'review' with a note, never dropped or overwritten;
 * - a closed wave takes no more responses (wave-policy 'record-response').
 */

export interface ResponseInput extends ResponseContent {
  waveYear: number;
  /** null for anonymous bulk imports that only name a unit. */
  questionnaireId: number | null;
  unitCode: string;
  channel: ResponseChannel;
  /** Account that keyed or imported it; null for a citizen's own QR submission. */
  enteredBy: string | null;
}

export interface RecordedResponse {
  responseId: number;
  state: ResponseState;
  /** Why the response is not counted ('review' or 'invalid'); null when counted. */
  note: string | null;
  /** The questionnaire's status afterwards; null for anonymous imports. */
  questionnaireStatus: QuestionnaireStatus | null;
  /** True when the same response was already stored for the questionnaire: nothing new was written, `responseId` is the earlier one. */
  repeated: boolean;
}

/**
 * Responses kept for review or as invalid per questionnaire. A questionnaire is one person's:
 * a QR answer plus a returned paper form, or a second try, make a few; beyond this it is a
 * script posting to one token, and storing each would let it fill the database.
 */
export const MAX_UNCOUNTED_PER_QUESTIONNAIRE = 5;

/** Whether a new response says exactly what a stored one says, through the same channel (choices in any order). */
function sameResponse(kept: KeptResponse, channel: ResponseChannel, clean: CleanResponse): boolean {
  const canonical = (values: Record<string, unknown>) =>
    JSON.stringify(
      Object.entries(values)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, Array.isArray(v) ? [...v].sort() : v])
        .sort(([a], [b]) => (String(a) < String(b) ? -1 : 1)),
    );
  return (
    kept.channel === channel &&
    (kept.comment ?? null) === (clean.comment ?? null) &&
    canonical(kept.answers) === canonical(clean.answers) &&
    canonical(kept.profile) === canonical(clean.profile)
  );
}

const choiceItemsByQuestionnaire = new WeakMap<Questionnaire, Map<string, Questionnaire['profile'][number]>>();

/** The profile items by code, worked out once per loaded questionnaire like criterionCodes. */
function choiceItemsOf(questionnaire: Questionnaire): Map<string, Questionnaire['profile'][number]> {
  let items = choiceItemsByQuestionnaire.get(questionnaire);
  if (!items) choiceItemsByQuestionnaire.set(questionnaire, (items = new Map(questionnaire.profile.map((p) => [p.code, p]))));
  return items;
}

export interface CleanResponse extends ResponseContent {
  /** Every criterion of the questionnaire, blanks as null. */
  answers: Record<string, number | null>;
  answered: number;
  valid: boolean;
}

/**
 * Checks answers, profile and comment against the questionnaire and applies the validity rule.
 * Pure, so a whole import file is checked before anything is written.
 */
export function checkResponse(
  questionnaire: Questionnaire,
  settings: Pick<WaveSettings, 'validity'>,
  input: ResponseContent,
): { ok: true; response: CleanResponse } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const codes = criterionCodes(questionnaire);
  const answers: Record<string, number | null> = {};
  for (const code of codes) answers[code] = null;
  for (const [code, value] of Object.entries(input.answers)) {
    // Own properties only: a posted field named like an Object method ("constructor") is no criterion.
    if (!Object.hasOwn(answers, code)) {
      problems.push({ field: code, message: `không phải tiêu chí của phiếu ${questionnaire.version}` });
    } else if (value !== null && !(Number.isInteger(value) && value >= 1 && value <= 5)) {
      problems.push({ field: code, message: `giá trị "${value}" không hợp lệ: chỉ nhận 1–5 hoặc để trống (không ý kiến)` });
    } else {
      answers[code] = value;
    }
  }

  const profile: Record<string, string | string[] | null> = {};
  const items = choiceItemsOf(questionnaire);
  for (const [code, value] of Object.entries(input.profile)) {
    const item = items.get(code);
    if (!item) {
      problems.push({ field: code, message: 'không phải câu hỏi thông tin chung của phiếu' });
      continue;
    }
    const chosen = value === null ? [] : Array.isArray(value) ? value : [value];
    const unknown = chosen.filter((v) => !item.options.some((o) => o.code === v));
    if (unknown.length > 0) {
      problems.push({ field: code, message: `lựa chọn "${unknown.join('", "')}" không có trong câu hỏi "${item.label}"` });
    } else if (item.kind === 'single' && chosen.length > 1) {
      problems.push({ field: code, message: `câu hỏi "${item.label}" chỉ chọn một` });
    } else if (item.kind === 'multi' && new Set(chosen).size !== chosen.length) {
      problems.push({ field: code, message: `câu hỏi "${item.label}" có lựa chọn bị lặp` });
    } else if (item.kind === 'multi' && item.maxChoices !== undefined && chosen.length > item.maxChoices) {
      problems.push({ field: code, message: `chọn tối đa ${item.maxChoices} (đã chọn ${chosen.length})` });
    } else if (chosen.length > 0) {
      profile[code] = item.kind === 'multi' ? chosen : chosen[0];
    }
  }

  const comment = input.comment?.normalize('NFC').trim() || null;
  const { code: commentCode, maxLength } = questionnaire.comment;
  if (comment !== null && comment.length > maxLength) {
    problems.push({ field: commentCode, message: `ý kiến dài ${comment.length} ký tự, tối đa ${maxLength}` });
  }
  if (problems.length > 0) return { ok: false, problems };
  let answered = 0;
  for (const code of codes) if (answers[code] !== null) answered++;
  return { ok: true, response: { answers, profile, comment, answered, valid: isValid(answered, codes.length, settings) } };
}

/** SIPAS.md section 8: valid when at least the configured share of criteria is answered. */
export function isValid(answered: number, criteria: number, settings: Pick<WaveSettings, 'validity'>): boolean {
  // The small tolerance keeps 8 of 16 valid at a share of 0.5 despite floating point.
  return criteria > 0 && answered / criteria >= settings.validity.minAnsweredShare - 1e-9;
}

/** Fewest answered criteria that make a response valid. */
export function minAnswered(criteria: number, settings: Pick<WaveSettings, 'validity'>): number {
  return Math.ceil(criteria * settings.validity.minAnsweredShare - 1e-9);
}

const channelLabel: Record<ResponseChannel, string> = { paper: 'phiếu giấy', qr: 'QR', import: 'nhập tệp' };

/**
 * Records one response under the rules above. Call it only inside writeTransaction or a
 * GroupCommitter job, which take the write lock as the transaction's first statement (so another
 * process writing meanwhile makes it wait rather than fail). The questionnaire row is locked
 * first, and a valid response is inserted as counted unless the partial unique index already
 * holds a counted one for it (then it is kept for review), so two submissions for one token
 * arriving together are counted exactly once.
 * Throws invalidFields (400, by field) for bad input, and the wave policy's refusal for a closed
 * wave; nothing is written then.
 */
export async function recordResponse(
  trx: Executor,
  input: ResponseInput,
  /**
   * The wave and its questionnaire when the caller already read them in this same transaction,
   * the questionnaire row when the caller already locked it there (lockQuestionnaireByToken), and
   * the result of checkResponse when the caller already checked this input against them.
   */
  loaded?: { wave: Wave; questionnaire: Questionnaire; locked?: CollectionQuestionnaire; checked?: CleanResponse },
): Promise<RecordedResponse> {
  let wave: Wave;
  if (loaded) {
    if (loaded.wave.year !== input.waveYear) throw new Error(`recordResponse: response for ${input.waveYear} given wave ${loaded.wave.year}`);
    assertAllowed((wave = loaded.wave), 'record-response');
  } else {
    wave = await waveFor(trx, input.waveYear, 'record-response');
  }
  const questionnaire = loaded?.questionnaire ?? (await requireQuestionnaire(trx, wave.year));

  const checked = loaded?.checked ? { ok: true as const, response: loaded.checked } : checkResponse(questionnaire, wave.settings, input);
  if (!checked.ok) throw invalidFields(checked.problems);
  const clean = checked.response;
  const invalidNote = clean.valid
    ? null
    : `Chỉ trả lời ${clean.answered}/${criterionCodes(questionnaire).length} tiêu chí, cần ít nhất ${minAnswered(criterionCodes(questionnaire).length, wave.settings)} để được tính`;

  if (input.questionnaireId === null) {
    const unit = await trx.selectFrom('units').select('code').where('wave_year', '=', wave.year).where('code', '=', input.unitCode).executeTakeFirst();
    if (!unit) throw invalidFields([{ field: 'unit_code', message: `đơn vị "${input.unitCode}" không có trong đợt ${wave.year}` }]);
    const state: ResponseState = clean.valid ? 'counted' : 'invalid';
    const responseId = await insertResponse(trx, { ...input, ...clean, state, note: invalidNote });
    return { responseId, state, note: invalidNote, questionnaireStatus: null, repeated: false };
  }

  const target = loaded?.locked?.id === input.questionnaireId ? loaded.locked : await lockQuestionnaire(trx, input.questionnaireId);
  if (!target || target.waveYear !== wave.year) {
    throw invalidFields([{ field: 'questionnaire', message: `phiếu số ${input.questionnaireId} không thuộc đợt ${wave.year}` }]);
  }
  if (target.unitCode !== input.unitCode) {
    throw invalidFields([{ field: 'unit_code', message: `phiếu ${target.code} thuộc đơn vị ${target.unitCode}, không phải ${input.unitCode}` }]);
  }
  let state: ResponseState;
  let note: string | null;
  let status = target.status;
  let responseId: number | undefined;
  if (clean.valid && (responseId = await insertFirstCountedResponse(trx, { ...input, ...clean })) !== undefined) {
    state = 'counted';
    note = null;
    status = input.channel === 'qr' ? 'answered-qr' : 'returned-paper';
  } else {
    // Not counted, so kept beside what the questionnaire already has: once, and a bounded number of times.
    const kept = await listQuestionnaireResponses(trx, target.id);
    const same = kept.find((r) => sameResponse(r, input.channel, clean));
    if (same) return { responseId: same.id, state: same.state, note: `Phiếu ${target.code} đã có đúng câu trả lời này (số ${same.id}); không ghi thêm`, questionnaireStatus: target.status, repeated: true };
    if (kept.filter((r) => r.state !== 'counted').length >= MAX_UNCOUNTED_PER_QUESTIONNAIRE) {
      throw new UserError(`Phiếu ${target.code} đã có ${MAX_UNCOUNTED_PER_QUESTIONNAIRE} câu trả lời không được tính đang được giữ lại; không nhận thêm câu trả lời cho phiếu này`, 409);
    }
    const earlier = kept.find((r) => r.state === 'counted');
    if (clean.valid) {
      if (!earlier) throw new Error(`phiếu ${target.code}: không ghi được câu trả lời được tính nhưng cũng không tìm thấy câu trả lời được tính trước đó`);
      state = 'review';
      note = `Phiếu ${target.code} đã có câu trả lời được tính (số ${earlier.id}, ${channelLabel[earlier.channel]}, ${earlier.createdAt}); câu trả lời này (${channelLabel[input.channel]}) được giữ lại để xem xét`;
    } else {
      state = 'invalid';
      note = invalidNote;
      if (!earlier) status = 'invalid';
    }
    responseId = await insertResponse(trx, { ...input, ...clean, state, note });
  }
  if (status !== target.status) await setQuestionnaireStatus(trx, target.id, status);
  return { responseId, state, note, questionnaireStatus: status, repeated: false };
}
