import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../server/app';
import { recordAudit } from '../server/repositories/audit';
import { insertUser, keyDerivation } from '../server/repositories/users';
import { createPublishedWave } from './support/published-wave';
import { createTestDeps, signInSession } from './support/test-deps';

/** Issue 10, "Public endpoints and sign-in": redirects, attempt limits, logged sizes, headers, cross-site posts. */

let deps: Awaited<ReturnType<typeof createTestDeps>>;
beforeEach(async () => {
  deps = await createTestDeps();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await deps.cleanup();
});

const form = { 'content-type': 'application/x-www-form-urlencoded' };
const signInPost = (app: ReturnType<typeof createApp>, fields: Record<string, string>, headers: Record<string, string> = {}) =>
  app.request('/dang-nhap', { method: 'POST', body: new URLSearchParams(fields), headers: { ...form, ...headers } });

describe('sign-in', () => {
  it('sends a person back only to a path on this site', async () => {
    await insertUser(deps.db, { username: 'admin1', role: 'admin', password: 'dung-mat-khau' });
    const app = createApp(deps);
    const after = async (next: string) => (await signInPost(app, { username: 'admin1', password: 'dung-mat-khau', next })).headers.get('location');
    // Another site's address is dropped: the administrator lands where a sign-in without `next` leads.
    expect(await after('/\\evil.example')).toBe('/admin');
    expect(await after('/\t/evil.example')).toBe('/admin');
    expect(await after('//evil.example')).toBe('/admin');
    expect(await after('https://evil.example/')).toBe('/admin');
    expect(await after('/waves/2023/entry?code=1#x')).toBe('/waves/2023/entry?code=1#x');
    const page = await (await app.request('/dang-nhap?next=%2F%5Cevil.example')).text();
    expect(page).toContain('name="next" value="/"');
  });

  it('refuses an account after 10 failures, even with the right password, and an address after 30; others still sign in', async () => {
    await insertUser(deps.db, { username: 'admin1', role: 'admin', password: 'dung-mat-khau' });
    await insertUser(deps.db, { username: 'clerk1', role: 'clerk', password: 'mat-khau-2' });
    const app = createApp({ ...deps, config: { ...deps.config, trustedProxyHops: 1 } });
    const from = (address: string) => ({ 'x-forwarded-for': address });
    for (let i = 0; i < 10; i++) expect((await signInPost(app, { username: 'admin1', password: `sai-${i}` }, from(`10.0.0.${i}`))).status).toBe(401);
    const refused = await signInPost(app, { username: 'admin1', password: 'dung-mat-khau' }, from('10.0.1.1'));
    expect(refused.status).toBe(429);
    expect(await refused.text()).toContain('Đã đăng nhập sai quá nhiều lần với tài khoản này hoặc từ máy này. Xin thử lại sau 15 phút.');
    expect((await signInPost(app, { username: 'clerk1', password: 'mat-khau-2' }, from('10.0.1.1'))).status).toBe(303);

    for (let i = 0; i < 30; i++) expect((await signInPost(app, { username: `khong-co-${i}`, password: 'x' }, from('10.9.9.9'))).status).toBe(401);
    expect((await signInPost(app, { username: 'clerk1', password: 'mat-khau-2' }, from('10.9.9.9'))).status).toBe(429);
    expect((await signInPost(app, { username: 'clerk1', password: 'mat-khau-2' }, from('10.9.9.8'))).status).toBe(303);
  });

  it('an unknown user name costs the same password-hash work as a wrong password', async () => {
    await insertUser(deps.db, { username: 'admin1', role: 'admin', password: 'dung-mat-khau' });
    const app = createApp(deps);
    const derive = vi.spyOn(keyDerivation, 'scrypt');
    expect((await signInPost(app, { username: 'admin1', password: 'sai' })).status).toBe(401);
    const wrongPassword = derive.mock.calls.length;
    derive.mockClear();
    expect((await signInPost(app, { username: 'khong-co-ai', password: 'sai' })).status).toBe(401);
    expect(wrongPassword).toBe(1);
    expect(derive.mock.calls.length).toBe(wrongPassword);
    // Same salt and key sizes, so each run costs the same.
    expect(derive.mock.calls[0].slice(1).map((a) => (Buffer.isBuffer(a) ? a.length : a))).toEqual([16, 32]);
  });

  it('a long user name writes a short audit row, and every logged field is bounded', async () => {
    const app = createApp(deps);
    // Form bodies are capped elsewhere (a 5 MB post gets 413); what fits must still be bounded.
    expect((await signInPost(app, { username: 'a'.repeat(20_000), password: 'x' })).status).toBe(401);
    const huge = 'a'.repeat(5 * 1024 * 1024);
    await recordAudit(deps.db, { actor: huge, action: huge, detail: { note: huge, list: Array.from({ length: 10_000 }, (_, i) => i), deep: { a: { b: { c: { d: { e: huge } } } } } } });
    const rows = await deps.db.selectFrom('audit_log').select(['actor', 'action', 'detail']).execute();
    expect(rows).toHaveLength(2);
    for (const row of rows) expect((row.actor ?? '').length + row.action.length + row.detail.length).toBeLessThan(4000);
    expect(rows[0].actor?.startsWith('a'.repeat(64))).toBe(true);
  });
});

describe('headers', () => {
  it('every page forbids inline script and framing; staff pages and downloads are never cached', async () => {
    await createPublishedWave(deps.db);
    const admin = await signInSession(deps, 'admin');
    const app = createApp(deps);
    for (const url of ['/', '/dang-nhap', '/waves/2023/entry', '/waves/2023/frame', '/waves/2023/draw', '/waves/2023/draw/export.csv', '/waves/2023/mailing/manifest.csv', '/waves/2023/mailing/print', '/k', '/khong-co']) {
      const response = await app.request(url, { headers: { ...admin } });
      expect(response.status, url).toBeLessThan(500);
      const csp = response.headers.get('content-security-policy') ?? '';
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).not.toMatch(/script-src[^;]*unsafe-inline/);
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options'), url).toBe('DENY');
      expect(response.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(response.headers.get('referrer-policy'), url).toMatch(/^(same-origin|no-referrer)$/);
      expect(response.headers.get('cache-control'), url).toBe('no-store');
    }
    // The pages carry no inline script any more: their scripts are files.
    const entry = await (await app.request('/waves/2023/entry', { headers: { ...admin } })).text();
    expect(entry).not.toMatch(/<script>/);
    expect(entry).toContain('<script src="/assets/entry.js">');
    const script = await app.request('/assets/entry.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toContain('createKeying');
    expect((await app.request('/assets/nope.js')).status).toBe(404);
  });

  it('the session cookie is Secure when PUBLIC_BASE_URL is https, and only then', async () => {
    await insertUser(deps.db, { username: 'admin1', role: 'admin', password: 'dung-mat-khau' });
    const cookieOf = async (publicBaseUrl: string) =>
      (await signInPost(createApp({ ...deps, config: { ...deps.config, publicBaseUrl } }), { username: 'admin1', password: 'dung-mat-khau' })).headers.get('set-cookie') ?? '';
    expect(await cookieOf('https://sipas.angiang.gov.vn')).toMatch(/; Secure/);
    expect(await cookieOf('http://localhost:3000')).not.toMatch(/Secure/);
  });
});

describe('cross-site posts', () => {
  it('a signed-in post without the session’s form token, or with another session’s, is refused and changes nothing', async () => {
    const { questionnaires } = await createPublishedWave(deps.db);
    const admin = await signInSession(deps, 'admin');
    const other = await signInSession(deps, 'admin', 'admin-khac');
    const app = createApp(deps);
    const dispatched = async () => (await deps.db.selectFrom('questionnaires').select('id').where('status', '=', 'dispatched').execute()).length;
    const mark = (headers: Record<string, string>, body = 'unit=SNV') => app.request('/waves/2023/mailing/dispatched', { method: 'POST', headers: { ...form, ...headers }, body });

    const forged: Record<string, string>[] = [
      { cookie: admin.cookie },
      { cookie: admin.cookie, origin: 'null' },
      { cookie: admin.cookie, 'x-sipas-token': other['x-sipas-token'] },
      { cookie: admin.cookie, 'x-sipas-token': '' },
    ];
    for (const headers of forged) {
      const refused = await mark(headers);
      expect(refused.status).toBe(403);
      expect(await refused.text()).toContain('biểu mẫu không thuộc phiên đăng nhập này');
    }
    expect((await mark({ cookie: admin.cookie }, `unit=SNV&_token=${encodeURIComponent(other['x-sipas-token'])}`)).status).toBe(403);
    expect(await dispatched()).toBe(0);

    // Malformed or foreign Origin: refused, never a 500.
    for (const origin of ['http://[', 'evil', 'https://evil.example']) expect((await mark({ ...admin, origin })).status).toBe(403);
    expect(await dispatched()).toBe(0);

    // The token as the page's hidden field, or in the query of an upload's action, is accepted.
    expect((await mark({ cookie: admin.cookie }, `unit=SNV&_token=${encodeURIComponent(admin['x-sipas-token'])}`)).status).toBe(303);
    expect(await dispatched()).toBe(questionnaires.filter((q) => q.unitCode === 'SNV' && q.role === 'primary').length);
    const units = new FormData();
    units.set('file', new File(['unit_code,unit_name,unit_kind\nSNV,Sở Nội vụ,department\n'], 'u.csv'));
    const upload = await app.request(`/waves/2023/units?_token=${encodeURIComponent(admin['x-sipas-token'])}`, { method: 'POST', body: units, headers: { cookie: admin.cookie } });
    expect(upload.status).not.toBe(403);
  });

  it('signing out needs the token; the session survives a forged sign-out', async () => {
    const admin = await signInSession(deps, 'admin');
    const app = createApp(deps);
    expect((await app.request('/dang-xuat', { method: 'POST', headers: { cookie: admin.cookie } })).status).toBe(403);
    expect(await (await app.request('/', { headers: { cookie: admin.cookie } })).text()).toContain('admin-test');
    const page = await (await app.request('/', { headers: { cookie: admin.cookie } })).text();
    expect(page).toMatch(/<form class="inline" method="post" action="\/dang-xuat"><input type="hidden" name="_token" value="[^"]+"/);
  });

  it('the citizen’s QR form and /k need no token, even from a browser that is signed in as staff', async () => {
    const { questionnaires } = await createPublishedWave(deps.db);
    const admin = await signInSession(deps, 'admin');
    const app = createApp(deps);
    const q = questionnaires[0];
    const answers = new URLSearchParams(Object.fromEntries(['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'].map((c) => [c, '4'])));
    const submitted = await app.request(`/q/${q.token}`, { method: 'POST', body: answers, headers: { ...form, cookie: admin.cookie } });
    expect(submitted.status).toBe(303);
    const typed = await app.request('/k', { method: 'POST', body: new URLSearchParams({ code: q.code, key: 'XXXX-XXXX' }), headers: { ...form, cookie: admin.cookie } });
    expect(typed.status).toBe(400);
  });
});
