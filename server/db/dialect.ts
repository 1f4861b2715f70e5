import { CompiledQuery, sql, SqliteAdapter, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import type { Database, Executor } from './schema';

/**
 * What differs between SQLite and PostgreSQL, in one place: everything else in the repositories
 * is portable Kysely. (Connection pragmas and the WAL fsync live with the SQLite connection in
 * connect.ts and commit-sync.ts.)
 */

export function isSqlite(db: Executor): boolean {
  return db.getExecutor().adapter instanceof SqliteAdapter;
}

/**
 * A text column (a code, a user name) to order by in byte order, whatever the database's
 * collation: SQLite compares bytes already, while PostgreSQL would sort by the collation its
 * cluster was created with, so lists and pages would change order from one server to another.
 */
export function byteOrder(db: Executor, column: string): RawBuilder<unknown> {
  return isSqlite(db) ? sql.ref(column) : sql`${sql.ref(column)} collate "C"`;
}

/**
 * A read that the rest of the transaction relies on (a wave's state, a questionnaire's status).
 * PostgreSQL locks the rows read (FOR UPDATE). SQLite has no row locks and no FOR UPDATE; there
 * the transaction already holds the database's write lock (takeWriteLock), so nothing else can
 * change the rows before it commits.
 */
export function lockingRead<DB extends Database, TB extends keyof DB, O>(db: Executor, query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
  return isSqlite(db) ? query : query.forUpdate();
}

/**
 * Makes the current transaction a writer from its first statement. SQLite starts a transaction
 * as a reader; if another process commits before this one's first write, the upgrade fails at
 * once (a stale snapshot cannot wait under busy_timeout). An UPDATE that matches no row still
 * takes SQLite's write lock, waiting for other writers as it should; on PostgreSQL it is a
 * harmless no-op (rows are locked by lockingRead).
 */
export async function takeWriteLock(db: Executor): Promise<void> {
  await db.executeQuery(WRITE_LOCK);
}

// Built once: every batch of QR submissions runs it. Plain SQL that both dialects accept.
const WRITE_LOCK = CompiledQuery.raw('update waves set status = status where year is null');
