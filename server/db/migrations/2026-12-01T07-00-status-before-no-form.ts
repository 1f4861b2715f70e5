import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * The status a questionnaire had before a clerk marked it undeliverable or refused (drawn or
 * dispatched), so the marking can be undone to exactly that status; NULL when it is not marked.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('questionnaires').addColumn('status_before_no_form', 'text').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('questionnaires').dropColumn('status_before_no_form').execute();
}
