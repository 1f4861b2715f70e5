import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * Accounts run from the pages: an account can be disabled (kept for the audit log, never
 * deleted), a password set by an administrator must be changed at the next sign-in, and a
 * post-office clerk can be limited to some units (JSON array of unit codes; NULL = all).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').addColumn('disabled_at', 'text').execute();
  await db.schema.alterTable('users').addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('users').addColumn('unit_codes', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('users').dropColumn('unit_codes').execute();
  await db.schema.alterTable('users').dropColumn('must_change_password').execute();
  await db.schema.alterTable('users').dropColumn('disabled_at').execute();
}
