import { sql, type Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * One response per questionnaire (SIPAS.md section 8) is enforced by the response service; this
 * partial unique index is the database's own guarantee, so no code path, driver or isolation
 * level (PostgreSQL's READ COMMITTED included) can ever store two counted responses for one
 * questionnaire. Anonymous imports (questionnaire_id NULL) are not constrained: NULLs differ.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createIndex('responses_one_counted')
    .on('responses')
    .column('questionnaire_id')
    .unique()
    .where(sql.ref('state'), '=', 'counted')
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('responses_one_counted').ifExists().execute();
}
