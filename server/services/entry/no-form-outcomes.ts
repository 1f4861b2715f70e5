import type { Executor, QuestionnaireStatus } from '../../db/schema';
import { UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { findCountedResponse, lockQuestionnaire } from '../../repositories/collection';
import { findReplacement, findStatusBeforeNoForm, markNoForm, unmarkNoForm, withdrawReserve } from '../../repositories/no-form-marks';
import { listKeyingsOf } from '../../repositories/paper-keyings';
import { releaseNextReserve, type CounterQuestionnaire } from '../../repositories/reserves';
import { listQuestionnaireResponses } from '../../repositories/responses';
import type { Wave } from '../../repositories/waves';
import { findCounterForm } from './counter-form';
import { noFormMessage, noFormQuestion, undoneMessage, undoRefusedMessage } from './entry-messages';
import { questionnaireStatusLabel } from './questionnaire-status-labels';
import { assertAllowed, waveFor } from '../waves/wave-policy';

/**
 * The letters that bring no form back (SIPAS.md section 8): undeliverable or refused. The form
 * will not come back, so the unit's next reserve is released to print in its place. A marking
 * is asked for confirmation first and can be undone while the reserve's letter has not gone out.
 */

export type NoFormOutcome = 'undeliverable' | 'refused';

export interface NoFormInput {
  year: number;
  typedCode: string;
  outcome: NoFormOutcome;
  actor: string;
  /** The clerk's units (User.unitCodes); null or omitted = every unit. */
  unitCodes?: readonly string[] | null;
}

export interface NoFormResult {
  code: string;
  unitName: string;
  /** The released reserve's code; null when the unit has none left. */
  replacement: string | null;
  message: string;
}

/** Refuses a marking once the form came back, was answered or keyed, or is already marked or replaced. */
async function assertMarkable(db: Executor, q: CounterQuestionnaire, status: QuestionnaireStatus, outcome: NoFormOutcome): Promise<void> {
  const what = questionnaireStatusLabel[outcome];
  if (status !== 'drawn' && status !== 'dispatched') {
    throw new UserError(`Phiếu ${q.code} đang ở trạng thái "${questionnaireStatusLabel[status]}": không thể đánh dấu ${what}`, 409);
  }
  if ((await listKeyingsOf(db, q.id)).length > 0 || (await findCountedResponse(db, q.id))) {
    throw new UserError(`Phiếu ${q.code} đã có phiếu trả lời: không thể đánh dấu ${what}`, 409);
  }
}

export interface NoFormConfirmation {
  code: string;
  unitCode: string;
  unitName: string;
  outcome: NoFormOutcome;
  question: string;
}

/** What the confirmation step asks, once it is known the marking can be made. Reads only. */
export async function confirmNoForm(db: Executor, wave: Wave, input: Omit<NoFormInput, 'actor' | 'year'>): Promise<NoFormConfirmation> {
  assertAllowed(wave, 'record-response');
  const q = await findCounterForm(db, wave, input.typedCode, input.unitCodes ?? null);
  await assertMarkable(db, q, q.status, input.outcome);
  return { code: q.code, unitCode: q.unitCode, unitName: q.unitName, outcome: input.outcome, question: noFormQuestion(q.code, q.unitName, input.outcome) };
}

export async function recordNoForm(trx: Executor, input: NoFormInput): Promise<NoFormResult> {
  const wave = await waveFor(trx, input.year, 'record-response');
  const q = await findCounterForm(trx, wave, input.typedCode, input.unitCodes ?? null);
  const current = (await lockQuestionnaire(trx, q.id)) ?? q;
  await assertMarkable(trx, q, current.status, input.outcome);
  await markNoForm(trx, q.id, input.outcome, current.status);
  const replacement = (await releaseNextReserve(trx, wave.year, q.unitCode, q.id))?.code ?? null;
  await recordAudit(trx, { actor: input.actor, action: `questionnaire.${input.outcome}`, waveYear: wave.year, detail: { code: q.code, replacement } });
  return { code: q.code, unitName: q.unitName, replacement, message: noFormMessage(q.code, q.unitName, input.outcome, replacement) };
}

export interface UndoResult {
  code: string;
  unitName: string;
  /** The status the questionnaire is back in. */
  restored: QuestionnaireStatus;
  /** The reserve taken back among the unreleased ones; null when the marking had released none. */
  withdrawn: string | null;
  message: string;
}

/**
 * Undoes a marking: the questionnaire gets back the status it had, and the reserve released in
 * its place goes back among the unreleased reserves. Refused once that reserve's letter may be
 * with someone (dispatched, answered, keyed, or marked in turn): its person was drawn and
 * written to, and only its own outcome can end that.
 */
export async function undoNoForm(trx: Executor, input: Omit<NoFormInput, 'outcome'>): Promise<UndoResult> {
  const wave = await waveFor(trx, input.year, 'record-response');
  const q = await findCounterForm(trx, wave, input.typedCode, input.unitCodes ?? null);
  const current = (await lockQuestionnaire(trx, q.id)) ?? q;
  const before = await findStatusBeforeNoForm(trx, q.id);
  const outcome = current.status;
  if ((outcome !== 'undeliverable' && outcome !== 'refused') || before === null) {
    throw new UserError(`Phiếu ${q.code} đang ở trạng thái "${questionnaireStatusLabel[outcome]}": không có đánh dấu "không phát được" hay "từ chối" nào để hoàn tác`, 409);
  }
  const replacement = await findReplacement(trx, q.id);
  let withdrawn: string | null = null;
  if (replacement) {
    const reserve = (await lockQuestionnaire(trx, replacement.id)) ?? replacement;
    const answered = (await listKeyingsOf(trx, replacement.id)).length > 0 || (await listQuestionnaireResponses(trx, replacement.id)).length > 0;
    if (answered || reserve.status !== 'drawn') {
      throw new UserError(undoRefusedMessage(q.code, outcome, { code: replacement.code, status: reserve.status, answered }), 409);
    }
    await withdrawReserve(trx, replacement.id);
    withdrawn = replacement.code;
  }
  await unmarkNoForm(trx, q.id, before);
  await recordAudit(trx, { actor: input.actor, action: 'entry.outcome.undo', waveYear: wave.year, detail: { code: q.code, outcome, restored: before, withdrawn } });
  return { code: q.code, unitName: q.unitName, restored: before, withdrawn, message: undoneMessage(q.code, q.unitName, before, withdrawn) };
}
