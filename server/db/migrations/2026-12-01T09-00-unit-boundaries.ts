import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The communes' boundaries of a wave (GeoJSON), for its map. Kept in the database, not in the
 * data folder: several instances behind one proxy share the database, not a disk, and a backup
 * then carries the map with the wave.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('unit_boundaries')
    .addColumn('wave_year', 'integer', (c) => c.primaryKey().references('waves.year').onDelete('cascade'))
    .addColumn('geojson', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('feature_count', 'integer', (c) => c.notNull())
    .addColumn('imported_at', 'text', (c) => c.notNull())
    .addColumn('imported_by', 'text')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('unit_boundaries').execute();
}
