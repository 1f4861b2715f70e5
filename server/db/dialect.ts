import { CompiledQuery, sql, SqliteAdapter, type Kysely, type RawBuilder, type SelectQueryBuilder } from 'kysely';
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

/**
 * Runs the start of an instance (migrations, demo seeding) while no other instance runs its own.
 * On PostgreSQL several instances may start together against one database: a session-level
 * advisory lock, held on one pooled connection while `work` runs on the others, makes them take
 * turns, so the second finds the migrations done and the demo already seeded. On SQLite one
 * file serves one machine's instances and its write lock serialises them: `work` runs as is.
 */
export async function withStartLock<T>(db: Kysely<Database>, work: () => Promise<T>): Promise<T> {
  if (isSqlite(db)) return work();
  return db.connection().execute(async (connection) => {
    await sql`select pg_advisory_lock(${START_LOCK})`.execute(connection);
    try {
      return await work();
    } finally {
      await sql`select pg_advisory_unlock(${START_LOCK})`.execute(connection);
    }
  });
}

// Any fixed 64-bit number, the same in every instance: "SIPAS" in ASCII.
const START_LOCK = 0x5349504153;

/**
 * Where uploaded files (a frame waiting for its draw, a frame being verified) are kept
 * (services/storage/stored-files.ts). SQLite serves one machine: on the data folder's disk,
 * next to the database file. PostgreSQL serves instances that share the database and not a
 * disk, so the draw, started through any instance, must find the frame another one received.
 */
export function uploadStorage(db: Executor): 'disk' | 'database' {
  return isSqlite(db) ? 'disk' : 'database';
}

/**
 * Makes the transactions that record a stored file and those that sweep unused ones take turns
 * (services/storage/database-files.ts): a sweep lists the files records point to, then deletes
 * the others, and must not run between another transaction's keeping a file and its commit. On
 * PostgreSQL a transaction-level advisory lock, released at commit; on SQLite the transaction
 * already holds the database's write lock (takeWriteLock).
 */
export async function lockStoredFiles(trx: Executor): Promise<void> {
  if (isSqlite(trx)) return;
  await sql`select pg_advisory_xact_lock(${STORED_FILES_LOCK})`.execute(trx);
}

// "SIPASF" in ASCII.
const STORED_FILES_LOCK = 0x534950415346;

// Built once: every batch of QR submissions runs it. Plain SQL that both dialects accept.
const WRITE_LOCK = CompiledQuery.raw('update waves set status = status where year is null');

/**
 * After rows were inserted with their own ids (migrate-data), makes the table's next generated
 * id follow the largest one. PostgreSQL's serial sequence does not see explicit ids; SQLite's
 * AUTOINCREMENT counter (sqlite_sequence) follows them by itself.
 */
export async function restartIdSequence(db: Executor, table: string): Promise<void> {
  if (isSqlite(db)) return;
  await sql`select setval(pg_get_serial_sequence(${table}, 'id'), coalesce(max(id), 0) + 1, false) from ${sql.table(table)}`.execute(db);
}
