import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Published tables may list a unit that has no successor this year (abolished, not merged);
 * its kind keeps last year's group average complete.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('previous_indexes').addColumn('unit_kind', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('previous_indexes').dropColumn('unit_kind').execute();
}
