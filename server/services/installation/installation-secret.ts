import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/schema';
import { writeTransaction } from '../../db/unit-of-work';
import { insertSecretIfAbsent } from '../../repositories/installation-secrets';

/**
 * One random secret of the installation (32 bytes), the same for every instance on one
 * database: the first instance that needs it generates and stores it, the others read the one
 * stored. Read once per process, then held in memory.
 */
export class InstallationSecret {
  #value: Promise<Buffer> | undefined;

  constructor(
    readonly db: Db,
    /** What it is for, its row in `installation_secrets`: 'attempt-keys'. */
    readonly name: string,
  ) {}

  value(): Promise<Buffer> {
    // A failed read (database unreachable for a moment) is not kept: the next call tries again.
    this.#value ??= this.#load().catch((error: unknown) => {
      this.#value = undefined;
      throw error;
    });
    return this.#value;
  }

  async #load(): Promise<Buffer> {
    const candidate = randomBytes(32).toString('hex');
    const stored = await writeTransaction(this.db, (trx) => insertSecretIfAbsent(trx, this.name, candidate, new Date().toISOString()));
    return Buffer.from(stored, 'hex');
  }
}
