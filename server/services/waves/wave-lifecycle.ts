import fs from 'node:fs';
import type { Executor } from '../../db/schema';
import type { AfterCommit } from '../../db/unit-of-work';
import { recordAudit } from '../../repositories/audit';
import { deleteWaveContacts, eraseDossierCodes } from '../../repositories/draws';
import { clearStoredPath, listStoredFrameImports } from '../../repositories/frame-imports';
import { markPersonalDataPurged, updateWaveStatus } from '../../repositories/waves';
import { waveFor } from './wave-policy';

/** Freezes a wave: no more responses, draws or imports; results stay as they are. */
export async function closeWave(trx: Executor, year: number, actor: string | null): Promise<void> {
  await waveFor(trx, year, 'close');
  await updateWaveStatus(trx, year, 'closed');
  await recordAudit(trx, { actor, action: 'wave.close', waveYear: year });
}

export interface PurgeOutcome {
  contactsDeleted: number;
  dossierCodesErased: number;
  frameFilesDeleted: number;
}

/**
 * Removes the personal data of a closed wave (Decree 13/2023/NĐ-CP): contacts of drawn people,
 * any frame file still on disk, and the dossier codes that would let someone look a respondent
 * up in the one-stop system. Questionnaires, responses and results are untouched.
 */
export async function purgePersonalData(trx: Executor, afterCommit: AfterCommit, year: number, actor: string | null): Promise<PurgeOutcome> {
  await waveFor(trx, year, 'purge-personal-data');
  const stored = await listStoredFrameImports(trx, year);
  const contactsDeleted = await deleteWaveContacts(trx, year);
  const dossierCodesErased = await eraseDossierCodes(trx, year);
  for (const frame of stored) await clearStoredPath(trx, frame.id);
  await markPersonalDataPurged(trx, year);
  const outcome = { contactsDeleted, dossierCodesErased, frameFilesDeleted: stored.length };
  await recordAudit(trx, { actor, action: 'wave.purge-personal-data', waveYear: year, detail: { ...outcome } });
  // Files go after the commit: a failed transaction must not leave the records pointing nowhere.
  afterCommit(() => {
    for (const frame of stored) fs.rmSync(frame.storedPath, { force: true });
  });
  return outcome;
}
