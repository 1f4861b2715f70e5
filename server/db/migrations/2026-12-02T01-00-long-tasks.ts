import { PostgresAdapter, sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Long tasks started from the pages (a frame import, a draw): their state and how far they have
 * read, in the database so that every instance behind one proxy shows the same progress and
 * refuses a second draw of the wave while one runs, whichever instance runs it.
 */
export async function up(db: AnyDb): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('long_tasks')
    .addColumn('id', isPostgres ? 'serial' : 'integer', (c) => (isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('wave_year', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('pass', 'integer', (c) => c.notNull())
    .addColumn('rows_read', 'integer', (c) => c.notNull())
    .addColumn('rows_total', 'integer')
    .addColumn('bytes_read', isPostgres ? 'bigint' : 'integer', (c) => c.notNull())
    .addColumn('bytes_total', isPostgres ? 'bigint' : 'integer')
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('outcome', 'text')
    .addColumn('actor', 'text')
    .execute();
  // One running task of a kind per wave, whichever instance starts it: the second insert fails.
  await sql`create unique index long_tasks_one_running on long_tasks (wave_year, kind) where state = 'running'`.execute(db);
  await db.schema.createIndex('long_tasks_by_wave').on('long_tasks').columns(['wave_year', 'kind', 'id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('long_tasks').execute();
}
