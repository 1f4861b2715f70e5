import fs from 'node:fs';
import type { Db } from '../db/connect';
import { UserError } from '../errors';
import { recordAudit } from '../repositories/audit';
import { clearStoredPath, listStoredFrameImports } from '../repositories/frame-imports';
import { markPersonalDataPurged, updateWaveStatus } from '../repositories/waves';
import { requireWave } from './waves';

/** Freezes a wave: no more responses, draws or imports; results stay as they are. */
export async function closeWave(db: Db, year: number, actor: string | null): Promise<void> {
  const wave = await requireWave(db, year);
  if (wave.status === 'closed') throw new UserError(`Đợt ${year} đã khóa từ trước`, 409);
  await db.transaction().execute(async (trx) => {
    await updateWaveStatus(trx, year, 'closed');
    await recordAudit(trx, { actor, action: 'wave.close', waveYear: year });
  });
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
export async function purgePersonalData(deps: { db: Db }, year: number, actor: string | null): Promise<PurgeOutcome> {
  const { db } = deps;
  const wave = await requireWave(db, year);
  if (wave.status !== 'closed') {
    throw new UserError(`Đợt ${year} chưa khóa: hãy khóa đợt (wave close) trước khi xóa dữ liệu cá nhân`, 409);
  }
  const stored = await listStoredFrameImports(db, year);
  const outcome = await db.transaction().execute(async (trx) => {
    const entriesOfWave = trx.selectFrom('sample_entries').select('id').where('wave_year', '=', year);
    const contacts = await trx.deleteFrom('contacts').where('sample_entry_id', 'in', entriesOfWave).executeTakeFirst();
    const erased = await trx
      .updateTable('sample_entries')
      .set({ dossier_code: '(đã xóa)' })
      .where('wave_year', '=', year)
      .where('dossier_code', '!=', '(đã xóa)')
      .executeTakeFirst();
    for (const frame of stored) await clearStoredPath(trx, frame.id);
    await markPersonalDataPurged(trx, year);
    const result = {
      contactsDeleted: Number(contacts.numDeletedRows),
      dossierCodesErased: Number(erased.numUpdatedRows),
      frameFilesDeleted: stored.length,
    };
    await recordAudit(trx, { actor, action: 'wave.purge-personal-data', waveYear: year, detail: { ...result } });
    return result;
  });
  // Files go after the commit: a failed transaction must not leave the records pointing nowhere.
  for (const frame of stored) fs.rmSync(frame.storedPath, { force: true });
  return outcome;
}
