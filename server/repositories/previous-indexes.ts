import type { PublishedRow } from '../../analysis/types';
import { byteOrder } from '../db/dialect';
import type { Executor } from '../db/schema';

/** Replaces the wave's imported table of last year's published unit indexes. */
export async function replacePreviousIndexes(db: Executor, waveYear: number, rows: PublishedRow[]): Promise<void> {
  await db.deleteFrom('previous_indexes').where('wave_year', '=', waveYear).execute();
  if (rows.length === 0) return;
  await db
    .insertInto('previous_indexes')
    .values(
      rows.map((r) => ({
        wave_year: waveYear,
        unit_code: r.unitCode,
        unit_name: r.unitName,
        index_value: r.index,
        respondents: r.respondents,
        unit_kind: r.unitKind ?? null,
      })),
    )
    .execute();
}

export async function listPreviousIndexes(db: Executor, waveYear: number): Promise<PublishedRow[]> {
  const rows = await db
    .selectFrom('previous_indexes')
    .select(['unit_code', 'unit_name', 'index_value', 'respondents', 'unit_kind'])
    .where('wave_year', '=', waveYear)
    .orderBy(byteOrder(db, 'unit_code'))
    .execute();
  return rows.map((r) => ({
    unitCode: r.unit_code,
    unitName: r.unit_name,
    index: r.index_value,
    respondents: r.respondents,
    ...(r.unit_kind ? { unitKind: r.unit_kind } : {}),
  }));
}
