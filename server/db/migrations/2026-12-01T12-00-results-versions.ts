import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Every table a wave's results are computed from (the wave's settings, units, questionnaire,
 * responses, published draw, questionnaires and keyings for tracking, last year's published
 * indexes, the map's boundaries), with the column naming the wave of a row.
 */
const WATCHED: { table: string; year: string }[] = [
  { table: 'waves', year: 'year' },
  { table: 'units', year: 'wave_year' },
  { table: 'questionnaire_versions', year: 'wave_year' },
  { table: 'draws', year: 'wave_year' },
  { table: 'sample_entries', year: 'wave_year' },
  { table: 'questionnaires', year: 'wave_year' },
  { table: 'responses', year: 'wave_year' },
  { table: 'paper_keyings', year: 'wave_year' },
  { table: 'previous_indexes', year: 'wave_year' },
  { table: 'unit_boundaries', year: 'wave_year' },
];

/**
 * A change counter per wave, raised by triggers in the same transaction as any change to a row
 * the wave's results are computed from. A cache of results (server/services/results/) stores
 * the counter it read in the snapshot it computed from, and reuses them only while the counter
 * is unchanged: exact whichever process or instance wrote (two servers on one PostgreSQL, a
 * command), without every write path having to remember to say so. Per wave, not one counter
 * for the database: citizens answering wave 2025 must not throw away 2023's results.
 *
 * SQLite raises it once per changed row (an in-place update of a row already in the page cache,
 * microseconds). PostgreSQL raises it once per transaction and wave, the first time a row of
 * that wave changes (a transaction-local setting remembers it): every update of a row leaves a
 * dead copy there, and a group commit of 200 QR answers would otherwise leave 400 of one row.
 * The counter row is then locked until COMMIT; writers of a wave already take turns on the
 * wave's row (lockingRead), so this adds no new wait.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('results_versions')
    .addColumn('wave_year', 'integer', (c) => c.primaryKey())
    .addColumn('version', 'integer', (c) => c.notNull())
    .execute();
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    await sql`
      create function results_changed(changed_year integer) returns void language plpgsql as $$
      begin
        if current_setting('sipas.results_changed_' || changed_year, true) is distinct from '1' then
          insert into results_versions (wave_year, version) values (changed_year, 1)
            on conflict (wave_year) do update set version = results_versions.version + 1;
          perform set_config('sipas.results_changed_' || changed_year, '1', true);
        end if;
      end $$`.execute(db);
    for (const { table, year } of WATCHED) {
      await sql`
        create function ${sql.raw(`${table}_results_changed`)}() returns trigger language plpgsql as $$
        begin
          if tg_op <> 'DELETE' then perform results_changed(new.${sql.raw(year)}); end if;
          if tg_op <> 'INSERT' then perform results_changed(old.${sql.raw(year)}); end if;
          return null;
        end $$`.execute(db);
      await sql`
        create trigger ${sql.raw(`${table}_results_changed`)} after insert or update or delete on ${sql.table(table)}
        for each row execute function ${sql.raw(`${table}_results_changed`)}()`.execute(db);
    }
    return;
  }
  // A row moved to another wave (never done today) changes both; SQLite wants a WHERE in an upsert's SELECT.
  const bump = (row: 'new' | 'old', year: string, when = 'true') =>
    `insert into results_versions (wave_year, version) select ${row}.${year}, 1 where ${when} on conflict (wave_year) do update set version = version + 1;`;
  for (const { table, year } of WATCHED) {
    for (const [event, body] of [
      ['insert', bump('new', year)],
      ['update', bump('new', year) + bump('old', year, `old.${year} is not new.${year}`)],
      ['delete', bump('old', year)],
    ] as const) {
      await sql.raw(`create trigger ${table}_results_changed_${event} after ${event} on ${table} for each row begin ${body} end`).execute(db);
    }
  }
}

export async function down(db: AnyDb): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  for (const { table } of WATCHED) {
    if (isPostgres) {
      await sql.raw(`drop trigger ${table}_results_changed on ${table}`).execute(db);
      await sql.raw(`drop function ${table}_results_changed()`).execute(db);
    } else {
      for (const event of ['insert', 'update', 'delete']) await sql.raw(`drop trigger ${table}_results_changed_${event}`).execute(db);
    }
  }
  if (isPostgres) await sql`drop function results_changed(integer)`.execute(db);
  await db.schema.dropTable('results_versions').execute();
}
