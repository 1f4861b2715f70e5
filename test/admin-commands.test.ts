import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { unitTableRows } from '../analysis';
import { createApp } from '../server/app';
import { runCli } from '../server/cli/run-cli';
import { writeTransaction } from '../server/db/unit-of-work';
import { seedDemoIfEmpty } from '../server/demo/seed-demo';
import { listUnits } from '../server/repositories/units';
import { findWave } from '../server/repositories/waves';
import { closeWave, purgePersonalData } from '../server/services/waves/wave-lifecycle';
import { analyseWave } from '../server/services/results/wave-results';
import { createWave, importUnits } from '../server/services/waves/waves';
import { storedUploads } from './support/stored-uploads';
import { createTestDeps } from './support/test-deps';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let env: NodeJS.ProcessEnv;
const cli = (...argv: string[]) => runCli(argv, env, deps.dir);

beforeEach(async () => {
  deps = await createTestDeps();
  env = { ...deps.databaseEnv, USER: 'tester' };
});
afterEach(() => deps.cleanup());

describe('accounts', () => {
  it('user add generates a password that signs in, once per username', async () => {
    const added = await cli('user', 'add', '--role', 'clerk', 'buudien.longxuyen', '--json');
    expect(added.code).toBe(0);
    const { password } = JSON.parse(added.stdout) as { password: string };
    expect(password.length).toBeGreaterThanOrEqual(16);
    const response = await createApp(deps).request('/dang-nhap', {
      method: 'POST',
      body: new URLSearchParams({ username: 'buudien.longxuyen', password, next: '/' }),
    });
    expect(response.status).toBe(303);
    expect((await cli('user', 'add', '--role', 'clerk', 'buudien.longxuyen')).stderr).toBe('Lỗi: Tài khoản "buudien.longxuyen" đã có\n');
    expect((await cli('user', 'add', '--role', 'boss', 'x123')).stderr).toMatch(/^Lỗi: --role phải là một trong admin, analyst, clerk, supervisor/);
    const audit = await deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'account.add').execute();
    expect(audit.map((a) => a.detail).join()).not.toContain(password);
  });

  it('a wrong password is refused and logged; signing out ends the session', async () => {
    const { signInSession } = await import('./support/test-deps');
    const session = await signInSession(deps, 'admin');
    const { cookie } = session;
    const app = createApp(deps);
    const wrong = await app.request('/dang-nhap', { method: 'POST', body: new URLSearchParams({ username: 'admin-test', password: 'sai', next: '/waves' }) });
    expect(wrong.status).toBe(401);
    const page = await wrong.text();
    expect(page).toContain('Sai tên đăng nhập hoặc mật khẩu');
    expect(page).toContain('name="next" value="/waves"');
    const logged = await deps.db.selectFrom('audit_log').select(['action', 'actor']).where('action', 'like', 'auth.%').orderBy('id').execute();
    expect(logged).toEqual([
      { action: 'auth.login', actor: 'admin-test' },
      { action: 'auth.failed', actor: 'admin-test' },
    ]);

    expect(await (await app.request('/', { headers: { cookie } })).text()).toContain('admin-test');
    const out = await app.request('/dang-xuat', { method: 'POST', headers: { ...session } });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/^sipas_session=;/);
    expect(await (await app.request('/', { headers: { cookie } })).text()).not.toContain('admin-test');
  });
});

describe('wave settings', () => {
  it('sets the period and rules, and says what is wrong with a bad value', async () => {
    await createWave(deps.db, { year: 2024, actor: 'test' });
    const ok = await cli('wave', 'settings', '--wave', '2024', '--period-from', '2024-01-01', '--period-to', '2024-09-30', '--double-entry', 'on', '--par-max', '30');
    expect(ok.code).toBe(0);
    const wave = await findWave(deps.db, 2024);
    expect(wave?.settings).toMatchObject({ period: { from: '2024-01-01', to: '2024-09-30' }, doubleEntry: true, parMaxPoints: 30 });
    expect((await cli('wave', 'settings', '--wave', '2024', '--period-from', '2024-13-01', '--period-to', '2024-12-31')).stderr).toContain('Ngày bắt đầu kỳ hồ sơ "2024-13-01" phải là ngày dạng yyyy-mm-dd');
    expect((await cli('wave', 'settings', '--wave', '2024', '--valid-share', '1,5')).stderr).toContain('Tỉ lệ tiêu chí phải trả lời "1,5" phải là số từ 0 đến 1');
    await cli('wave', 'close', '--wave', '2024');
    expect((await cli('wave', 'settings', '--wave', '2024', '--par-max', '20')).stderr).toBe('Lỗi: Đợt 2024 đã khóa: không đổi quy tắc được nữa\n');
    expect((await findWave(deps.db, 2024))?.settings.parMaxPoints).toBe(30);
  });
});

describe('wave rules page', () => {
  it('lets an administrator set the period and scoring rules, names a bad value, and freezes eligibility once drawn', async () => {
    await createWave(deps.db, { year: 2024, actor: 'test' });
    const { signInSession } = await import('./support/test-deps');
    const admin = await signInSession(deps, 'admin');
    const analyst = await signInSession(deps, 'analyst');
    const app = createApp(deps);
    const post = (session: { cookie: string }, fields: Record<string, string>) =>
      app.request('/waves/2024/settings', { method: 'POST', headers: { ...session }, body: new URLSearchParams(fields) });
    const scoring = { parMax: '32', minRespondents: '10', validShare: '0,5' };

    expect((await post(analyst, { ...scoring })).status).toBe(403);
    const saved = await post(admin, { periodFrom: '2024-01-01', periodTo: '2024-06-30', excludeOrganisations: 'on', ...scoring, parMax: '30' });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain('Đã lưu quy tắc của đợt');
    expect((await findWave(deps.db, 2024))?.settings).toMatchObject({ period: { from: '2024-01-01', to: '2024-06-30' }, excludeOrganisations: true, parMaxPoints: 30 });

    const bad = await post(admin, { periodFrom: '2024-07-01', periodTo: '2024-06-30', ...scoring });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Ngày bắt đầu 2024-07-01 sau ngày kết thúc 2024-06-30');
    expect((await findWave(deps.db, 2024))?.settings.period).toEqual({ from: '2024-01-01', to: '2024-06-30' });

    // Once drawn, the form leaves eligibility out (a disabled fieldset) and scoring still changes.
    await deps.db.updateTable('waves').set({ status: 'collecting' }).where('year', '=', 2024).execute();
    const page = await (await app.request('/waves/2024/settings', { headers: { ...admin } })).text();
    expect(page).toMatch(/<fieldset disabled="">\s*<legend>Ai đủ điều kiện/);
    expect((await post(admin, { ...scoring, minRespondents: '15' })).status).toBe(200);
    expect((await findWave(deps.db, 2024))?.settings).toMatchObject({ minRespondents: 15, excludeOrganisations: true, period: { from: '2024-01-01', to: '2024-06-30' } });
    const late = await post(admin, { periodFrom: '2024-01-01', periodTo: '2024-12-31', ...scoring });
    expect(late.status).toBe(409);
  });
});

describe('closing a wave and purging personal data', () => {
  it('refuses to purge an open wave; after closing, removes contacts, dossier codes and frame files, results unchanged', async () => {
    await seedDemoIfEmpty(deps.db, deps.dir);
    const before = unitTableRows((await analyseWave(deps.db, 2023)).results);
    expect(before.length).toBe(28);
    expect(Number((await deps.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0);

    expect((await cli('wave', 'purge-personal-data', '--wave', '2023')).stderr).toContain('chưa khóa');
    expect((await cli('wave', 'close', '--wave', '2023')).code).toBe(0);
    const purged = await cli('wave', 'purge-personal-data', '--wave', '2023', '--json');
    expect(purged.code).toBe(0);
    expect(JSON.parse(purged.stdout).contactsDeleted).toBeGreaterThan(0);

    expect(await deps.db.selectFrom('contacts').selectAll().execute()).toEqual([]);
    const codes = await deps.db.selectFrom('sample_entries').select('dossier_code').distinct().execute();
    expect(codes).toEqual([{ dossier_code: '(đã xóa)' }]);
    expect(await storedUploads(deps.db, deps.dir)).toEqual([]);
    expect(unitTableRows((await analyseWave(deps.db, 2023)).results)).toEqual(before);
    expect((await findWave(deps.db, 2023))?.personalDataPurgedAt).not.toBeNull();
    const manifest = await cli('mailing', 'export', '--wave', '2023', '--out', path.join(deps.dir, 'manifest.csv'));
    expect(manifest.stderr).toBe('Lỗi: Dữ liệu cá nhân của đợt 2023 đã được xóa: không thể in thư hay xuất danh sách gửi\n');
  });

  it('deletes the frame files only once the purge has committed', async () => {
    // A frame imported and never drawn from stays (on disk, or in the database) until the purge.
    const demo = path.resolve(__dirname, '../server/demo');
    await writeTransaction(deps.db, async (trx) => {
      await createWave(trx, { year: 2023, actor: 'test' });
      await importUnits(trx, 2023, fs.readFileSync(path.join(demo, 'units-2023.csv')), 'test');
    });
    expect((await cli('frame', 'import', '--wave', '2023', path.join(demo, 'frame-2023-sample.csv'))).code).toBe(0);
    await writeTransaction(deps.db, (trx) => closeWave(trx, 2023, 'test'));
    const files = await storedUploads(deps.db, deps.dir);
    expect(files.length).toBeGreaterThan(0);
    const failing = writeTransaction(deps.db, async (trx, afterCommit) => {
      await purgePersonalData(trx, afterCommit, 2023, deps.config.dataDir, 'test');
      throw new Error('mất điện giữa chừng');
    });
    await expect(failing).rejects.toThrow('mất điện giữa chừng');
    expect(await storedUploads(deps.db, deps.dir)).toEqual(files);
    expect((await findWave(deps.db, 2023))?.personalDataPurgedAt).toBeNull();
  });
});

describe('backup and restore', () => {
  it('restores a consistent copy over a changed database, and refuses a file that is not a SIPAS backup', async () => {
    await createWave(deps.db, { year: 2023, actor: 'test' });
    await importUnits(deps.db, 2023, Buffer.from('unit_code,unit_name,unit_kind\nSNV,Sở Nội vụ,department\n'), 'test');
    const backupFile = path.join(deps.dir, 'backups', 'sipas-2023.db');
    const backedUp = await cli('backup', backupFile);
    expect(backedUp.stdout).toMatch(/^Đã sao lưu cơ sở dữ liệu vào .*sipas-2023\.db \(\d+,\d MB\)/);

    await importUnits(deps.db, 2023, Buffer.from('unit_code,unit_name,unit_kind\nSTP,Sở Tư pháp,department\nSTC,Sở Tài chính,department\n'), 'test');
    await deps.db.destroy();
    const notSipas = path.join(deps.dir, 'other.txt');
    fs.writeFileSync(notSipas, 'hello');
    const notABackup = deps.config.database.kind === 'sqlite' ? 'cơ sở dữ liệu SQLite hợp lệ' : 'bản sao lưu PostgreSQL hợp lệ';
    expect((await cli('restore', notSipas)).stderr).toMatch(new RegExp(`^Lỗi: tệp .*other\\.txt không phải ${notABackup}`));
    const restored = await cli('restore', backupFile);
    expect(restored.stdout).toContain('(1 đợt khảo sát)');

    const { openDatabase } = await import('../server/db/connect');
    deps.db = openDatabase(deps.config.database);
    expect(await listUnits(deps.db, 2023)).toEqual([{ code: 'SNV', name: 'Sở Nội vụ', kind: 'department', predecessors: null }]);
  });
});
