import { type Kysely, PostgresAdapter, sql } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Uploaded files (a frame waiting for its draw, a frame being verified) kept in the database
 * when the installation runs several instances: the instance that draws is often not the one
 * that received the upload, and instances share the database, not a disk. A file is a row and
 * its bytes a list of chunks (~1 MB each, written in their own transactions so a 2 GB upload
 * never holds a lock for long). `frame_imports.stored_path` becomes `stored_file`, a reference:
 * `database:<id>` for such a file, or as before the absolute path of a file on the data folder,
 * so rows recorded before this migration are still read.
 */
export async function up(db: AnyDb): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('stored_files')
    .addColumn('id', isPostgres ? 'serial' : 'integer', (c) => (isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('chunks', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('touched_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('stored_file_chunks')
    .addColumn('file_id', 'integer', (c) => c.notNull().references('stored_files.id').onDelete('cascade'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('bytes', isPostgres ? 'bytea' : 'blob', (c) => c.notNull())
    .addPrimaryKeyConstraint('stored_file_chunks_pk', ['file_id', 'seq'])
    .execute();
  // Out of line without compression: a chunk is written once, read once or twice, and deleted
  // within days; compressing it would cost CPU on every one of those for space held briefly.
  if (isPostgres) await sql`alter table stored_file_chunks alter column bytes set storage external`.execute(db);
  await db.schema.alterTable('frame_imports').renameColumn('stored_path', 'stored_file').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('frame_imports').renameColumn('stored_file', 'stored_path').execute();
  await db.schema.dropTable('stored_file_chunks').execute();
  await db.schema.dropTable('stored_files').execute();
}
