import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import type { Role } from '../server/db/schema';
import { insertUser } from '../server/repositories/users';
import { updateWaveStatus } from '../server/repositories/waves';
import { recordResponse } from '../server/services/collection/responses';
import { createWave } from '../server/services/waves/waves';
import { PAGES } from '../survey-web/navigation';
import { CRITERIA } from './support/personal-data';
import { createPublishedWave } from './support/published-wave';
import { createTestDeps, signIn } from './support/test-deps';

const ROLES: Role[] = ['admin', 'analyst', 'clerk', 'supervisor'];

/** Every link inside the page's <nav> elements, as a browser would follow it. */
function navLinks(html: string): string[] {
  const navs = [...html.matchAll(/<nav\b[^>]*>([\s\S]*?)<\/nav>/g)].map((m) => m[1]);
  return [...new Set(navs.flatMap((nav) => [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&').replace(/#.*$/, ''))))];
}

describe('navigation per role', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(() => deps.cleanup());

  it('shows each role only pages it may open: every link of the wave page and of the pages it leads to opens', async () => {
    await createPublishedWave(deps.db, { perUnit: 3, reserves: 1 });
    const app = createApp(deps);
    const seen: Record<string, string[]> = {};
    for (const role of ROLES) {
      const cookie = await signIn(deps, role);
      const get = (url: string) => app.request(url, { headers: { cookie } });
      const links = navLinks(await (await get('/waves/2023')).text());
      seen[role] = links;
      const refused: string[] = [];
      // One level further: the header navigation of the pages the wave page leads to.
      for (const url of links) {
        const response = await get(url);
        if (response.status !== 200) refused.push(`${url} → ${response.status}`);
        for (const next of navLinks(await response.text())) {
          if (links.includes(next)) continue;
          const status = (await get(next)).status;
          if (status !== 200) refused.push(`${url} → ${next} → ${status}`);
        }
      }
      expect(refused, role).toEqual([]);
    }
    // A clerk used to see eight links that ended in "no permission"; now the wave and the entry page.
    expect(seen.clerk).toEqual(['/waves/2023', '/waves/2023/entry']);
    expect(seen.analyst).toEqual(['/waves/2023', '/waves/2023/tracking', '/waves/2023/analysis']);
    expect(seen.supervisor).toEqual(['/waves/2023', '/waves/2023/frame', '/waves/2023/draw', '/waves/2023/entry/mismatches', '/waves/2023/tracking', '/waves/2023/analysis', '/waves/2023/audit']);
    expect(seen.admin).toHaveLength(11);
    // A stranger is offered the sign-in, which comes back to the wave.
    const anonymous = await (await app.request('/waves/2023')).text();
    expect(navLinks(anonymous)).toEqual([]);
    expect(anonymous).toContain('href="/dang-nhap?next=%2Fwaves%2F2023"');
  });

  it('the guards take their roles from the navigation table: each role gets in exactly where the table says', async () => {
    await createPublishedWave(deps.db, { perUnit: 2, reserves: 1 });
    const app = createApp(deps);
    const wrong: string[] = [];
    for (const role of ROLES) {
      const cookie = await signIn(deps, role);
      for (const [key, page] of Object.entries(PAGES)) {
        const status = (await app.request(`/waves/2023${page.path}`, { headers: { cookie } })).status;
        const allowed = (page.roles as readonly string[]).includes(role);
        if (allowed !== (status === 200)) wrong.push(`${role} ${key}: ${status}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the header of a wave page links to the pages of that wave the role may open, marking the open one', async () => {
    await createPublishedWave(deps.db, { perUnit: 2, reserves: 1 });
    const app = createApp(deps);
    const page = await (await app.request('/waves/2023/tracking', { headers: { cookie: await signIn(deps, 'analyst') } })).text();
    const header = /<nav class="wave-nav"[^>]*>[\s\S]*?<\/nav>/.exec(page)?.[0] ?? '';
    expect(header).toContain('aria-label="Các trang của đợt 2023"');
    expect(header).toContain('<a href="/waves/2023/tracking" aria-current="page">Theo dõi thu phiếu</a>');
    expect(navLinks(header)).toEqual(['/waves/2023', '/waves/2023/tracking', '/waves/2023/analysis']);
    // Administration is linked from the header for administrators only.
    expect(page).not.toContain('href="/admin"');
    const admin = await signIn(deps, 'admin');
    expect(await (await app.request('/waves/2023/tracking', { headers: { cookie: admin } })).text()).toContain('<a href="/admin">Quản trị</a>');
    expect((await app.request('/admin', { headers: { cookie: admin } })).status).toBe(200);
  });
});

describe('landing after sign-in', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(() => deps.cleanup());

  /** Signs in through the form with the given `next` (none = the form's default) and returns where it sends the person. */
  async function landing(role: Role, next?: string): Promise<string | null> {
    const username = `${role}-${Math.random().toString(36).slice(2, 8)}`;
    const password = `pw-${username}-123`;
    await insertUser(deps.db, { username, role, password });
    const body = new URLSearchParams({ username, password, ...(next === undefined ? {} : { next }) });
    const response = await createApp(deps).request('/dang-nhap', { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(303);
    return response.headers.get('location');
  }

  it('sends everyone but administrators to the list of waves while there is no wave', async () => {
    for (const role of ROLES) expect(await landing(role), role).toBe(role === 'admin' ? '/admin' : '/');
  });

  it('lands a clerk on entry, an analyst on results with answers, a supervisor on the newest draw, an administrator on administration', async () => {
    // 2022: closed, with answers; 2023: collecting, none yet; 2024: still being set up.
    const { questionnaires } = await createPublishedWave(deps.db, { year: 2022, perUnit: 2, reserves: 0 });
    await deps.db.transaction().execute((trx) =>
      recordResponse(trx, {
        waveYear: 2022,
        questionnaireId: questionnaires[0].id,
        unitCode: questionnaires[0].unitCode,
        channel: 'qr',
        answers: Object.fromEntries(CRITERIA.map((c) => [c, 4])),
        profile: {},
        comment: null,
        enteredBy: null,
      }),
    );
    await updateWaveStatus(deps.db, 2022, 'closed');
    await createPublishedWave(deps.db, { year: 2023, perUnit: 2, reserves: 0 });
    await createWave(deps.db, { year: 2024, actor: 'test' });

    const expected: Record<Role, string> = {
      clerk: '/waves/2023/entry',
      analyst: '/waves/2022/analysis',
      supervisor: '/waves/2023/draw',
      admin: '/admin',
    };
    const app = createApp(deps);
    for (const role of ROLES) {
      const target = await landing(role);
      expect(target, role).toBe(expected[role]);
      // The landing page opens for that role.
      expect((await app.request(target!, { headers: { cookie: await signIn(deps, role, `${role}-check`) } })).status, role).toBe(200);
    }
    // A page asked for is kept.
    expect(await landing('analyst', '/waves/2023/tracking')).toBe('/waves/2023/tracking');
  });

  it('an analyst lands on the newest wave when no wave has answers; a clerk on the list when none is collecting', async () => {
    await createPublishedWave(deps.db, { year: 2023, perUnit: 2, reserves: 0 });
    await updateWaveStatus(deps.db, 2023, 'closed');
    await createWave(deps.db, { year: 2024, actor: 'test' });
    expect(await landing('analyst')).toBe('/waves/2024/analysis');
    // The results page of a wave still being set up opens (and says there is nothing yet).
    expect((await createApp(deps).request('/waves/2024/analysis', { headers: { cookie: await signIn(deps, 'analyst') } })).status).toBe(200);
    expect(await landing('clerk')).toBe('/');
    expect(await landing('supervisor')).toBe('/waves/2023/draw');
  });
});
