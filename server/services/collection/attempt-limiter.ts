import { createHmac } from 'node:crypto';
import type { Db } from '../../db/connect';
import { writeTransaction } from '../../db/unit-of-work';
import { countAttemptsSince, deleteAttemptsBefore, insertAttempt } from '../../repositories/attempts';
import { InstallationSecret } from '../installation/installation-secret';

/**
 * Counts failed attempts per key (a client address, an account name, a questionnaire code) in
 * a sliding time window and says when a key has had too many. The counts live in the database
 * (table `attempts`), so every instance behind a load balancer sees the failures the others
 * saw. Keys are stored as HMAC-SHA-256 with the installation's secret (attemptKeySecret): a
 * plain hash of a client address could be reversed by hashing all 2^32 IPv4 addresses, the
 * HMAC only by someone who also holds the secret. A scope's expired rows go each time one of
 * its failures is recorded, so the table holds at most one window of failures.
 */
export class AttemptLimiter {
  constructor(
    readonly db: Db,
    /** The HMAC key of the stored key hashes, shared by every limiter of the process (attemptKeySecret). */
    readonly keySecret: InstallationSecret,
    /** Names the limit ('sign-in.account'), so two limits on the same kind of key count apart. */
    readonly scope: string,
    readonly maxFailures: number,
    readonly windowMs: number,
  ) {}

  async isBlocked(key: string, now = Date.now()): Promise<boolean> {
    return (await countAttemptsSince(this.db, this.scope, await this.#hashKey(key), this.#windowStart(now))) >= this.maxFailures;
  }

  async recordFailure(key: string, now = Date.now()): Promise<void> {
    const keyHash = await this.#hashKey(key);
    await writeTransaction(this.db, async (trx) => {
      await deleteAttemptsBefore(trx, this.scope, this.#windowStart(now));
      await insertAttempt(trx, this.scope, keyHash, new Date(now).toISOString());
    });
  }

  async #hashKey(key: string): Promise<string> {
    return createHmac('sha256', await this.keySecret.value()).update(key).digest('hex');
  }

  #windowStart(now: number): string {
    return new Date(now - this.windowMs).toISOString();
  }
}

/** The secret that every limiter of one process hashes its keys with: create one per database handle. */
export function attemptKeySecret(db: Db): InstallationSecret {
  return new InstallationSecret(db, 'attempt-keys');
}
