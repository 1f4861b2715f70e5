import { sql, type Kysely } from 'kysely';
import { restartIdSequence } from './dialect';
import type { Database, Executor } from './schema';

/**
 * Row-level copy of the SIPAS tables between two databases of either dialect (migrate-data).
 * Both sides run the same migrations, so columns match by name and every value is a number, a
 * text or null on both: JSON, timestamps and booleans are stored as text and 0/1 integers.
 */

/**
 * Every table holding the installation, in an order where each row's references are copied
 * before it, with the integer key used to read it in pages (null: small table, read at once).
 * Sessions are left out on purpose: people sign in again on the new database (NOT_COPIED).
 */
export const COPIED_TABLES: readonly { name: keyof Database; key: string | null }[] = [
  { name: 'waves', key: 'year' },
  { name: 'units', key: 'id' },
  { name: 'questionnaire_versions', key: 'id' },
  { name: 'frame_imports', key: 'id' },
  { name: 'draw_commitments', key: 'id' },
  { name: 'draws', key: 'id' },
  { name: 'sample_entries', key: 'id' },
  { name: 'contacts', key: 'sample_entry_id' },
  { name: 'questionnaires', key: 'id' },
  { name: 'responses', key: 'id' },
  { name: 'paper_keyings', key: 'id' },
  { name: 'previous_indexes', key: null },
  { name: 'users', key: 'id' },
  { name: 'audit_log', key: 'id' },
  { name: 'unit_boundaries', key: 'wave_year' },
];

/**
 * Tables deliberately not copied: sessions, recent failed attempts (counters that expire within
 * the hour) and the secret their keys are hashed with (the target makes its own at its first
 * attempt; a copied one would only make a target that has served a sign-in look non-empty),
 * the results' change counters (the target's triggers raise its own as rows arrive),
 * uploaded files (migrate-data refuses while a frame waits for its draw, so what is left there
 * is a copy being verified or one a dead process left), the progress of imports and draws
 * started from the pages (a running one belongs to the source's process; what an ended one
 * says is in the records it made), and the migrator's own bookkeeping (the target is migrated
 * itself).
 */
const NOT_COPIED = [
  'sessions',
  'attempts',
  'installation_secrets',
  'results_versions',
  'stored_files',
  'stored_file_chunks',
  'long_tasks',
  'kysely_migration',
  'kysely_migration_lock',
];

type Row = Record<string, unknown>;
// The copy works on any table by name; the typed schema cannot express that.
const untyped = (db: Executor) => db as unknown as Kysely<Record<string, Row>>;

// Under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters per statement, whatever the table's width.
const PARAMETERS_PER_BATCH = 10_000;
const ROWS_PER_READ = 5_000;

/**
 * Tables of the database that the copy does not know: a migration that adds a table must add it
 * to COPIED_TABLES (or NOT_COPIED), or migrate-data would silently leave its rows behind.
 */
export async function unknownTables(db: Executor): Promise<string[]> {
  const known = new Set<string>([...COPIED_TABLES.map((t) => t.name), ...NOT_COPIED]);
  const tables = await db.introspection.getTables();
  return tables.map((t) => t.name).filter((name) => !known.has(name));
}

export async function countRows(db: Executor, table: string): Promise<number> {
  const row = await untyped(db).selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Copies one table's rows, ids included, in pages read by key and batches sized by parameters. */
export async function copyTable(source: Executor, target: Executor, table: { name: string; key: string | null }): Promise<number> {
  let copied = 0;
  let last: unknown = null;
  for (;;) {
    let query = untyped(source).selectFrom(table.name).selectAll();
    if (table.key) {
      query = query.orderBy(table.key).limit(ROWS_PER_READ);
      if (last !== null) query = query.where(table.key, '>', last);
    }
    const rows = await query.execute();
    if (rows.length === 0) break;
    const perBatch = Math.max(1, Math.floor(PARAMETERS_PER_BATCH / Object.keys(rows[0]).length));
    for (let i = 0; i < rows.length; i += perBatch) await untyped(target).insertInto(table.name).values(rows.slice(i, i + perBatch)).execute();
    copied += rows.length;
    if (!table.key || rows.length < ROWS_PER_READ) break;
    last = rows[rows.length - 1][table.key];
  }
  if (table.key === 'id') await restartIdSequence(target, table.name);
  return copied;
}
