import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../server/cli/run-cli';
import { listUnits } from '../server/repositories/units';
import { createTestDeps } from './support/test-deps';

const root = path.resolve(__dirname, '..');
const unitsFixture = fs.readFileSync(path.join(root, 'server/demo/units-2023.csv'));

// The demo wave, unit imports and the audit log page are in demo-and-units.test.ts, which runs on
// PostgreSQL too; what stays here is about the SQLite file and starting the platform on one.
describe('database file', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(() => deps.cleanup());

  it('migrates an empty database to every table, in WAL mode', async () => {
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'kysely%' and name not like 'sqlite%' order by name`.execute(deps.db);
    expect(tables.rows.map((r) => r.name)).toEqual(
      expect.arrayContaining(['audit_log', 'contacts', 'draws', 'frame_imports', 'previous_indexes', 'questionnaire_versions', 'questionnaires', 'responses', 'sample_entries', 'sessions', 'units', 'users', 'waves']),
    );
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(deps.db);
    expect(mode.rows[0].journal_mode).toBe('wal');
  });
});

describe('command line', () => {
  it('migrate, wave create and units import work on a new database file and keep the data', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-cli-'));
    const env = { DATABASE_URL: path.join(dir, 'nested', 'sipas.db') };
    try {
      expect((await runCli(['migrate'], env, dir)).code).toBe(0);
      const created = await runCli(['wave', 'create', '--year', '2023', '--json'], env, dir);
      expect(created.code).toBe(0);
      expect(JSON.parse(created.stdout)).toMatchObject({ year: 2023, status: 'setup' });
      const unitsFile = path.join(dir, 'units.csv');
      fs.writeFileSync(unitsFile, unitsFixture);
      const imported = await runCli(['units', 'import', '--wave', '2023', unitsFile], env, dir);
      expect(imported).toMatchObject({ code: 0, stdout: expect.stringContaining('Đã nhập 28 đơn vị') });
      const again = await runCli(['wave', 'create', '--year', '2023'], env, dir);
      expect(again.code).toBe(1);
      expect(again.stderr.trim().split('\n')).toEqual(['Lỗi: Đợt khảo sát năm 2023 đã có']);
      const missing = await runCli(['units', 'import', '--wave', '2023', path.join(dir, 'nope.csv')], env, dir);
      expect(missing.stderr).toMatch(/không đọc được tệp .*nope\.csv: ENOENT/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Starts the platform as `npm start` does and returns what it printed when it exits. It is sent
 * SIGTERM once it says it is serving, or after `giveUpAfterMs` (seeding the demo takes a while
 * on a busy machine).
 */
function startPlatform(env: Record<string, string>, giveUpAfterMs: number, args: string[] = []): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // tsx as a loader rather than its wrapper process, so the signal reaches the platform itself.
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    let output = '';
    let stopSent = false;
    child.stdout.on('data', (d) => {
      output += d;
      if (!stopSent && output.includes('SIPAS đang chạy tại')) {
        stopSent = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => child.kill('SIGTERM'), giveUpAfterMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('starting the platform', () => {
  it('stops with one line when the port is taken', { timeout: 100_000 }, async () => {
    const blocker = net.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as net.AddressInfo).port;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-port-'));
    try {
      const { code, output } = await startPlatform({ PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: path.join(dir, 'x.db') }, 90_000);
      expect(code).toBe(1);
      const errorLines = output.split('\n').filter((l) => l.startsWith('Không khởi động được'));
      expect(errorLines).toEqual([`Không khởi động được SIPAS: cổng ${port} đang được chương trình khác dùng: dừng chương trình đó hoặc đặt PORT=<cổng khác>`]);
      expect(output).not.toMatch(/\n\s+at /);
    } finally {
      blocker.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops with one line when the data folder cannot be written', { timeout: 100_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-ro-'));
    const blockingFile = path.join(dir, 'not-a-folder');
    fs.writeFileSync(blockingFile, '');
    try {
      const { code, output } = await startPlatform({ PORT: '0', DATABASE_URL: path.join(blockingFile, 'data', 'x.db') }, 90_000);
      expect(code).toBe(1);
      expect(output.trim()).toBe(`Không khởi động được SIPAS: Không ghi được vào thư mục dữ liệu ${path.join(blockingFile, 'data')}: hãy cấp quyền ghi hoặc đặt DATABASE_URL tới một thư mục khác`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with --demo (npm start) serves the demo wave, shows its passwords once, shuts down on SIGTERM and keeps the data across a restart', { timeout: 200_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-run-'));
    const env = { PORT: '0', HOST: '127.0.0.1', DATABASE_URL: path.join(dir, 'data', 'sipas.db') };
    try {
      const first = await startPlatform(env, 90_000, ['--demo']);
      expect(first.output).toContain('Đã tạo đợt mẫu An Giang 2023, đợt mẫu An Giang 2025 (sau sáp nhập)');
      const password = /^\s+admin\t(\S+)\t\(admin\)$/m.exec(first.output)?.[1];
      expect(password).toBeTruthy();
      expect(first.output).toContain('Nhận SIGTERM');
      expect(first.code).toBe(0);
      const second = await startPlatform(env, 90_000, ['--demo']);
      expect(second.output).not.toContain('Đã tạo đợt mẫu');
      expect(second.output).not.toMatch(/^\s+admin\t/m);
      expect(second.output).not.toContain(password);
      expect(fs.readdirSync(path.join(dir, 'data')).filter((f) => f.endsWith('.txt'))).toEqual([]);
      const { db } = await createTestDepsAt(env.DATABASE_URL);
      expect(await listUnits(db, 2023)).toHaveLength(28);
      expect(await listUnits(db, 2025)).toHaveLength(115);
      await db.destroy();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('without --demo an empty database gets no wave and no account, and is told how to create the first one', { timeout: 100_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-prod-'));
    const file = path.join(dir, 'data', 'sipas.db');
    try {
      const { code, output } = await startPlatform({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: file }, 90_000);
      expect(code).toBe(0);
      expect(output).not.toContain('Đã tạo đợt mẫu');
      expect(output).toContain('Chưa có tài khoản nào. Tạo tài khoản quản trị đầu tiên bằng: npm run sipas -- user add --role admin <tên-đăng-nhập>');
      const { db } = await createTestDepsAt(file);
      expect(await db.selectFrom('waves').selectAll().execute()).toEqual([]);
      expect(await db.selectFrom('users').selectAll().execute()).toEqual([]);
      await db.destroy();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

async function createTestDepsAt(file: string) {
  const { openDatabase } = await import('../server/db/connect');
  return { db: openDatabase({ kind: 'sqlite', file }) };
}
