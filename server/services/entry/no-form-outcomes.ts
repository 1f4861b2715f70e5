import type { Executor } from '../../db/schema';
import { UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { findCountedResponse, lockQuestionnaire, setQuestionnaireStatus } from '../../repositories/collection';
import { listKeyingsOf } from '../../repositories/paper-keyings';
import { releaseNextReserve } from '../../repositories/reserves';
import { findCounterForm } from './counter-form';
import { noFormMessage } from './entry-messages';
import { questionnaireStatusLabel } from './questionnaire-status-labels';
import { waveFor } from '../waves/wave-policy';

/**
 * The letters that bring no form back (SIPAS.md section 8): undeliverable or refused. The form
 * will not come back, so the unit's next reserve is released to print in its place.
 */

export type NoFormOutcome = 'undeliverable' | 'refused';

export interface NoFormResult {
  code: string;
  unitName: string;
  /** The released reserve's code; null when the unit has none left. */
  replacement: string | null;
  message: string;
}

export async function recordNoForm(trx: Executor, input: { year: number; typedCode: string; outcome: NoFormOutcome; actor: string }): Promise<NoFormResult> {
  const wave = await waveFor(trx, input.year, 'record-response');
  const q = await findCounterForm(trx, wave, input.typedCode);
  const current = (await lockQuestionnaire(trx, q.id)) ?? q;
  const what = questionnaireStatusLabel[input.outcome];
  if (current.status !== 'drawn' && current.status !== 'dispatched') {
    throw new UserError(`Phiếu ${q.code} đang ở trạng thái "${questionnaireStatusLabel[current.status]}": không thể đánh dấu ${what}`, 409);
  }
  if ((await listKeyingsOf(trx, q.id)).length > 0 || (await findCountedResponse(trx, q.id))) {
    throw new UserError(`Phiếu ${q.code} đã có phiếu trả lời: không thể đánh dấu ${what}`, 409);
  }
  await setQuestionnaireStatus(trx, q.id, input.outcome);
  const replacement = (await releaseNextReserve(trx, wave.year, q.unitCode, q.id))?.code ?? null;
  await recordAudit(trx, { actor: input.actor, action: `questionnaire.${input.outcome}`, waveYear: wave.year, detail: { code: q.code, replacement } });
  return { code: q.code, unitName: q.unitName, replacement, message: noFormMessage(q.code, q.unitName, input.outcome, replacement) };
}
