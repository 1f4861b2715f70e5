import { type Kysely, PostgresAdapter } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * Commit–reveal for the draw: before the seed exists, the frame's SHA-256, the allocation and
 * the rule that will give the seed (a named public source on a stated later date) are fixed
 * and printed for signature; the draw then records which commitment it followed.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('draw_commitments')
    .addColumn('id', isPostgres ? 'serial' : 'integer', (c) => (isPostgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('wave_year', 'integer', (c) => c.notNull().references('waves.year').onDelete('cascade'))
    .addColumn('frame_import_id', 'integer', (c) => c.notNull().references('frame_imports.id'))
    .addColumn('frame_sha256', 'text', (c) => c.notNull())
    .addColumn('allocation', 'text', (c) => c.notNull())
    .addColumn('reserve_percent', 'real', (c) => c.notNull())
    .addColumn('seed_source', 'text', (c) => c.notNull())
    .addColumn('seed_date', 'text', (c) => c.notNull())
    .addColumn('seed_digits', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();
  await db.schema.alterTable('draws').addColumn('commitment_id', 'integer', (c) => c.references('draw_commitments.id')).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('draws').dropColumn('commitment_id').execute();
  await db.schema.dropTable('draw_commitments').execute();
}
