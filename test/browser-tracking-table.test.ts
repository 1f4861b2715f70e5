import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from './support/browser';
import { startLiveServer } from './support/live-server';
import { createPublishedWave } from './support/published-wave';
import { createTestDeps, signIn } from './support/test-deps';

/** The tracking table has 25 columns: on a 1280-pixel screen it scrolls in its box, the unit's name staying in view. */
describe('tracking table in Chromium at 1280 px', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let server: Awaited<ReturnType<typeof startLiveServer>>;
  beforeAll(async () => {
    deps = await createTestDeps();
    await createPublishedWave(deps.db, { perUnit: 3, reserves: 1 });
    server = await startLiveServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await deps.cleanup();
  });

  it('scrolls inside its box, not the page, and keeps the unit column visible after scrolling to the last column', async () => {
    const [name, value] = (await signIn(deps, 'analyst')).split('=');
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addCookies([{ name, value, url: server.url }]);
      const page = await context.newPage();
      await page.goto(`${server.url}/waves/2023/tracking`);
      // The page itself never scrolls sideways.
      expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
      const box = page.locator('.wide');
      const sizes = await box.evaluate((el: { scrollWidth: number; clientWidth: number }) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
      expect(sizes.scroll).toBeGreaterThan(sizes.client);

      await box.evaluate((el: { scrollLeft: number; scrollWidth: number }) => {
        el.scrollLeft = el.scrollWidth;
      });
      const lastColumn = await page.locator('#tracking-table tbody tr').first().locator('td').last().boundingBox();
      expect(lastColumn!.x + lastColumn!.width).toBeLessThanOrEqual(1280);
      const unit = await page.locator('#tracking-table tbody td.unit').first().boundingBox();
      expect(unit!.x).toBeGreaterThanOrEqual(0);
      expect(unit!.x + unit!.width).toBeLessThanOrEqual(1280);
      // Nothing scrolled over it: the cell is what the screen shows at its centre.
      const shown = await page.evaluate(`document.elementFromPoint(${unit!.x + unit!.width / 2}, ${unit!.y + unit!.height / 2})?.closest('td')?.textContent`);
      expect(shown).toBe('Sở Nội vụ');
    } finally {
      await browser.close();
    }
  });
});
