import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';

/**
 * A throwaway PostgreSQL cluster owned by one test run: created in a temporary folder, listening
 * only on 127.0.0.1 on a free port with trust authentication, stopped and removed at the end.
 * Used as vitest's globalSetup when SIPAS_TEST_DB=postgres; the tests read its address from
 * SIPAS_TEST_POSTGRES_URL and each creates its own database there (test-deps.ts). Nothing is
 * installed or started as a system service: ensure-postgres.sh only installs the binaries.
 */

/** PostgreSQL refuses to run as root, so a root test run starts it as this system user. */
const CLUSTER_USER = 'sipas-test';

function findBin(name: string): string {
  const versions = fs.existsSync('/usr/lib/postgresql') ? fs.readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const candidate = path.join('/usr/lib/postgresql', version, 'bin', name);
    if (fs.existsSync(candidate)) return candidate;
  }
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(folder, name);
    if (folder && fs.existsSync(candidate)) return candidate;
  }
  throw new Error(`${name} not found: run 'bash test/support/ensure-postgres.sh' as root (installs Debian's postgresql package)`);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program as the cluster's owner. */
function run(bin: string, args: string[]): void {
  const [file, argv] = asRoot ? ['runuser', ['-u', CLUSTER_USER, '--', bin, ...args]] : [bin, args];
  execFileSync(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
}

function ensureClusterUser(): void {
  try {
    execFileSync('id', ['-u', CLUSTER_USER], { stdio: 'ignore' });
  } catch {
    execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', CLUSTER_USER], { stdio: 'ignore' });
  }
}

export interface PostgresCluster {
  /** Address of the cluster's `postgres` database as superuser `postgres`. */
  url: string;
  stop: () => void;
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const initdb = findBin('initdb');
  const pgCtl = findBin('pg_ctl');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-pg-'));
  if (asRoot) {
    ensureClusterUser();
    execFileSync('chown', [CLUSTER_USER, dir]);
  }
  const data = path.join(dir, 'data');
  const port = await freePort();
  try {
    // A Vietnamese ICU collation, as a provincial server would likely use, so that an ORDER BY
    // on text that relies on byte order (SQLite's) fails here rather than in production.
    run(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--locale-provider=icu', '--icu-locale=vi', '--no-sync']);
    // Loopback only, socket in the cluster's folder; durability is not tested here, speed matters.
    const options = `-c listen_addresses=127.0.0.1 -p ${port} -c unix_socket_directories=${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300`;
    run(pgCtl, ['start', '-w', '-D', data, '-l', path.join(dir, 'server.log'), '-o', options]);
  } catch (error) {
    const log = path.join(dir, 'server.log');
    const detail = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start the test PostgreSQL cluster: ${detail}${fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : ''}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        run(pgCtl, ['stop', '-D', data, '-m', 'immediate', '-w']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * For a test file about PostgreSQL by nature (several instances, pg_dump): in the SQLite run it
 * starts its own throwaway cluster and makes this file's createTestDeps use it, so the file
 * runs in both halves of `npm test` and never passes by skipping. Call at the top of the file.
 */
export function onPostgresInEveryRun(): void {
  let own: PostgresCluster | undefined;
  const before = process.env.SIPAS_TEST_DB;
  beforeAll(async () => {
    if (!process.env.SIPAS_TEST_POSTGRES_URL) {
      own = await startPostgresCluster();
      process.env.SIPAS_TEST_POSTGRES_URL = own.url;
    }
    process.env.SIPAS_TEST_DB = 'postgres';
  }, 120_000);
  afterAll(() => {
    if (before === undefined) delete process.env.SIPAS_TEST_DB;
    else process.env.SIPAS_TEST_DB = before;
    if (own) {
      delete process.env.SIPAS_TEST_POSTGRES_URL;
      own.stop();
    }
  });
}

/** vitest globalSetup: one cluster for the whole run when the suite runs on PostgreSQL. */
export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env.SIPAS_TEST_DB !== 'postgres' || process.env.SIPAS_TEST_POSTGRES_URL) return undefined;
  const cluster = await startPostgresCluster();
  process.env.SIPAS_TEST_POSTGRES_URL = cluster.url;
  return () => cluster.stop();
}

/**
 * A fresh, empty database on the run's cluster for one test; `drop` removes it (after the
 * test's own connections are closed, or it ends them).
 */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = process.env.SIPAS_TEST_POSTGRES_URL;
  if (!admin) throw new Error('SIPAS_TEST_POSTGRES_URL is not set: run PostgreSQL tests through vitest with SIPAS_TEST_DB=postgres (globalSetup starts the cluster)');
  const name = `t_${randomBytes(8).toString('hex')}`;
  const query = async (text: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(text);
    } finally {
      await client.end();
    }
  };
  await query(`create database ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => query(`drop database if exists ${name} with (force)`) };
}
