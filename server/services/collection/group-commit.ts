import { transactionWithoutDiskWait, waitUntilCommittedOnDisk } from '../../db/commit-sync';
import type { Db } from '../../db/connect';
import type { Executor } from '../../db/schema';
import { takeWriteLock } from '../../db/dialect';

/**
 * Group commit for small, independent writes that arrive many at once (citizens' QR
 * submissions). With synchronous=FULL every commit waits for the disk (an fsync, milliseconds on
 * a busy disk), so one transaction per submission caps the server at a few hundred per second.
 * Here submissions that arrive while a commit is in progress wait and then share the next
 * transaction and its single fsync, and each caller's promise settles only after that COMMIT is
 * on disk: "acknowledged ⇒ durable" still holds. The fsync itself runs off the event loop (see
 * commit-sync.ts), so requests keep being read while the disk works. Jobs must only touch the
 * database (they may run twice): if one throws, the whole batch is rolled back before anyone was
 * answered and each job is retried in a transaction of its own, so a failing job fails alone.
 * Each batch takes the write lock first, so its reads and writes see one consistent state even
 * with another process writing.
 */

/**
 * What the jobs of one batch share besides its transaction: reads that every job needs (the
 * wave, its questionnaire) are done once per batch. A retried job gets a fresh scope, since the
 * transaction it was read in was rolled back.
 */
export class BatchScope {
  readonly #memo = new Map<string, Promise<unknown>>();

  /** `load()` the first time `key` is asked for in this batch, the same promise afterwards. */
  once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.#memo.get(key) as Promise<T> | undefined;
    if (!value) this.#memo.set(key, (value = load()));
    return value;
  }
}

type Work<T> = (trx: Executor, batch: BatchScope) => Promise<T>;

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
        // Turns of the event loop let requests already read from their sockets join this batch;
        // under load each turn brings more, and fewer commits (fsyncs) per submission is the
        // largest saving, so wait while the batch still grows. A lone request waits one turn.
        let seen = 0;
        while (this.#pending.length > seen && this.#pending.length < this.maxBatch) {
          seen = this.#pending.length;
          await new Promise((resolve) => setImmediate(resolve));
        }
        await this.#commit(this.#pending.splice(0, this.maxBatch));
      }
    } finally {
      this.#draining = false;
    }
  }

  async #commit(batch: Job[]): Promise<void> {
    let values: unknown[];
    try {
      values = await this.#transaction(batch);
    } catch (error) {
      if (batch.length === 1) {
        batch[0].reject(error);
        return;
      }
      // Some job failed (or the commit did) and the whole batch was rolled back: nobody has been
      // answered yet, so each job runs again in a transaction of its own and fails or succeeds alone.
      for (const job of batch) await this.#commit([job]);
      return;
    }
    // The next batch may start while this one's fsync runs (and share it, see commit-sync.ts).
    void this.#answerOnceOnDisk(batch, values);
  }

  async #answerOnceOnDisk(batch: Job[], values: unknown[]): Promise<void> {
    try {
      await waitUntilCommittedOnDisk(this.db);
    } catch (error) {
      // Committed but perhaps not on disk: nobody may be told it is saved, and a retry would
      // record the same answers twice, so every caller gets the error.
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => job.resolve(values[i]));
  }

  #transaction(batch: Job[]): Promise<unknown[]> {
    return transactionWithoutDiskWait(this.db, async (trx) => {
      await takeWriteLock(trx);
      const scope = new BatchScope();
      const values: unknown[] = [];
      for (const job of batch) values.push(await job.work(trx, scope));
      return values;
    });
  }
}
