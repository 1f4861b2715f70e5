import type { Executor } from '../db/schema';

/**
 * Stores `value` as the secret `name` unless one is there already, and returns the one stored:
 * two instances creating it at the same moment both get the first one written.
 */
export async function insertSecretIfAbsent(db: Executor, name: string, value: string, createdAt: string): Promise<string> {
  await db
    .insertInto('installation_secrets')
    .values({ name, value, created_at: createdAt })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db.selectFrom('installation_secrets').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return row.value;
}
