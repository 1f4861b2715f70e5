import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../server/cli/run-cli';
import { migrateToLatest, openDatabase } from '../server/db/connect';
import { startServerProcess } from './support/server-process';

let dir: string;
let file: string;
const cli = (...argv: string[]) => runCli(argv, { DATABASE_URL: file, USER: 'tester' }, dir);
const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-files-'));
  file = path.join(dir, 'sipas.db');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('database and backup files (issue 10)', () => {
  it('creates the database, its WAL and shared-memory files and backups readable by the owner only, and tightens an existing database', async () => {
    const previous = process.umask(0o022);
    try {
      const db = openDatabase({ kind: 'sqlite', file });
      await migrateToLatest(db);
      expect([mode(file), mode(`${file}-wal`), mode(`${file}-shm`)]).toEqual(['600', '600', '600']);
      await db.destroy();
      const backup = path.join(dir, 'backups', 'sipas.db');
      expect((await cli('backup', backup)).stderr).toBe('');
      expect(mode(backup)).toBe('600');

      // A database created by an earlier version, readable by everyone.
      for (const f of [file, `${file}-wal`, `${file}-shm`]) if (fs.existsSync(f)) fs.chmodSync(f, 0o644);
      fs.writeFileSync(`${file}-wal`, '');
      fs.chmodSync(`${file}-wal`, 0o644);
      const reopened = openDatabase({ kind: 'sqlite', file });
      expect([mode(file), mode(`${file}-wal`)]).toEqual(['600', '600']);
      await reopened.destroy();
    } finally {
      process.umask(previous);
    }
  });

  it('refuses to restore while a server has the database open, in one line, and restores once it has stopped', async () => {
    expect((await cli('wave', 'create', '--year', '2023')).stderr).toBe('');
    const backup = path.join(dir, 'before-2024.db');
    expect((await cli('backup', backup)).stderr).toBe('');
    expect((await cli('wave', 'create', '--year', '2024')).stderr).toBe('');

    const server = await startServerProcess(file);
    try {
      const refused = await cli('restore', backup);
      expect(refused).toEqual({ code: 1, stdout: '', stderr: `Lỗi: Máy chủ SIPAS (hoặc một lệnh khác) đang dùng cơ sở dữ liệu ${file}: hãy dừng máy chủ rồi chạy lại lệnh khôi phục\n` });
      // The server still serves: nothing was swapped under it.
      const page = await fetch(`${server.url}/healthz`);
      expect(page.ok).toBe(true);
    } finally {
      await server.kill();
    }
    const waves = async () => {
      const db = openDatabase({ kind: 'sqlite', file });
      try {
        return (await db.selectFrom('waves').select('year').orderBy('year').execute()).map((w) => w.year);
      } finally {
        await db.destroy();
      }
    };
    expect(await waves()).toEqual([2023, 2024]);
    // Stopped (here killed: the system drops a dead process's locks), the restore goes ahead.
    expect((await cli('restore', backup)).stdout).toContain('(1 đợt khảo sát)');
    expect(await waves()).toEqual([2023]);
    // A server process takes a few seconds to start under tsx on a busy machine.
  }, 90_000);
});
