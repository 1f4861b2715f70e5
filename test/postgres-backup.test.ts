import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../server/cli/run-cli';
import { openDatabase } from '../server/db/connect';
import { listUnits } from '../server/repositories/units';
import { createWave, importUnits } from '../server/services/waves/waves';
import { onPostgresInEveryRun } from './support/postgres-cluster';
import { createTestDeps } from './support/test-deps';

// pg_dump / pg_restore behind `backup` and `restore` (server/db/postgres-backup.ts); the SQLite side is in admin-commands.test.ts.
onPostgresInEveryRun();

describe('backup and restore on PostgreSQL', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  const cli = (...argv: string[]) => runCli(argv, { ...deps.databaseEnv, USER: 'tester' }, deps.dir);

  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(() => deps.cleanup());

  it('refuses to restore while a server holds the database, then restores once it has stopped', async () => {
    await createWave(deps.db, { year: 2023, actor: 'test' });
    await importUnits(deps.db, 2023, Buffer.from('unit_code,unit_name,unit_kind\nSNV,Sở Nội vụ,department\n'), 'test');
    const backupFile = path.join(deps.dir, 'sipas.dump');
    expect((await cli('backup', backupFile)).code).toBe(0);
    await importUnits(deps.db, 2023, Buffer.from('unit_code,unit_name,unit_kind\nSTP,Sở Tư pháp,department\n'), 'test');

    const busy = await cli('restore', backupFile);
    expect(busy.stderr).toBe('Lỗi: Máy chủ SIPAS (hoặc một lệnh khác) đang dùng cơ sở dữ liệu: hãy dừng mọi máy chủ rồi chạy lại lệnh khôi phục\n');
    expect((await listUnits(deps.db, 2023)).map((u) => u.code)).toEqual(['STP']);

    await deps.db.destroy();
    expect((await cli('restore', backupFile)).stdout).toContain('(1 đợt khảo sát)');
    deps.db = openDatabase(deps.config.database);
    expect((await listUnits(deps.db, 2023)).map((u) => u.code)).toEqual(['SNV']);
  });
});
