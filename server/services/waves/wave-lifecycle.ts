import type { Executor } from '../../db/schema';
import { eraseDeletedData } from '../../db/secure-erase';
import type { AfterCommit } from '../../db/unit-of-work';
import { recordAudit } from '../../repositories/audit';
import { deleteWaveContacts, eraseDossierCodes } from '../../repositories/draws';
import { clearStoredFile, listStoredFrameImports } from '../../repositories/frame-imports';
import { sweepStoredFiles } from '../storage/stored-files';
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
  /** This wave's frame files with their draw indexes, and any other left behind by a process that died (services/storage). */
  frameFilesDeleted: number;
}

/**
 * Removes the personal data of a closed wave (Decree 13/2023/NĐ-CP): contacts of drawn people,
 * any frame file still kept (on disk, or as chunks in the database), and the dossier codes that would let someone look a respondent
 * up in the one-stop system. Questionnaires, responses and results are untouched. Once committed,
 * the deleted values are erased from the database's files too (secure-erase.ts), so that no
 * later backup holds them; running the purge again redoes that erasure.
 */
export async function purgePersonalData(trx: Executor, afterCommit: AfterCommit, year: number, dataDir: string, actor: string | null): Promise<PurgeOutcome> {
  await waveFor(trx, year, 'purge-personal-data');
  const stored = await listStoredFrameImports(trx, year);
  const contactsDeleted = await deleteWaveContacts(trx, year);
  const dossierCodesErased = await eraseDossierCodes(trx, year);
  for (const frame of stored) await clearStoredFile(trx, frame.id);
  await markPersonalDataPurged(trx, year);
  const frameFiles = await sweepStoredFiles(trx, afterCommit, dataDir, { atStart: false });
  const outcome = { contactsDeleted, dossierCodesErased, frameFilesDeleted: frameFiles.length };
  await recordAudit(trx, { actor, action: 'wave.purge-personal-data', waveYear: year, detail: { ...outcome } });
  afterCommit((db) => eraseDeletedData(db));
  return outcome;
}
