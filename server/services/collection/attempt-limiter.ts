import { createHash } from 'node:crypto';
import type { Db } from '../../db/connect';
import { writeTransaction } from '../../db/unit-of-work';
import { countAttemptsSince, deleteAttemptsBefore, insertAttempt } from '../../repositories/attempts';

/**
 * Counts failed attempts per key (a client address, an account name, a questionnaire code) in
 * a sliding time window and says when a key has had too many. The counts live in the database
 * (table `attempts`), so every instance behind a load balancer sees the failures the others
 * saw. Keys are stored as SHA-256 hashes, and a scope's expired rows go each time one of its
 * failures is recorded, so the table holds at most one window of failures.
 */
export class AttemptLimiter {
  constructor(
    readonly db: Db,
    /** Names the limit ('sign-in.account'), so two limits on the same kind of key count apart. */
    readonly scope: string,
    readonly maxFailures: number,
    readonly windowMs: number,
  ) {}

  async isBlocked(key: string, now = Date.now()): Promise<boolean> {
    return (await countAttemptsSince(this.db, this.scope, hashKey(key), this.#windowStart(now))) >= this.maxFailures;
  }

  async recordFailure(key: string, now = Date.now()): Promise<void> {
    await writeTransaction(this.db, async (trx) => {
      await deleteAttemptsBefore(trx, this.scope, this.#windowStart(now));
      await insertAttempt(trx, this.scope, hashKey(key), new Date(now).toISOString());
    });
  }

  #windowStart(now: number): string {
    return new Date(now - this.windowMs).toISOString();
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
