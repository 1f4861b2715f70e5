import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type SqliteDatabase } from 'kysely';
import { ConfigError, type DatabaseTarget } from '../config';
import { migrations } from './migrations';
import type { Database } from './schema';

export type Db = Kysely<Database>;

/**
 * Opens the database named by the configuration. SQLite runs in WAL mode with synchronous=FULL:
 * an acknowledged response must survive a crash or power cut right after the reply.
 */
export function openDatabase(target: DatabaseTarget): Db {
  if (target.kind === 'postgres') {
    throw new ConfigError(
      'DATABASE_URL trỏ tới PostgreSQL, nhưng bản cài đặt này chưa kèm trình điều khiển PostgreSQL; hãy dùng tệp SQLite (mặc định ./data/sipas.db)',
    );
  }
  return new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(openSqliteFile(target.file)) }) });
}

/**
 * Kysely asks the driver to prepare every query anew, and preparing costs more than running
 * the small statements a submission makes. Queries are built from the same code paths, so a
 * bounded cache by SQL text serves nearly all of them. Reusing a statement is safe because
 * Kysely runs one query at a time on its single SQLite connection.
 */
function withStatementCache(sqlite: SQLite.Database, capacity = 500): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => sqlite.close(),
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

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
