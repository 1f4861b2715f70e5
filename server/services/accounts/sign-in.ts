import type { Db } from '../../db/connect';
import { writeTransaction } from '../../db/unit-of-work';
import { recordAudit } from '../../repositories/audit';
import { authenticate, createSession, type User } from '../../repositories/users';
import type { AttemptLimiter } from '../collection/attempt-limiter';

/** Failed sign-ins per account (a guesser on one name) and per client address (one guesser on many names). */
export interface SignInLimits {
  byAccount: AttemptLimiter;
  byClient: AttemptLimiter;
}

export type SignInOutcome = { kind: 'signed-in'; user: User; sessionId: string } | { kind: 'wrong' } | { kind: 'too-many' };

/**
 * Checks a password and opens a session; every checked attempt, failed or not, goes to the
 * audit log. Once an account or an address has had too many failures, attempts are refused
 * before any check, the right password included, so guessing stays hopeless. The password check
 * is slow on purpose (scrypt), so it runs before the write lock is taken.
 */
export async function signIn(
  db: Db,
  limits: SignInLimits,
  attempt: { username: string; password: string; client: string },
): Promise<SignInOutcome> {
  const { username, password, client } = attempt;
  if ((await limits.byClient.isBlocked(client)) || (await limits.byAccount.isBlocked(username))) return { kind: 'too-many' };
  const user = await authenticate(db, username, password);
  if (!user) {
    await limits.byClient.recordFailure(client);
    await limits.byAccount.recordFailure(username);
  }
  return writeTransaction(db, async (trx) => {
    if (!user) {
      await recordAudit(trx, { actor: username || null, action: 'auth.failed' });
      return { kind: 'wrong' } as const;
    }
    const sessionId = await createSession(trx, user.id);
    await recordAudit(trx, { actor: user.username, action: 'auth.login' });
    return { kind: 'signed-in', user, sessionId } as const;
  });
}
