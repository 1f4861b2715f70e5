import { sql } from 'kysely';
import type { Db } from '../db/connect';
import type { Executor } from '../db/schema';
import { takeWriteLock } from '../repositories/collection';

/**
 * Group commit for small, independent writes that arrive many at once (citizens' QR
 * submissions). With synchronous=FULL every commit waits for the disk (an fsync, milliseconds on
 * a busy disk), so one transaction per submission caps the server at a few hundred per second.
 * Here submissions that arrive while a commit is in progress wait and then share the next
 * transaction and its single fsync; each runs inside its own SAVEPOINT, so one that fails (bad
 * input, a bug) is rolled back alone, and each caller's promise settles only after the shared
 * COMMIT has returned. "Acknowledged ⇒ durable" therefore still holds: nobody is answered before
 * their write is on disk, and if the commit fails, everyone in the batch gets the error.
 * SAVEPOINT is standard SQL (SQLite and PostgreSQL alike). Each batch takes the write lock first,
 * so its reads and writes see one consistent state even with another process writing.
 */

type Work<T> = (trx: Executor) => Promise<T>;

interface Job {
  work: Work<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

export class GroupCommitter {
  readonly #pending: Job[] = [];
  #draining = false;

  constructor(
    readonly db: Db,
    /** Upper bound on one batch, so a burst cannot hold the write lock for long. */
    readonly maxBatch = 200,
  ) {}

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#draining) void this.#drain();
    });
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#pending.length > 0) {
        // One turn of the event loop lets requests already read from their sockets join this batch.
        await new Promise((resolve) => setImmediate(resolve));
        await this.#commit(this.#pending.splice(0, this.maxBatch));
      }
    } finally {
      this.#draining = false;
    }
  }

  async #commit(batch: Job[]): Promise<void> {
    const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
    try {
      await this.db.transaction().execute(async (trx) => {
        await takeWriteLock(trx);
        for (const job of batch) {
          await sql`savepoint group_job`.execute(trx);
          try {
            const value = await job.work(trx);
            await sql`release savepoint group_job`.execute(trx);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await sql`rollback to savepoint group_job`.execute(trx);
            await sql`release savepoint group_job`.execute(trx);
            outcomes.push({ ok: false, error });
          }
        }
      });
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i];
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
