import { sql } from 'kysely';
import type { Executor, QuestionnaireStatus } from '../db/schema';

/** A questionnaire as the post office sees it at the counter: code and unit, never the person. */
export interface CounterQuestionnaire {
  id: number;
  waveYear: number;
  code: string;
  unitCode: string;
  unitName: string;
  role: 'primary' | 'reserve';
  rank: number;
  status: QuestionnaireStatus;
  released: boolean;
  replacesId: number | null;
}

export async function findCounterQuestionnaire(db: Executor, waveYear: number, code: string): Promise<CounterQuestionnaire | undefined> {
  const row = await db
    .selectFrom('questionnaires')
    .innerJoin('sample_entries', 'sample_entries.id', 'questionnaires.sample_entry_id')
    .innerJoin('units', (join) => join.onRef('units.wave_year', '=', 'questionnaires.wave_year').onRef('units.code', '=', 'questionnaires.unit_code'))
    .select([
      'questionnaires.id',
      'questionnaires.wave_year',
      'questionnaires.code',
      'questionnaires.unit_code',
      'units.name as unit_name',
      'sample_entries.role',
      'sample_entries.rank',
      'questionnaires.status',
      'questionnaires.released',
      'questionnaires.replaces_id',
    ])
    .where('questionnaires.wave_year', '=', waveYear)
    .where('questionnaires.code', '=', code)
    .executeTakeFirst();
  return (
    row && {
      id: row.id,
      waveYear: row.wave_year,
      code: row.code,
      unitCode: row.unit_code,
      unitName: row.unit_name,
      role: row.role,
      rank: row.rank,
      status: row.status,
      released: row.released === 1,
      replacesId: row.replaces_id,
    }
  );
}

/**
 * Whether another questionnaire's code, written without hyphens, starts with this one's: then
 * the typed code may be the beginning of a longer one and the page must wait for Enter.
 */
export async function isPrefixOfAnotherCode(db: Executor, waveYear: number, code: string): Promise<boolean> {
  const compact = code.replace(/-/g, '');
  const longer = await db
    .selectFrom('questionnaires')
    .select('id')
    .where('wave_year', '=', waveYear)
    .where('code', '!=', code)
    // replace() and LIKE behave the same in SQLite and PostgreSQL; codes hold only [0-9A-Z-].
    .where(sql<string>`replace(code, '-', '')`, 'like', `${compact}%`)
    .limit(1)
    .executeTakeFirst();
  return longer !== undefined;
}

/**
 * Releases the next reserve of a unit to replace `replacedId`: the lowest-ranked reserve that
 * was never released and is still only drawn. Returns its code, or null when none is left.
 */
export async function releaseNextReserve(db: Executor, waveYear: number, unitCode: string, replacedId: number): Promise<{ id: number; code: string } | null> {
  const next = await db
    .selectFrom('questionnaires')
    .innerJoin('sample_entries', 'sample_entries.id', 'questionnaires.sample_entry_id')
    .select(['questionnaires.id', 'questionnaires.code'])
    .where('questionnaires.wave_year', '=', waveYear)
    .where('questionnaires.unit_code', '=', unitCode)
    .where('sample_entries.role', '=', 'reserve')
    .where('questionnaires.released', '=', 0)
    .where('questionnaires.status', '=', 'drawn')
    .orderBy('sample_entries.rank')
    .limit(1)
    .executeTakeFirst();
  if (!next) return null;
  await db
    .updateTable('questionnaires')
    .set({ released: 1, replaces_id: replacedId, status_changed_at: new Date().toISOString() })
    .where('id', '=', next.id)
    .execute();
  return next;
}
