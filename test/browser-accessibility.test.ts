import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertUser } from '../server/repositories/users';
import { launchBrowser } from './support/browser';
import { startLiveServer } from './support/live-server';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps } from './support/test-deps';

/**
 * WCAG 2.1 A and AA rules of axe-core on the pages citizens answer on (the QR form, /k) and on the
 * page post-office clerks key forms on, at a phone's size. Any violation fails, listed with its
 * rule, the elements concerned and the rule's help.
 */

const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

// The pages forbid inline and foreign scripts (CSP script-src 'self'); this context lets the test
// add axe-core, and nothing else changes.
const phone: BrowserContextOptions = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, locale: 'vi-VN', bypassCSP: true };

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; helpUrl: string; nodes: { target: string[]; failureSummary?: string }[] }[];
}

/** "rule (impact): help [url]" then each element concerned with what is wrong there; [] when none. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: axeSource });
  const options = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };
  const result = (await page.evaluate(`axe.run(document, ${JSON.stringify(options)})`)) as AxeResult;
  return result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} [${v.helpUrl}]\n` +
      v.nodes.map((n) => `    ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`).join('\n'),
  );
}

describe('accessibility (axe-core, WCAG 2.1 A and AA, 360×740)', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let server: Awaited<ReturnType<typeof startLiveServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let questionnaires: PublishedQuestionnaire[];

  beforeAll(async () => {
    deps = await createTestDeps();
    ({ questionnaires } = await createPublishedWave(deps.db, { perUnit: 2, reserves: 0 }));
    await insertUser(deps.db, { username: 'buudien', role: 'clerk', password: 'mat-khau-buudien' });
    server = await startLiveServer(deps);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await deps?.cleanup();
  });

  async function freshPage(): Promise<Page> {
    await context?.close();
    context = await browser.newContext(phone);
    context.setDefaultTimeout(10_000);
    return context.newPage();
  }

  it('reports a violation when there is one (the check itself works)', async () => {
    const page = await freshPage();
    await page.goto(`${server.url}/k`);
    await page.evaluate(`document.querySelector('form').append(document.createElement('input'))`);
    expect((await axeViolations(page)).map((v) => v.split(' ')[0])).toEqual(['label']);
  });

  it("the citizen's QR form, as opened and as returned with problems", async () => {
    const page = await freshPage();
    await page.goto(`${server.url}/q/${questionnaires[0].token}`);
    expect(await page.locator('fieldset.q').count()).toBeGreaterThan(16);
    expect(await axeViolations(page)).toEqual([]);

    // Sent empty: the form comes back with its messages and the fields marked.
    await page.locator('button.send').click();
    await page.locator('#loi').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('/k, as opened and after a wrong code', async () => {
    const page = await freshPage();
    await page.goto(`${server.url}/k`);
    expect(await axeViolations(page)).toEqual([]);

    await page.fill('#code', '23-SNV-0001-0');
    await page.fill('#key', 'AAAA-BBBB');
    await page.locator('button.send').click();
    await page.locator('.error').waitFor();
    expect(await axeViolations(page)).toEqual([]);
  });

  it('the entry page of a post-office clerk, empty and with a form open', async () => {
    const page = await freshPage();
    await page.goto(`${server.url}/dang-nhap?next=${encodeURIComponent('/waves/2023/entry')}`);
    await page.fill('#username', 'buudien');
    await page.fill('#password', 'mat-khau-buudien');
    await page.press('#password', 'Enter');
    await page.waitForURL(`${server.url}/waves/2023/entry`);
    expect(await axeViolations(page)).toEqual([]);

    await page.keyboard.type(questionnaires[1].code);
    await page.locator('#entry-form').waitFor({ state: 'visible' });
    expect(await axeViolations(page)).toEqual([]);
  });
});
