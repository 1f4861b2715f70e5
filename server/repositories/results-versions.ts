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

/** What a kept pass over a wave's responses stays right for (server/services/results/kept-tally.ts). */
export interface TallyVersions {
  /** The wave's `tally_resets`: changes to what the pass reads other than new responses. */
  resets: number;
  /** The change counter of the year before (its raw answers give the deltas). */
  lastYear: number;
}

export async function tallyVersions(db: Executor, year: number): Promise<TallyVersions> {
  const rows = await db.selectFrom('results_versions').select(['wave_year', 'version', 'tally_resets']).where('wave_year', 'in', [year, year - 1]).execute();
  const of = (wave: number) => rows.find((r) => Number(r.wave_year) === wave);
  return { resets: Number(of(year)?.tally_resets ?? 0), lastYear: Number(of(year - 1)?.version ?? 0) };
}
