import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * The eligibility rules (period, postal address, organisations) a draw was made under, so
 * that `draw verify` re-runs it under the same rules even if the wave's settings change later.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('draws').addColumn('eligibility', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('draws').dropColumn('eligibility').execute();
}
