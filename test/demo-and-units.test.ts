import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { seedDemoIfEmpty } from '../server/demo/seed-demo';
import { listUnits } from '../server/repositories/units';
import { createWave, importUnits } from '../server/services/waves/waves';
import { createTestDeps } from './support/test-deps';

/**
 * The demo wave, unit imports and the audit log page: what foundation.test.ts checked that is not
 * about the SQLite file, so that it runs on PostgreSQL too (test/postgres-suite.txt).
 */

const root = path.resolve(__dirname, '..');
const unitsFixture = fs.readFileSync(path.join(root, 'server/demo/units-2023.csv'));

describe('demo wave and unit imports', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(() => deps.cleanup());

  it('seeds the demo wave once and the home page lists it with 28 units', async () => {
    const first = await seedDemoIfEmpty(deps.db, deps.dir);
    expect(first.seeded).toBe(true);
    expect(first.accounts.map((a) => `${a.username} ${a.role}`)).toEqual(['admin admin', 'analyst analyst', 'buudien clerk', 'supervisor supervisor']);
    expect(await seedDemoIfEmpty(deps.db, deps.dir)).toEqual({ seeded: false, accounts: [] });
    const app = createApp(deps);
    const home = await (await app.request('/')).text();
    expect(home).toMatch(/<a href="\/waves\/2023">2023<\/a>/);
    expect(home).toMatch(/<td class="num">28<\/td>/);
    const wavePage = await (await app.request('/waves/2023')).text();
    expect(wavePage).toContain('Sở, ban, ngành (17)');
    expect(wavePage).toContain('UBND cấp huyện (11)');
    expect(wavePage).toContain('Sở Văn hóa, Thể thao và Du lịch');
    // The password shown once signs in, and is kept in no file.
    const admin = first.accounts[0];
    const signedIn = await app.request('/dang-nhap', { method: 'POST', body: new URLSearchParams({ username: admin.username, password: admin.password }) });
    expect(signedIn.status).toBe(303);
    const files = fs.readdirSync(deps.dir, { recursive: true, encoding: 'utf8' }).filter((f) => fs.statSync(path.join(deps.dir, f)).isFile());
    expect(files.filter((f) => fs.readFileSync(path.join(deps.dir, f)).includes(admin.password))).toEqual([]);
  });

  it('a bad unit file imports nothing and keeps the previous list', async () => {
    await createWave(deps.db, { year: 2024, actor: 'test' });
    await importUnits(deps.db, 2024, unitsFixture, 'test');
    const bad = Buffer.from('unit_code,unit_name,unit_kind\nAAA,Đơn vị A,department\nAAA,Đơn vị B,department\n');
    await expect(importUnits(deps.db, 2024, bad, 'test')).rejects.toThrowError(/dòng 3, cột unit_code: mã "AAA" trùng với dòng 2/);
    expect(await listUnits(deps.db, 2024)).toHaveLength(28);
  });

  it('only an administrator can upload units; the error is shown on the page', async () => {
    await createWave(deps.db, { year: 2024, actor: 'test' });
    const { signInSession } = await import('./support/test-deps');
    const admin = await signInSession(deps, 'admin');
    const analyst = await signInSession(deps, 'analyst');
    const app = createApp(deps);
    const upload = (session: { cookie: string }, text: string) => {
      const form = new FormData();
      form.set('file', new File([text], 'units.csv', { type: 'text/csv' }));
      return app.request('/waves/2024/units', { method: 'POST', body: form, headers: { ...session } });
    };
    expect((await upload(analyst, 'unit_code,unit_name,unit_kind\nA,B,department\n')).status).toBe(403);
    const bad = await upload(admin, 'unit_code,unit_name\nA,B\n');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('thiếu cột unit_kind');
    const good = await upload(admin, 'unit_code,unit_name,unit_kind\nSNV,Sở Nội vụ,department\n');
    expect(good.status).toBe(200);
    expect(await listUnits(deps.db, 2024)).toEqual([{ code: 'SNV', name: 'Sở Nội vụ', kind: 'department', predecessors: null }]);
  });
});

describe('audit log page', () => {
  it('shows supervisors what was done to the wave, and no one else', async () => {
    const deps = await createTestDeps();
    try {
      await seedDemoIfEmpty(deps.db, deps.dir);
      const { signIn } = await import('./support/test-deps');
      const supervisor = await signIn(deps, 'supervisor');
      const clerk = await signIn(deps, 'clerk');
      const app = createApp(deps);
      expect((await app.request('/waves/2023/audit', { headers: { cookie: clerk } })).status).toBe(403);
      const page = await (await app.request('/waves/2023/audit', { headers: { cookie: supervisor } })).text();
      expect(page).toContain('Công bố mẫu');
      expect(page).toContain('Nhập đơn vị');
      expect(page.indexOf('Công bố mẫu')).toBeLessThan(page.indexOf('Nhập đơn vị'));
    } finally {
      await deps.cleanup();
    }
  });
});
