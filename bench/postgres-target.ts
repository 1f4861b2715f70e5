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
