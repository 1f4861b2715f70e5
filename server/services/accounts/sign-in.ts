import type { Db } from '../../db/connect';
import { writeTransaction } from '../../db/unit-of-work';
import { recordAudit } from '../../repositories/audit';
import { authenticate, createSession, type User } from '../../repositories/users';

/**
 * Checks a password and opens a session; every attempt, failed or not, goes to the audit log.
 * The password check is slow on purpose (scrypt), so it runs before the write lock is taken.
 */
export async function signIn(db: Db, username: string, password: string): Promise<{ user: User; sessionId: string } | null> {
  const user = await authenticate(db, username, password);
  return writeTransaction(db, async (trx) => {
    if (!user) {
      await recordAudit(trx, { actor: username || null, action: 'auth.failed' });
      return null;
    }
    const sessionId = await createSession(trx, user.id);
    await recordAudit(trx, { actor: user.username, action: 'auth.login' });
    return { user, sessionId };
  });
}
