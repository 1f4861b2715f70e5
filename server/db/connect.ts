import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { createQueryId, Kysely, Migrator, SqliteDialect, type Compilable, type CompiledQuery, type DialectAdapter, type QueryResult, type SqliteDatabase } from 'kysely';
import type { DatabaseTarget } from '../config';
import { ConfigError } from '../errors';
import { registerWalFile } from './commit-sync';
import { migrations } from './migrations';
import { openPostgres } from './postgres';
import type { Database, Db, Executor } from './schema';

export type { Db } from './schema';

/**
 * Opens the database named by the configuration (PostgreSQL in postgres.ts). SQLite runs in WAL mode with synchronous=FULL:
 * an acknowledged response must survive a crash or power cut right after the reply.
 */
export function openDatabase(target: DatabaseTarget): Db {
  if (target.kind === 'postgres') return openPostgres(target.url);
  const sqlite = openSqliteFile(target.file);
  let closeWal = () => {};
  const db: Db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, () => closeWal()) }) });
  // SQLite names the WAL after the real path of the database file; group commits fsync it themselves.
  if (sqlite.pragma('journal_mode', { simple: true }) === 'wal') closeWal = registerWalFile(db, `${fs.realpathSync(target.file)}-wal`);
  return db;
}

/**
 * Kysely asks the driver to prepare every query anew, and preparing costs more than running
 * the small statements a submission makes. Queries are built from the same code paths, so a
 * bounded cache by SQL text serves nearly all of them. Reusing a statement is safe because
 * Kysely runs one query at a time on its single SQLite connection.
 */
function withStatementCache(sqlite: SQLite.Database, onClose: () => void, capacity = 500): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      sqlite.close();
      onClose();
    },
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement) {
        // Refresh its place so the least recently used one is dropped first.
        statements.delete(sql);
      } else {
        statement = sqlite.prepare(sql);
        if (statements.size >= capacity) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

/** Stands in for one argument of a reusable query while it is built. */
class Argument {
  constructor(readonly index: number) {}
}

/**
 * Kysely builds and compiles a query object on every call, and on the QR submission path that
 * costs more than SQLite takes to run the statement. A reusable query is built once per
 * database with stand-ins for its arguments; later calls only put the values in their places.
 * The SQL still comes from Kysely's compiler for the database in use, so it stays portable.
 * `build` may use its arguments only as values, never to decide the query's shape.
 */
export function reusableQuery<A extends unknown[], O>(build: (db: Executor, ...args: A) => Compilable<O>) {
  const templates = new WeakMap<DialectAdapter, CompiledQuery<O>>();
  return (db: Executor, ...args: A): Promise<QueryResult<O>> => {
    const adapter = db.getExecutor().adapter;
    let template = templates.get(adapter);
    if (!template) {
      template = build(db, ...(args.map((_, i) => new Argument(i)) as A)).compile();
      templates.set(adapter, template);
    }
    const parameters = template.parameters.map((p) => (p instanceof Argument ? args[p.index] : p));
    return db.executeQuery<O>({ ...template, queryId: createQueryId(), parameters });
  };
}

export function openSqliteFile(file: string): SQLite.Database {
  const folder = path.dirname(file);
  try {
    fs.mkdirSync(folder, { recursive: true });
    fs.accessSync(folder, fs.constants.W_OK);
  } catch {
    throw new ConfigError(`Không ghi được vào thư mục dữ liệu ${folder}: hãy cấp quyền ghi hoặc đặt DATABASE_URL tới một thư mục khác`);
  }
  let sqlite: SQLite.Database;
  try {
    createOwnerOnly(file);
    for (const suffix of ['-wal', '-shm']) if (fs.existsSync(file + suffix)) fs.chmodSync(file + suffix, 0o600);
    sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
  } catch (error) {
    throw new ConfigError(`Không mở được cơ sở dữ liệu ${file}: ${(error as Error).message}`);
  }
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  return sqlite;
}

/**
 * Creates `file` readable and writable by its owner only, or tightens an existing one: the
 * database holds contacts and session ids. SQLite gives the -wal and -shm files it creates the
 * database file's mode. An empty file is a valid empty database.
 */
export function createOwnerOnly(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
