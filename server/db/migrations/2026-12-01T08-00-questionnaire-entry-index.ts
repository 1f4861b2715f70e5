import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The drawn list joins each sample entry to its questionnaire. Without an index on the join's
 * column every entry scanned all the wave's questionnaires: at 120 units × 80 questionnaires a
 * page of the draw took seconds, the whole list minutes.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('questionnaires_sample_entry').on('questionnaires').column('sample_entry_id').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('questionnaires_sample_entry').ifExists().execute();
}
