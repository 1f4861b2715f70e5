import type { Executor, ResponseState } from '../db/schema';
import { unitSummaryColumn } from './draws';

/**
 * Eligible persons N per unit from the wave's published draw (its unit summary), for the
 * finite population correction. Empty when the wave has no published draw, e.g. when its
 * responses were imported from another tool.
 */
export async function publishedFrameSizes(db: Executor, waveYear: number): Promise<Map<string, number>> {
  const row = await db
    .selectFrom('draws')
    .select('unit_summary')
    .where('wave_year', '=', waveYear)
    .where('status', '=', 'published')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  const sizes = new Map<string, number>();
  if (!row) return sizes;
  for (const unit of unitSummaryColumn.read(row.unit_summary)) {
    if (unit.eligible > 0) sizes.set(unit.unitCode, unit.eligible);
  }
  return sizes;
}

/** Responses of a wave in the given states (with `upToId`, those with an id up to it), counted without loading their answers. */
export async function countResponses(db: Executor, waveYear: number, states: ResponseState[], upToId?: number): Promise<number> {
  const { n } = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('wave_year', '=', waveYear)
    .where('state', 'in', states)
    .$if(upToId !== undefined, (q) => q.where('id', '<=', upToId!))
    .executeTakeFirstOrThrow();
  return Number(n);
}
