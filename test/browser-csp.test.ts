import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '../server/repositories/users';
import { launchBrowser } from './support/browser';
import { startLiveServer } from './support/live-server';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps } from './support/test-deps';

/**
 * The Content-Security-Policy in real Chromium: the entry page's keyboard flow, the QR form and
 * the print pack run their scripts (now files) with no violation, while an injected inline
 * script is refused.
 */
describe('Content-Security-Policy in Chromium', () => {
  let browser: Browser;
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let server: Awaited<ReturnType<typeof startLiveServer>>;
  let questionnaires: PublishedQuestionnaire[];

  beforeAll(async () => {
    browser = await launchBrowser();
    deps = await createTestDeps();
    ({ questionnaires } = await createPublishedWave(deps.db, { perUnit: 2, reserves: 0 }));
    await insertUser(deps.db, { username: 'buudien', role: 'clerk', password: 'mat-khau-buudien' });
    await insertUser(deps.db, { username: 'quantri', role: 'admin', password: 'mat-khau-quantri' });
    server = await startLiveServer(deps);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await deps?.cleanup();
  });

  /** A page that records every CSP violation (the listener is installed by the browser, not by a page script). */
  async function watchedPage(): Promise<{ page: Page; violations: () => Promise<string[]> }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.addInitScript(`window.__violations = [];
      document.addEventListener('securitypolicyviolation', function (e) { window.__violations.push(e.violatedDirective + ' ' + e.blockedURI); });`);
    return { page, violations: () => page.evaluate('window.__violations') as Promise<string[]> };
  }

  async function signIn(page: Page, username: string, next: string) {
    await page.goto(`${server.url}/dang-nhap?next=${encodeURIComponent(next)}`);
    await page.fill('#username', username);
    await page.fill('#password', `mat-khau-${username}`);
    await page.press('#password', 'Enter');
    await page.waitForURL(`${server.url}${next}`);
  }

  it('the entry page keys and saves a form with the keyboard, with no violation; an injected inline script does not run', async () => {
    const { page, violations } = await watchedPage();
    await signIn(page, 'buudien', '/waves/2023/entry');
    const q = questionnaires[0];
    await page.keyboard.type(q.code);
    await page.locator('#entry-form').waitFor({ state: 'visible' });
    await page.keyboard.type('5443215443215444');
    await page.keyboard.press('Enter');
    await expect(page.locator('#messages .ok').textContent({ timeout: 5000 })).resolves.toContain(`Đã lưu phiếu ${q.code}`);
    expect(await deps.db.selectFrom('responses').select('state').where('questionnaire_id', '=', q.id).execute()).toEqual([{ state: 'counted' }]);
    expect(await violations()).toEqual([]);

    await page.evaluate(`(function () { var s = document.createElement('script'); s.textContent = 'window.__injected = 1'; document.body.append(s); })()`);
    expect(await page.evaluate('window.__injected === undefined')).toBe(true);
    expect(await violations()).toEqual([expect.stringMatching(/^script-src/)]);
    await page.close();
  });

  it('the QR form caps its priorities and the print pack shows its button, with no violation', async () => {
    const { page, violations } = await watchedPage();
    await page.goto(`${server.url}/q/${questionnaires[1].token}`);
    const boxes = page.locator('fieldset[data-max] input');
    const max = Number(await page.locator('fieldset[data-max]').getAttribute('data-max'));
    for (let i = 0; i < max; i++) await boxes.nth(i).check();
    expect(await boxes.nth(max).isDisabled()).toBe(true);
    expect(await violations()).toEqual([]);

    await signIn(page, 'quantri', '/waves/2023/mailing/print');
    expect(await page.locator('button[data-print]').isVisible()).toBe(true);
    expect(await violations()).toEqual([]);
    await page.close();
  });
});
