import fs from 'node:fs';
import { CompiledQuery } from 'kysely';
import type { Db, Executor } from './schema';

/**
 * Commits whose wait for the disk happens off the event loop, for the group commit of QR
 * submissions.
 *
 * better-sqlite3 is synchronous: with synchronous=FULL every COMMIT blocks the event loop for
 * the fsync of the WAL (a quarter of the server's time under load, measured in
 * bench/qr-submit.ts), and no request is read meanwhile. So a group-commit transaction runs
 * with synchronous=NORMAL, under which a WAL-mode COMMIT only write()s its frames, and then
 * this process fsyncs the WAL file itself through libuv's thread pool, answering nobody until
 * that fsync has returned. That is exactly the step FULL adds to NORMAL in WAL mode (SQLite
 * still syncs the WAL before every checkpoint and the database after it, and the WAL header
 * when it restarts the log), so an acknowledged submission is as durable as under FULL: it
 * survives a crash or power cut right after the answer. Every other transaction on the
 * connection still runs under FULL.
 */

/** The WAL file of one SQLite database, opened once for fsync only (never written, never closed while in use). */
class WalFile {
  #fd: number | undefined;
  #inode = -1;
  #running: Promise<void> | undefined;
  #queued: Promise<void> | undefined;

  constructor(readonly path: string) {}

  /**
   * Waits until everything written to the WAL before this call is on disk. Calls made while an
   * fsync runs may have written after it started, so they share the next one: under load each
   * fsync covers all the batches committed while the previous one ran.
   */
  sync(): Promise<void> {
    if (this.#running === undefined) return this.#start();
    this.#queued ??= this.#running.then(
      () => this.#start(),
      () => this.#start(),
    );
    return this.#queued;
  }

  #start(): Promise<void> {
    this.#queued = undefined;
    const running = this.#fsync().finally(() => {
      if (this.#running === running) this.#running = undefined;
    });
    this.#running = running;
    return running;
  }

  async #fsync(): Promise<void> {
    // The WAL is recreated only after every connection closed it; check it is still the file held.
    const { ino } = fs.statSync(this.path);
    if (this.#fd === undefined || ino !== this.#inode) {
      this.close();
      this.#fd = fs.openSync(this.path, 'r');
      this.#inode = ino;
    }
    const fd = this.#fd;
    await new Promise<void>((resolve, reject) => fs.fsync(fd, (error) => (error ? reject(error) : resolve())));
  }

  close(): void {
    if (this.#fd !== undefined) fs.closeSync(this.#fd);
    this.#fd = undefined;
  }
}

const walFiles = new WeakMap<Db, WalFile>();

// Run twice per batch; compiled once.
const SYNCHRONOUS_NORMAL = CompiledQuery.raw('pragma synchronous = normal');
const SYNCHRONOUS_FULL = CompiledQuery.raw('pragma synchronous = full');

/** Called by openDatabase for an SQLite file in WAL mode; returns what to call when the database closes. */
export function registerWalFile(db: Db, walPath: string): () => void {
  const wal = new WalFile(walPath);
  walFiles.set(db, wal);
  return () => wal.close();
}

/**
 * Runs `work` in one transaction whose COMMIT does not wait for the disk. The caller must not
 * tell anyone the work is done before `waitUntilCommittedOnDisk(db)` has returned. On a
 * database without a registered WAL file this is an ordinary transaction (its COMMIT waits).
 */
export async function transactionWithoutDiskWait<T>(db: Db, work: (trx: Executor) => Promise<T>): Promise<T> {
  if (!walFiles.has(db)) return db.transaction().execute(work);
  // One connection held throughout, so no other transaction can run between the pragmas.
  return db.connection().execute(async (connection) => {
    await connection.executeQuery(SYNCHRONOUS_NORMAL);
    try {
      return await connection.transaction().execute(work);
    } finally {
      await connection.executeQuery(SYNCHRONOUS_FULL);
    }
  });
}

/** Returns once every transaction committed so far on `db` is on disk (fsync of the WAL, off the event loop). */
export async function waitUntilCommittedOnDisk(db: Db): Promise<void> {
  await walFiles.get(db)?.sync();
}
