import { byteOrder } from '../db/dialect';
import type { Executor } from '../db/schema';

/** Released primary questionnaires of the wave's published draw, per unit in draw order (ids). */
export async function listReleasedPrimaries(db: Executor, waveYear: number): Promise<Map<string, number[]>> {
  const rows = await db
    .selectFrom('questionnaires')
    .innerJoin('sample_entries', 'sample_entries.id', 'questionnaires.sample_entry_id')
    .innerJoin('draws', 'draws.id', 'sample_entries.draw_id')
    .select(['questionnaires.id', 'questionnaires.unit_code'])
    .where('questionnaires.wave_year', '=', waveYear)
    .where('draws.status', '=', 'published')
    .where('sample_entries.role', '=', 'primary')
    .where('questionnaires.released', '=', 1)
    .orderBy(byteOrder(db, 'questionnaires.unit_code'))
    .orderBy('sample_entries.rank')
    .execute();
  const byUnit = new Map<string, number[]>();
  for (const r of rows) {
    let ids = byUnit.get(r.unit_code);
    if (!ids) byUnit.set(r.unit_code, (ids = []));
    ids.push(r.id);
  }
  return byUnit;
}
