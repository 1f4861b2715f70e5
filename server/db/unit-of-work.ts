import type { Transaction } from 'kysely';
import type { Db } from './connect';
import { takeWriteLock } from './dialect';
import type { Database } from './schema';

/**
 * Work to do once the transaction has committed (deleting a file the records no longer point
 * to, erasing freed pages): given the database, since the transaction is over by then.
 */
export type AfterCommit = (task: (db: Db) => void | Promise<void>) => void;

/**
 * The one way to change the database: opens a transaction, takes the write lock as its first
 * statement (so the reads that decide what to write see the state the writes land on), hands
 * `trx` to the services, commits, then runs what they asked to do after the commit. Routes and
 * command-line commands call it; services take the executor they are given. If `work` throws,
 * nothing is written and no after-commit task runs.
 */
export async function writeTransaction<T>(db: Db, work: (trx: Transaction<Database>, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
  const tasks: ((db: Db) => void | Promise<void>)[] = [];
  const result = await db.transaction().execute(async (trx) => {
    await takeWriteLock(trx);
    return work(trx, (task) => tasks.push(task));
  });
  for (const task of tasks) await task(db);
  return result;
}

/**
 * Reads that must describe one moment (a wave's results: its settings, units and responses
 * together), without the write lock. Repeatable read on PostgreSQL, whose default gives each
 * statement a newer state; an SQLite transaction reads one snapshot already.
 */
export function readTransaction<T>(db: Db, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.transaction().setIsolationLevel('repeatable read').execute(work);
}
