import type { Selectable } from 'kysely';
import type { Allocation } from '../../sampling';
import type { DrawCommitmentTable, Executor } from '../db/schema';
import { allocationColumn } from './draws';

/** What was fixed before the seed existed (commit–reveal): the frame, the allocation and the seed's rule. */
export interface DrawCommitment {
  id: number;
  waveYear: number;
  frameImportId: number;
  frameSha256: string;
  allocation: Allocation;
  reservePercent: number;
  seedRule: { source: string; date: string; digits: number };
  createdAt: string;
  createdBy: string | null;
}

function toCommitment(row: Selectable<DrawCommitmentTable>): DrawCommitment {
  return {
    id: row.id,
    waveYear: row.wave_year,
    frameImportId: row.frame_import_id,
    frameSha256: row.frame_sha256,
    allocation: allocationColumn.read(row.allocation),
    reservePercent: row.reserve_percent,
    seedRule: { source: row.seed_source, date: row.seed_date, digits: row.seed_digits },
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}

export async function insertCommitment(db: Executor, c: Omit<DrawCommitment, 'id'>): Promise<DrawCommitment> {
  const row = {
    wave_year: c.waveYear,
    frame_import_id: c.frameImportId,
    frame_sha256: c.frameSha256,
    allocation: allocationColumn.write(c.allocation),
    reserve_percent: c.reservePercent,
    seed_source: c.seedRule.source,
    seed_date: c.seedRule.date,
    seed_digits: c.seedRule.digits,
    created_at: c.createdAt,
    created_by: c.createdBy,
  };
  const { id } = await db.insertInto('draw_commitments').values(row).returning('id').executeTakeFirstOrThrow();
  return toCommitment({ id, ...row });
}

export async function findCommitment(db: Executor, id: number): Promise<DrawCommitment | undefined> {
  const row = await db.selectFrom('draw_commitments').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCommitment(row);
}

/** The wave's latest commitment, the one a new draw must follow when it is for the current frame. */
export async function findLatestCommitment(db: Executor, waveYear: number): Promise<DrawCommitment | undefined> {
  const row = await db.selectFrom('draw_commitments').selectAll().where('wave_year', '=', waveYear).orderBy('id', 'desc').executeTakeFirst();
  return row && toCommitment(row);
}

export async function listCommitments(db: Executor, waveYear: number): Promise<DrawCommitment[]> {
  const rows = await db.selectFrom('draw_commitments').selectAll().where('wave_year', '=', waveYear).orderBy('id', 'desc').execute();
  return rows.map(toCommitment);
}
