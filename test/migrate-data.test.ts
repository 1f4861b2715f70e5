import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { createAppDeps } from '../server/app-env';
import { runCli } from '../server/cli/run-cli';
import { loadConfig } from '../server/config';
import { migrateToLatest, openDatabase } from '../server/db/connect';
import { COPIED_TABLES } from '../server/db/table-copy';
import { seedDemoIfEmpty, type DemoAccount } from '../server/demo/seed-demo';
import { attemptKeySecret } from '../server/services/collection/attempt-limiter';
import { createTestDatabase } from './support/postgres-cluster';

/**
 * The 2023 demo on an SQLite file, copied to the middle database and from there to a new SQLite
 * file. The middle one is PostgreSQL in the PostgreSQL run (test/postgres-suite.txt), another
 * SQLite file otherwise.
 */
let dir: string;
let source: string;
let middle: string;
let dropMiddle: (() => Promise<void>) | undefined;
let accounts: DemoAccount[];

const cli = (...argv: string[]) => runCli(argv, { DATABASE_URL: source, DATA_DIR: dir, USER: 'tester' }, dir);

interface Outcome {
  tables: { name: string; source: number; target: number }[];
  waves: { year: number; identical: boolean }[];
  identical: boolean;
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-migrate-'));
  source = path.join(dir, 'source.db');
  const db = openDatabase({ kind: 'sqlite', file: source });
  await migrateToLatest(db);
  ({ accounts } = await seedDemoIfEmpty(db, dir));
  // A served installation has its attempt-key secret (made at the first sign-in or /k): the copy leaves it, as it leaves the attempts.
  await attemptKeySecret(db).value();
  await db.destroy();
  if (process.env.SIPAS_TEST_DB === 'postgres') {
    const database = await createTestDatabase();
    middle = database.url;
    dropMiddle = database.drop;
  } else {
    middle = path.join(dir, 'middle.db');
    dropMiddle = undefined;
  }
}, 120_000);

afterEach(async () => {
  await dropMiddle?.();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function rowsOf(file: string) {
  const db = openDatabase({ kind: 'sqlite', file });
  try {
    const rows: Record<string, unknown[]> = {};
    for (const { name, key } of COPIED_TABLES) rows[name] = await db.selectFrom(name).selectAll().$if(key !== null, (q) => q.orderBy(key as never)).execute();
    return rows;
  } finally {
    await db.destroy();
  }
}

describe('migrate-data', () => {
  it('copies the 2023 demo there and back: same row counts, same unit tables, same rows; accounts sign in on the copy', async () => {
    const there = await cli('migrate-data', '--from', source, '--to', middle, '--json');
    expect(there.stderr).toBe('');
    const outcome = JSON.parse(there.stdout) as Outcome;
    expect(outcome.identical).toBe(true);
    expect(outcome.waves).toEqual([{ year: 2023, identical: true }]);
    for (const table of outcome.tables) expect(table.target, table.name).toBe(table.source);
    const count = (name: string) => outcome.tables.find((t) => t.name === name)?.source;
    for (const name of ['waves', 'units', 'sample_entries', 'contacts', 'questionnaires', 'responses', 'users', 'audit_log']) expect(count(name), name).toBeGreaterThan(0);
    expect(count('installation_secrets')).toBeUndefined();

    // Signing in writes a session and an audit row with a generated id: on PostgreSQL it works only if the id sequences were moved past the copied ids.
    const config = loadConfig({ DATABASE_URL: middle, DATA_DIR: dir, PORT: '0' }, dir);
    const db = openDatabase(config.database);
    try {
      const admin = accounts.find((a) => a.role === 'admin')!;
      const response = await createApp(createAppDeps({ db, config })).request('/dang-nhap', {
        method: 'POST',
        body: new URLSearchParams({ username: admin.username, password: admin.password, next: '/' }),
      });
      expect(response.status).toBe(303);
      expect(await db.selectFrom('sessions').select('user_id').execute()).toHaveLength(1);
      await db.deleteFrom('sessions').execute();
      await db.deleteFrom('audit_log').where('action', '=', 'auth.login').execute();
    } finally {
      await db.destroy();
    }

    const back = path.join(dir, 'back.db');
    const returned = await runCli(['migrate-data', '--from', middle, '--to', back], { DATABASE_URL: source, DATA_DIR: dir }, dir);
    expect(returned.stderr).toBe('');
    expect(returned.stdout).toContain('Giống hệt.');
    expect(returned.stdout).toContain('bảng đơn vị đợt 2023: giống hệt');
    expect(returned.stdout).toContain('Phiên đăng nhập không được chép');
    expect(await rowsOf(back)).toEqual(await rowsOf(source));
  }, 180_000);

  it('refuses a target that holds data, a missing source file, and a source with a frame file not yet published', async () => {
    expect((await cli('migrate-data', '--from', source, '--to', middle)).code).toBe(0);
    const again = await cli('migrate-data', '--from', source, '--to', middle);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^Lỗi: Cơ sở dữ liệu đích đã có dữ liệu \(bảng waves, units, /);

    const db = openDatabase({ kind: 'sqlite', file: source });
    await db.updateTable('frame_imports').set({ stored_file: path.join(dir, 'frames', '2023-x.csv') }).execute();
    await db.destroy();
    const fresh = path.join(dir, 'fresh.db');
    expect((await cli('migrate-data', '--from', path.join(dir, 'typo.db'), '--to', fresh)).stderr).toMatch(/^Lỗi: không có tệp cơ sở dữ liệu nguồn .*typo\.db\n$/);
    const refused = await cli('migrate-data', '--from', source, '--to', fresh);
    expect(refused.stderr).toMatch(/^Lỗi: Đợt 2023 có khung mẫu đã nhập nhưng chưa công bố/);
    expect(fs.existsSync(fresh)).toBe(false);
  }, 180_000);

  it('opens only the two databases it names: run in an empty folder without DATABASE_URL, it leaves no data folder there', async () => {
    const empty = fs.mkdtempSync(path.join(dir, 'empty-'));
    const result = await runCli(['migrate-data', '--from', source, '--to', middle], { USER: 'tester' }, empty);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('Giống hệt.');
    expect(fs.readdirSync(empty)).toEqual([]);
  }, 180_000);
});
