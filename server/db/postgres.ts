import pg from 'pg';
import Cursor from 'pg-cursor';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Database, Db } from './schema';

/**
 * The PostgreSQL connection: the only module that knows the `pg` driver. The schema keeps
 * timestamps as ISO text and booleans as 0/1 integers, so what remains to align with SQLite is
 * how numbers come back.
 */

/**
 * PostgreSQL's count() and sum() of integers are bigint (int8), and avg() is numeric; `pg`
 * returns both as strings so as not to lose digits beyond 2^53. The platform's counts and
 * sums are far below that, and the code (like SQLite's driver) expects numbers. Set on this
 * pool's own type table, not pg's global one.
 */
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (value: string) => Number(value);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

export const DEFAULT_POOL_SIZE = 10;

export function openPostgres(url: string, poolSize = DEFAULT_POOL_SIZE): Db {
  const pool = new pg.Pool({ connectionString: url, max: poolSize, types });
  // An idle connection the server ends (restart, administrator) is dropped by the pool, and the
  // next query opens a new one; without a listener the error would stop the whole process.
  pool.on('error', () => {});
  // The cursor lets a query be read in batches (Kysely's stream()): analysis reads a wave of a
  // million responses that way instead of holding every row at once.
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool, cursor: Cursor }) });
}

/**
 * PostgreSQL's counterpart of SQLite's erase (secure-erase.ts): VACUUM FULL rewrites every
 * table from its live rows, so deleted personal data no longer sits in the table files. Old
 * WAL segments keep it until the server recycles them, and backups keep it: see the README.
 */
export async function rewriteTables(db: Db): Promise<void> {
  await sql`vacuum full`.execute(db);
}
