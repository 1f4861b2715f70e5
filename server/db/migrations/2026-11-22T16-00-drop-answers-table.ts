import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * The answers live once, as the JSON object on their response row (written in the same insert,
 * never edited). The table of one row per answer was a second copy that nothing in the platform
 * read, and writing its 16 rows (two B-trees each) was the largest single cost of a citizen's
 * QR submission. Per-item SQL reads the JSON: `json_each(responses.answers_json)` in SQLite,
 * `jsonb_each_text(answers_json::jsonb)` in PostgreSQL.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('answers').execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('answers')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('item_code', 'text', (c) => c.notNull())
    .addColumn('value', 'integer')
    .addPrimaryKeyConstraint('answers_pk', ['response_id', 'item_code'])
    .execute();
  const responses = await db.selectFrom('responses').select(['id', 'answers_json']).orderBy('id').execute();
  for (const response of responses) {
    const answers = Object.entries(JSON.parse(response.answers_json ?? '{}') as Record<string, number | null>);
    if (answers.length === 0) continue;
    await db
      .insertInto('answers')
      .values(answers.map(([item_code, value]) => ({ response_id: response.id, item_code, value })))
      .execute();
  }
}
