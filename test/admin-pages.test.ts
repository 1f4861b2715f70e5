import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { runCli } from '../server/cli/run-cli';
import { dumpedTables } from '../server/db/postgres-backup';
import { findQuestionnaire } from '../server/repositories/questionnaire-versions';
import { listUnits } from '../server/repositories/units';
import { findAccountByName } from '../server/repositories/users';
import { findWave } from '../server/repositories/waves';
import { createPublishedWave } from './support/published-wave';
import { createTestDeps, signInSession, type StaffSession } from './support/test-deps';

/**
 * The administration pages (issue 12) through the real app on a real SQLite file: an
 * administrator does in the browser what the command line did, with the same services.
 */

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let app: ReturnType<typeof createApp>;
let admin: StaffSession;

beforeEach(async () => {
  deps = await createTestDeps();
  deps.clock = () => new Date('2024-01-15T20:00:00Z');
  await createPublishedWave(deps.db, { perUnit: 3, reserves: 1 });
  app = createApp(deps);
  admin = await signInSession(deps, 'admin', 'quantri');
});
afterEach(() => deps.cleanup());

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

function post(url: string, fields: Record<string, string | string[]>, session: StaffSession | { cookie: string; 'x-sipas-token'?: string } = admin) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of [value].flat()) body.append(name, v);
  return app.request(url, { method: 'POST', body, headers: { ...FORM, ...session } });
}

const get = (url: string, cookie = admin.cookie) => app.request(url, { headers: { cookie } });

/** Signs in through the form; the session cookie, or the status when refused. */
async function signInAs(username: string, password: string): Promise<{ status: number; cookie?: string }> {
  const response = await app.request('/dang-nhap', { method: 'POST', body: new URLSearchParams({ username, password, next: '/' }), headers: FORM });
  return { status: response.status, cookie: response.headers.get('set-cookie')?.split(';')[0] };
}

/** The form token a page served to this session carries, as a browser would post it. */
async function sessionOf(cookie: string, page = '/tai-khoan/mat-khau'): Promise<StaffSession> {
  const html = await (await get(page, cookie)).text();
  const token = /name="_token" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error(`${page} carries no form token`);
  return { cookie, 'x-sipas-token': token };
}

function oneTimePasswordIn(html: string): string {
  const password = /Mật khẩu dùng một lần của tài khoản <strong>[^<]+<\/strong>: <code>([^<]+)<\/code>/.exec(html)?.[1];
  if (!password) throw new Error('the page shows no one-time password');
  return password;
}

async function accountId(username: string): Promise<number> {
  return (await findAccountByName(deps.db, username))!.id;
}

const auditActions = async () => (await deps.db.selectFrom('audit_log').select('action').orderBy('id').execute()).map((a) => a.action);

describe('creating a wave', () => {
  it("copies last year's units (lineage to the same codes) and questionnaire, and refuses a taken or bad year at its field", async () => {
    const form = await (await get('/admin/waves/new')).text();
    expect(form).toContain('id="year" name="year" inputmode="numeric" autocomplete="off" value="2024"');
    expect(form).toMatch(/<option value="2023" selected="">Sao chép từ đợt 2023 \(3 đơn vị\)/);

    const created = await post('/admin/waves/new', { year: '2024', name: 'SIPAS 2024 — An Giang', copyFrom: '2023' });
    expect([created.status, created.headers.get('location')]).toEqual([303, '/waves/2024']);
    expect(await findWave(deps.db, 2024)).toMatchObject({ name: 'SIPAS 2024 — An Giang', status: 'setup' });
    const last = await listUnits(deps.db, 2023);
    expect(await listUnits(deps.db, 2024)).toEqual(last.map((u) => ({ ...u, predecessors: [u.code] })));
    expect((await findQuestionnaire(deps.db, 2024))?.version).toBe((await findQuestionnaire(deps.db, 2023))?.version);
    const audit = await deps.db.selectFrom('audit_log').select(['actor', 'detail']).where('action', '=', 'wave.create').where('wave_year', '=', 2024).executeTakeFirstOrThrow();
    expect([audit.actor, JSON.parse(audit.detail)]).toEqual(['quantri', expect.objectContaining({ copiedFrom: 2023, units: 3 })]);

    const taken = await post('/admin/waves/new', { year: '2024', name: '', copyFrom: '2023' });
    expect(taken.status).toBe(409);
    const page = await taken.text();
    expect(page).toContain('aria-invalid="true" aria-describedby="year-error"');
    expect(page).toContain('<p class="field-error" id="year-error">Đợt khảo sát năm 2024 đã có</p>');
    const bad = await post('/admin/waves/new', { year: 'năm sau', name: '', copyFrom: '' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('id="year-error">Năm khảo sát cần là một năm từ 2000 đến 2100, ví dụ 2025</p>');
    const later = await post('/admin/waves/new', { year: '2025', name: '', copyFrom: '2026' });
    expect([later.status, await later.text()]).toEqual([400, expect.stringContaining('id="copyFrom-error">Chỉ sao chép được từ một đợt trước năm 2025</p>')]);
    expect(await findWave(deps.db, 2025)).toBeUndefined();
  });

  it('gives administrators the button on the home page, and no one else', async () => {
    expect(await (await get('/')).text()).toContain('href="/admin/waves/new"');
    const analyst = await signInSession(deps, 'analyst');
    expect(await (await get('/', analyst.cookie)).text()).not.toContain('/admin/waves/new');
    expect((await get('/admin/waves/new', analyst.cookie)).status).toBe(403);
  });

  it('the command line copies the same way (wave create --copy-from)', async () => {
    const cli = await runCli(['wave', 'create', '--year', '2024', '--copy-from', '2023'], { ...deps.databaseEnv, USER: 'tester' }, deps.dir);
    expect(cli.stdout).toContain('với phiếu khảo sát và đơn vị của đợt 2023');
    expect((await listUnits(deps.db, 2024)).map((u) => u.predecessors)).toEqual([['SNV'], ['STP'], ['LXU']]);
  });
});

describe("a unit's page", () => {
  it('edits lineage while the wave is in setup, refusing codes last year did not have and changing nothing then', async () => {
    await post('/admin/waves/new', { year: '2024', name: '', copyFrom: '2023' });
    expect(await (await get('/waves/2024')).text()).toContain('<a href="/waves/2024/units/SNV">SNV</a>');
    const form = await (await get('/waves/2024/units/SNV')).text();
    expect(form).toContain('name="predecessors" value="SNV"');

    const unknown = await post('/waves/2024/units/SNV', { name: 'Sở Nội vụ', kind: 'department', predecessors: 'SNV, SXD' });
    expect(unknown.status).toBe(400);
    const page = await unknown.text();
    expect(page).toContain('<p class="field-error" id="predecessors-error">Đợt 2023 không có đơn vị mã SXD</p>');
    expect(page).toContain('value="SNV, SXD"');
    expect((await listUnits(deps.db, 2024))[0].predecessors).toEqual(['SNV']);

    const merged = await post('/waves/2024/units/SNV', { name: 'Sở Nội vụ tỉnh An Giang', kind: 'department', predecessors: 'SNV, STP' });
    expect(merged.status).toBe(200);
    expect(await merged.text()).toContain('Đã lưu đơn vị SNV — Sở Nội vụ tỉnh An Giang');
    expect((await listUnits(deps.db, 2024))[0]).toEqual({ code: 'SNV', name: 'Sở Nội vụ tỉnh An Giang', kind: 'department', predecessors: ['SNV', 'STP'] });

    // 2023 is collecting: its units are the draw's strata.
    const drawn = await post('/waves/2023/units/SNV', { name: 'Đổi tên', kind: 'department', predecessors: '' });
    expect(drawn.status).toBe(409);
    expect(await drawn.text()).toContain('Đợt 2023 đã bốc mẫu: không thay danh sách đơn vị được nữa');
    expect((await listUnits(deps.db, 2023))[0].name).toBe('Sở Nội vụ');
    expect((await get('/waves/2024/units/KHONGCO')).status).toBe(404);
  });
});

describe('accounts', () => {
  it('adds a clerk whose one-time password opens only the page to replace it, then everything', async () => {
    const added = await post('/admin/accounts', { username: 'buudien.lx', role: 'clerk', units: ['SNV', 'LXU'] });
    expect(added.status).toBe(200);
    const password = oneTimePasswordIn(await added.text());
    expect(await findAccountByName(deps.db, 'buudien.lx')).toMatchObject({ role: 'clerk', unitCodes: ['SNV', 'LXU'], mustChangePassword: true });
    // Shown once: the list does not show it again, and it is stored and logged nowhere.
    expect(await (await get('/admin/accounts')).text()).not.toContain(password);
    const stored = await deps.db.selectFrom('users').select('password_hash').where('username', '=', 'buudien.lx').executeTakeFirstOrThrow();
    expect(stored.password_hash).not.toContain(password);
    expect((await deps.db.selectFrom('audit_log').select('detail').execute()).map((a) => a.detail).join()).not.toContain(password);

    const { status, cookie } = await signInAs('buudien.lx', password);
    expect(status).toBe(303);
    for (const page of ['/', '/waves/2023/entry']) {
      const response = await get(page, cookie);
      expect([page, response.status, response.headers.get('location')]).toEqual([page, 302, '/tai-khoan/mat-khau']);
    }
    const clerk = await sessionOf(cookie!);
    expect(await (await get('/tai-khoan/mat-khau', cookie)).text()).toContain('Bạn đang dùng mật khẩu dùng một lần');
    expect((await post('/waves/2023/entry/outcome', { code: 'x' }, clerk)).status).toBe(403);

    const short = await post('/tai-khoan/mat-khau', { current: password, password: 'ngan', repeat: 'ngan' }, clerk);
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('<p class="field-error" id="password-error">Mật khẩu mới cần ít nhất 10 ký tự</p>');
    const changed = await post('/tai-khoan/mat-khau', { current: password, password: 'bưu điện long xuyên', repeat: 'bưu điện long xuyên' }, clerk);
    // Then straight to the clerk's work: the entry page of the wave being collected.
    expect([changed.status, changed.headers.get('location')]).toEqual([303, '/waves/2023/entry']);
    expect((await get('/', cookie)).status).toBe(200);
    expect((await get('/waves/2023/entry', cookie)).status).toBe(200);
    expect((await signInAs('buudien.lx', password)).status).toBe(401);
    expect((await signInAs('buudien.lx', 'bưu điện long xuyên')).status).toBe(303);
    expect(await auditActions()).toEqual(expect.arrayContaining(['account.add', 'account.password']));
  });

  it('disabling an account ends its session and its sign-ins; enabling lets it back in', async () => {
    const clerk = await signInSession(deps, 'clerk', 'buudien');
    const id = await accountId('buudien');
    const disabled = await post(`/admin/accounts/${id}/disable`, {});
    expect(disabled.status).toBe(200);
    expect(await disabled.text()).toContain('Đã khóa tài khoản buudien');
    const after = await get('/waves/2023/entry', clerk.cookie);
    expect([after.status, after.headers.get('location')]).toEqual([302, '/dang-nhap?next=%2Fwaves%2F2023%2Fentry']);
    expect((await signInAs('buudien', 'pw-buudien-123')).status).toBe(401);
    expect(await (await get('/admin/accounts')).text()).toMatch(/<td>buudien<\/td><td>bưu điện<\/td><td>tất cả<\/td><td>đã khóa lúc /);

    expect((await post(`/admin/accounts/${id}/enable`, {})).status).toBe(200);
    expect((await signInAs('buudien', 'pw-buudien-123')).status).toBe(303);
    expect(await auditActions()).toEqual(expect.arrayContaining(['account.disable', 'account.enable']));
  });

  it('never disables the last active administrator, nor lets one disable themselves', async () => {
    const self = await accountId('quantri');
    const last = await post(`/admin/accounts/${self}/disable`, {});
    expect(last.status).toBe(409);
    expect(await last.text()).toContain('Không khóa được quantri: đây là tài khoản quản trị cuối cùng còn hoạt động');
    await signInSession(deps, 'admin', 'quantri2');
    const yourself = await post(`/admin/accounts/${self}/disable`, {});
    expect([yourself.status, await yourself.text()]).toEqual([409, expect.stringContaining('Không thể tự khóa tài khoản của mình')]);
    expect((await findAccountByName(deps.db, 'quantri'))?.disabledAt).toBeNull();
    expect((await post(`/admin/accounts/${await accountId('quantri2')}/disable`, {})).status).toBe(200);
  });

  it("a reset ends the person's sessions and shows a new one-time password once", async () => {
    const clerk = await signInSession(deps, 'clerk', 'buudien');
    const id = await accountId('buudien');
    const reset = await post(`/admin/accounts/${id}/reset-password`, {});
    expect(reset.status).toBe(200);
    const password = oneTimePasswordIn(await reset.text());
    expect(await deps.db.selectFrom('sessions').select('id').where('user_id', '=', id).execute()).toEqual([]);
    expect((await get('/waves/2023/entry', clerk.cookie)).status).toBe(302);
    expect((await signInAs('buudien', 'pw-buudien-123')).status).toBe(401);
    const { cookie } = await signInAs('buudien', password);
    expect((await get('/', cookie)).headers.get('location')).toBe('/tai-khoan/mat-khau');
    expect((await post(`/admin/accounts/${await accountId('quantri')}/reset-password`, {})).status).toBe(409);
  });

  it("sets a clerk's units from the latest wave's (none = all), and refuses units for other roles", async () => {
    await signInSession(deps, 'clerk', 'buudien');
    await signInSession(deps, 'analyst', 'phantich');
    const id = await accountId('buudien');
    expect((await post(`/admin/accounts/${id}/units`, { units: ['STP', 'LXU'] })).status).toBe(200);
    expect((await findAccountByName(deps.db, 'buudien'))?.unitCodes).toEqual(['STP', 'LXU']);
    expect((await post(`/admin/accounts/${id}/units`, { units: ['STP', 'KHONGCO'] })).status).toBe(400);
    expect((await post(`/admin/accounts/${id}/units`, {})).status).toBe(200);
    expect((await findAccountByName(deps.db, 'buudien'))?.unitCodes).toBeNull();
    expect((await post(`/admin/accounts/${await accountId('phantich')}/units`, { units: ['STP'] })).status).toBe(409);
    expect((await post('/admin/accounts/999/units', { units: ['STP'] })).status).toBe(404);
  });

  it('lets anyone change their own password, keeping the session in use', async () => {
    const supervisor = await signInSession(deps, 'supervisor', 'giamsat');
    const page = await (await get('/tai-khoan/mat-khau', supervisor.cookie)).text();
    expect(page).not.toContain('mật khẩu dùng một lần do quản trị viên cấp');
    const wrong = await post('/tai-khoan/mat-khau', { current: 'sai', password: 'mot cau de nho', repeat: 'mot cau de nho' }, supervisor);
    expect([wrong.status, await wrong.text()]).toEqual([400, expect.stringContaining('id="current-error">Mật khẩu hiện tại không đúng</p>')]);
    const changed = await post('/tai-khoan/mat-khau', { current: 'pw-giamsat-123', password: 'mot cau de nho', repeat: 'mot cau de nho' }, supervisor);
    expect([changed.status, await changed.text()]).toEqual([200, expect.stringContaining('Đã đổi mật khẩu')]);
    expect((await get('/waves/2023/tracking', supervisor.cookie)).status).toBe(200);
  });
});

describe('closing and purging a wave', () => {
  it('closes only when ticked; purges only a closed wave, with the typed phrase, changing nothing on a wrong one', async () => {
    const contacts = async () => Number((await deps.db.selectFrom('contacts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const people = await contacts();
    expect(people).toBe(12);
    const codesBefore = new Set((await deps.db.selectFrom('sample_entries').select('dossier_code').execute()).map((e) => e.dossier_code));
    expect([codesBefore.has('SNV-1'), codesBefore.has('LXU-4')]).toEqual([true, true]);
    expect(await (await get('/waves/2023/purge')).text()).toContain('Đợt 2023 chưa khóa');
    expect((await post('/waves/2023/purge', { confirmation: 'XOA DU LIEU 2023' })).status).toBe(409);

    const unticked = await post('/waves/2023/close', {});
    expect([unticked.status, await unticked.text()]).toEqual([400, expect.stringContaining('Hãy đánh dấu ô xác nhận trước khi khóa đợt')]);
    expect((await findWave(deps.db, 2023))?.status).toBe('collecting');
    const closed = await post('/waves/2023/close', { confirm: 'yes' });
    expect([closed.status, await closed.text()]).toEqual([200, expect.stringContaining('Đã khóa đợt 2023')]);
    expect((await findWave(deps.db, 2023))?.status).toBe('closed');

    const page = await (await get('/waves/2023/purge')).text();
    expect(page).toContain('gõ <code>XOA DU LIEU 2023</code>');
    for (const typed of ['', 'XOA DU LIEU 2022', 'xoa du lieu']) {
      const wrong = await post('/waves/2023/purge', { confirmation: typed });
      expect([wrong.status, await wrong.text()]).toEqual([400, expect.stringContaining('id="confirmation-error">Chưa xóa gì: hãy gõ đúng XOA DU LIEU 2023 vào ô xác nhận</p>')]);
    }
    expect(await contacts()).toBe(people);
    expect((await findWave(deps.db, 2023))?.personalDataPurgedAt).toBeNull();

    const purged = await post('/waves/2023/purge', { confirmation: 'Xóa dữ liệu 2023' });
    expect(purged.status).toBe(200);
    expect(await purged.text()).toContain('Đã xóa dữ liệu cá nhân của đợt 2023: thông tin liên lạc của 12 người được chọn, 12 mã hồ sơ');
    expect(await contacts()).toBe(0);
    const dossierCodes = new Set((await deps.db.selectFrom('sample_entries').select('dossier_code').execute()).map((e) => e.dossier_code));
    expect(dossierCodes.has('SNV-1') || dossierCodes.has('LXU-4')).toBe(false);
    expect((await findWave(deps.db, 2023))?.personalDataPurgedAt).not.toBeNull();
    expect(await auditActions()).toEqual(expect.arrayContaining(['wave.close', 'wave.purge-personal-data']));
  });
});

describe('backup download', () => {
  it('is a sound copy of the database (SQLite file, or pg_dump archive on PostgreSQL), named by the day in Vietnam, with no copy left on the server', async () => {
    const response = await get('/admin/backup');
    expect(response.status).toBe(200);
    const extension = deps.config.database.kind === 'sqlite' ? 'db' : 'dump';
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="sipas-backup-2024-01-16.${extension}"`);
    const file = path.join(deps.dir, `downloaded.${extension}`);
    fs.writeFileSync(file, Buffer.from(await response.arrayBuffer()));
    if (deps.config.database.kind === 'postgres') {
      expect(await dumpedTables(file)).toEqual(expect.arrayContaining(['waves', 'contacts', 'responses', 'users', 'kysely_migration']));
    } else {
      const copy = new SQLite(file, { readonly: true });
      try {
        expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
        expect(copy.prepare('select year from waves').all()).toEqual([{ year: 2023 }]);
        expect((copy.prepare('select count(*) as n from contacts').get() as { n: number }).n).toBe(12);
      } finally {
        copy.close();
      }
    }
    expect(fs.readdirSync(deps.config.dataDir).filter((f) => f.startsWith('.backup-'))).toEqual([]);
    expect(await auditActions()).toContain('backup.download');
    expect((await get('/admin/backup', (await signInSession(deps, 'supervisor')).cookie)).status).toBe(403);
  });
});
