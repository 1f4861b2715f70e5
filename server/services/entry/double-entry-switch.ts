import type { Executor } from '../../db/schema';
import { recordAudit } from '../../repositories/audit';
import { linkKeyingsToResponse, listOpenKeyings } from '../../repositories/paper-keyings';
import { updateWaveSettings, type Wave } from '../../repositories/waves';
import { doubleEntryMessage } from './entry-messages';
import { recordResponse } from '../collection/responses';
import { waveFor } from '../waves/wave-policy';

/**
 * Turns double entry on or off. Turning it off records the forms keyed once and still waiting
 * for their second keying (one keying is then enough); forms in dispute stay with the supervisor.
 * The settings are read inside the caller's transaction, so a rules change committed meanwhile
 * is kept, not overwritten.
 */
export async function setDoubleEntry(trx: Executor, year: number, on: boolean, actor: string): Promise<{ recorded: number; wave: Wave; message: string }> {
  const before = await waveFor(trx, year, 'change-rules');
  const wave: Wave = { ...before, settings: { ...before.settings, doubleEntry: on } };
  await updateWaveSettings(trx, year, wave.settings);
  let recorded = 0;
  if (!on) {
    const open = await listOpenKeyings(trx, year);
    const passes = new Map<number, number>();
    for (const k of open) passes.set(k.questionnaireId, (passes.get(k.questionnaireId) ?? 0) + 1);
    for (const keying of open) {
      if (passes.get(keying.questionnaireId) !== 1) continue;
      const response = await recordResponse(trx, {
        waveYear: year,
        questionnaireId: keying.questionnaireId,
        unitCode: keying.unitCode,
        channel: 'paper',
        answers: keying.answers,
        profile: keying.profile,
        comment: keying.comment,
        enteredBy: keying.enteredBy,
      });
      await linkKeyingsToResponse(trx, keying.questionnaireId, response.responseId);
      recorded++;
    }
  }
  await recordAudit(trx, { actor, action: 'wave.double-entry', waveYear: year, detail: { on, recordedSinglePass: recorded } });
  return { recorded, wave, message: doubleEntryMessage(on, recorded) };
}
