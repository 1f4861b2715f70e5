import path from 'node:path';
import { createTestDatabase, startPostgresCluster, type PostgresCluster } from '../test/support/postgres-cluster.js';

/**
 * The PostgreSQL side of the benchmarks that run beside SQLite: a fresh database on
 * BENCH_POSTGRES_URL's server (a role that may create databases), or else on a throwaway cluster
 * started like the tests' (test/support/postgres-cluster.ts: loopback, fsync and
 * synchronous_commit off, so commits cost less than on a real server). Undefined, with the
 * reason printed, when there is no PostgreSQL to start (its programs are not installed).
 */
export async function benchPostgresDatabase(): Promise<{ url: string; close: () => Promise<void> } | undefined> {
  let cluster: PostgresCluster | undefined;
  if (!process.env.BENCH_POSTGRES_URL) {
    try {
      cluster = await startPostgresCluster();
    } catch (error) {
      console.log(`PostgreSQL: not measured (${(error as Error).message.split('\n')[0]})`);
      return undefined;
    }
  }
  // createTestDatabase creates, and later drops, its database on the server named here.
  process.env.SIPAS_TEST_POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? cluster!.url;
  const database = await createTestDatabase();
  return {
    url: database.url,
    close: async () => {
      try {
        await database.drop();
      } finally {
        cluster?.stop();
      }
    },
  };
}

/** What a benched server process is started with: its database, and its data folder on PostgreSQL. */
export type BenchServerEnv = { DATABASE_URL: string; DATA_DIR?: string };

/**
 * Runs `measure` on SQLite (a file in `dir`), then on a PostgreSQL database from
 * benchPostgresDatabase (dropped afterwards) unless `sqliteOnly` or there is none; the second
 * argument is the server's environment for that database. Returns each label with its figures.
 */
export async function onEachDatabase<T>(
  dir: string,
  measure: (label: string, env: BenchServerEnv) => Promise<T>,
  { sqliteOnly = false } = {},
): Promise<[string, T][]> {
  const results: [string, T][] = [['SQLite', await measure('SQLite', { DATABASE_URL: path.join(dir, 'sipas.db') })]];
  const postgres = sqliteOnly ? undefined : await benchPostgresDatabase();
  if (postgres) {
    try {
      results.push(['PostgreSQL', await measure('PostgreSQL', { DATABASE_URL: postgres.url, DATA_DIR: dir })]);
    } finally {
      await postgres.close();
    }
  }
  return results;
}
