import type { Executor } from '../db/schema';

/** How many failures of this key in this scope happened at or after `since` (ISO time). */
export async function countAttemptsSince(db: Executor, scope: string, keyHash: string, since: string): Promise<number> {
  const row = await db
    .selectFrom('attempts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scope', '=', scope)
    .where('key_hash', '=', keyHash)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertAttempt(db: Executor, scope: string, keyHash: string, at: string): Promise<void> {
  await db.insertInto('attempts').values({ scope, key_hash: keyHash, at }).execute();
}

/** Forgets the scope's failures from before `before`: they no longer count for any key. */
export async function deleteAttemptsBefore(db: Executor, scope: string, before: string): Promise<void> {
  await db.deleteFrom('attempts').where('scope', '=', scope).where('at', '<=', before).execute();
}
