import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

const ALL = ['insert', 'update', 'delete'];

/**
 * What the pass over a wave's responses is computed from (the wave's settings, its units, its
 * questionnaire, last year's published indexes, the responses), with the column naming the wave
 * of a row and the changes that make a kept pass start over: for responses, all but an insert.
 */
const WATCHED: { table: string; year: string; events: string[] }[] = [
  { table: 'waves', year: 'year', events: ALL },
  { table: 'units', year: 'wave_year', events: ALL },
  { table: 'questionnaire_versions', year: 'wave_year', events: ALL },
  { table: 'previous_indexes', year: 'wave_year', events: ALL },
  { table: 'responses', year: 'wave_year', events: ['update', 'delete'] },
];

/**
 * A second counter per wave beside `version`: raised by every change to the rows a wave's pass
 * over its responses is computed from, except a new response. The results' thread keeps its last
 * pass (server/services/results/) and, while this counter is unchanged, only adds the responses
 * that arrived since: at 100,000 responses a whole pass takes over a second, adding a minute's
 * answers a few milliseconds. A response changed or deleted (the platform does neither; a hand
 * edit might) raises it, as does anything in the other tables, and the next pass starts over.
 *
 * Raised once per changed row on SQLite, once per transaction and wave on PostgreSQL, like
 * `version` (2026-12-01T12-00-results-versions).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('results_versions').addColumn('tally_resets', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`
      create function tally_reset(changed_year integer) returns void language plpgsql as $$
      begin
        if current_setting('sipas.tally_reset_' || changed_year, true) is distinct from '1' then
          insert into results_versions (wave_year, version, tally_resets) values (changed_year, 0, 1)
            on conflict (wave_year) do update set tally_resets = results_versions.tally_resets + 1;
          perform set_config('sipas.tally_reset_' || changed_year, '1', true);
        end if;
      end $$`.execute(db);
    for (const { table, year, events } of WATCHED) {
      await sql`
        create function ${sql.raw(`${table}_tally_reset`)}() returns trigger language plpgsql as $$
        begin
          if tg_op <> 'DELETE' then perform tally_reset(new.${sql.raw(year)}); end if;
          if tg_op <> 'INSERT' then perform tally_reset(old.${sql.raw(year)}); end if;
          return null;
        end $$`.execute(db);
      await sql`
        create trigger ${sql.raw(`${table}_tally_reset`)} after ${sql.raw(events.join(' or '))} on ${sql.table(table)}
        for each row execute function ${sql.raw(`${table}_tally_reset`)}()`.execute(db);
    }
    return;
  }
  const bump = (row: 'new' | 'old', year: string, when = 'true') =>
    `insert into results_versions (wave_year, version, tally_resets) select ${row}.${year}, 0, 1 where ${when} on conflict (wave_year) do update set tally_resets = tally_resets + 1;`;
  for (const { table, year, events } of WATCHED) {
    const bodies: Record<string, string> = {
      insert: bump('new', year),
      update: bump('new', year) + bump('old', year, `old.${year} is not new.${year}`),
      delete: bump('old', year),
    };
    for (const event of events) {
      await sql.raw(`create trigger ${table}_tally_reset_${event} after ${event} on ${table} for each row begin ${bodies[event]} end`).execute(db);
    }
  }
}

export async function down(db: AnyDb): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const { table, events } of WATCHED) {
    if (isPostgres) {
      await sql.raw(`drop trigger ${table}_tally_reset on ${table}`).execute(db);
      await sql.raw(`drop function ${table}_tally_reset()`).execute(db);
    } else {
      for (const event of events) await sql.raw(`drop trigger ${table}_tally_reset_${event}`).execute(db);
    }
  }
  if (isPostgres) await sql`drop function tally_reset(integer)`.execute(db);
  await db.schema.alterTable('results_versions').dropColumn('tally_resets').execute();
}
