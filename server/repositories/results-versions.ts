import { sql } from 'kysely';
import type { Executor } from '../db/schema';

/**
 * What a wave's results depend on, as one number: the change counters of the wave and of the
 * year before (its raw answers give the deltas), raised by triggers (migration
 * 2026-12-01T12-00-results-versions). Both only grow, so an equal sum means neither changed.
 */
export async function resultsVersion(db: Executor, year: number): Promise<number> {
  const row = await db
    .selectFrom('results_versions')
    .select(sql<number>`coalesce(sum(version), 0)`.as('version'))
    .where('wave_year', 'in', [year, year - 1])
    .executeTakeFirstOrThrow();
  return Number(row.version);
}
