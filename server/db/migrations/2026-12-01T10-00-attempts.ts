import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Failed attempts at /k and at sign-in, one row per failure. Kept in the database, not in a
 * process's memory: several instances behind one proxy must count a guesser's failures
 * together, whichever instance each request reached. No key of its own: rows are only counted
 * and purged, never addressed one by one.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('attempts')
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('key_hash', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .execute();
  // Counting one key's recent failures, and purging a scope's expired ones, each read one range.
  await db.schema.createIndex('attempts_by_key').on('attempts').columns(['scope', 'key_hash', 'at']).execute();
  await db.schema.createIndex('attempts_by_time').on('attempts').columns(['scope', 'at']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('attempts').execute();
}
