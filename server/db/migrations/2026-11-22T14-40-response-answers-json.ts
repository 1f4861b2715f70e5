import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

/**
 * Each response's answers also as one JSON object on the response row. Responses are never
 * edited after they are written, so the copy cannot drift from the answers table; analysis
 * reads one row per respondent instead of one per answer (16× fewer rows), while the answers
 * table stays for per-item SQL.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('responses').addColumn('answers_json', 'text').execute();
  const answers = await db.selectFrom('answers').select(['response_id', 'item_code', 'value']).orderBy('response_id').execute();
  const byResponse = new Map<number, Record<string, number | null>>();
  for (const a of answers) {
    const entry = byResponse.get(a.response_id) ?? {};
    entry[a.item_code] = a.value;
    byResponse.set(a.response_id, entry);
  }
  for (const [id, entry] of byResponse) {
    await db.updateTable('responses').set({ answers_json: JSON.stringify(entry) }).where('id', '=', id).execute();
  }
  await db.updateTable('responses').set({ answers_json: '{}' }).where('answers_json', 'is', null).execute();
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('responses').dropColumn('answers_json').execute();
}
