import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Where the journey's screenshots go (ignored by git): one per step, for a person to look at. */
export const ARTIFACTS = path.resolve(import.meta.dirname, '../../../test-artifacts/journey');

export function prepareArtifacts(): void {
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}

/**
 * A screenshot for a person to look at, not an assertion. Chromium now and then refuses to
 * capture a full page on a loaded machine ("Unable to capture screenshot", seen once in CI on
 * 2 December); it is asked once more after a moment, then the journey goes on without that image.
 */
export async function shot(page: Page, name: string): Promise<void> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  for (let attempt = 1; ; attempt++) {
    try {
      await page.screenshot({ path: file, fullPage: true });
      return;
    } catch (error) {
      if (!String(error).includes('Unable to capture screenshot')) throw error;
      if (attempt === 2) {
        fs.writeFileSync(`${file}.missing.txt`, `Chromium could not capture this screenshot: ${String(error)}\n`);
        return;
      }
      await page.waitForTimeout(500);
    }
  }
}

/** A desk computer: what administrators, clerks, supervisors and analysts work on. */
export const desk: BrowserContextOptions = { viewport: { width: 1280, height: 900 }, locale: 'vi-VN', acceptDownloads: true };

/** A citizen's phone, 360×740, touch. */
export const phone: BrowserContextOptions = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'vi-VN' };

/** Signs in through the form, in a browser context of the person's own; the platform decides where they land. */
export async function signIn(browser: Browser, base: string, username: string, password: string): Promise<Page> {
  const context = await browser.newContext(desk);
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${base}/dang-nhap`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForLoadState();
  return page;
}

/** The text of a file the page offers for download when `link` is clicked. */
export async function download(page: Page, link: ReturnType<Page['getByRole']>): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), link.click()]);
  const saved = await file.path();
  return fs.readFileSync(saved);
}

/** Waits until the page's status messages (role="status") say `expected`: the page answering a click may still be loading. */
export async function expectStatus(page: Page, expected: string | RegExp): Promise<void> {
  const text = () => page.getByRole('status').allTextContents().then((texts) => texts.join('\n'));
  if (typeof expected === 'string') await expect.poll(text, { timeout: 15_000 }).toContain(expected);
  else await expect.poll(text, { timeout: 15_000 }).toMatch(expected);
}

/** Waits for the page's main heading to be `text` (after a form posts back to the same address). */
export async function expectHeading(page: Page, text: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name: text, exact: true }).waitFor();
}
