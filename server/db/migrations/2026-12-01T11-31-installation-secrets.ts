import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Random secrets of the installation, one row per use ('attempt-keys': the HMAC key of the
 * attempts table's key hashes). In the database, not in a process or a file, so every instance
 * on one database uses the same. Written by the first instance that needs one (insert if absent,
 * then read back), not here: a freshly migrated database stays empty until its first instance
 * makes its own (migrate-data does not copy it: it keys only the attempts, which are not copied).
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('installation_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('installation_secrets').execute();
}
