import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoIfEmpty } from '../server/demo/seed-demo';
import { launchBrowser } from './support/browser';
import { startLiveServer } from './support/live-server';
import { createTestDeps } from './support/test-deps';

describe('real browser against the real server', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let server: Awaited<ReturnType<typeof startLiveServer>>;
  beforeAll(async () => {
    deps = await createTestDeps();
    await seedDemoIfEmpty(deps.db, deps.dir);
    server = await startLiveServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await deps.cleanup();
  });

  it('opens the home page in Chromium and follows the link to the demo wave', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      await page.goto(server.url);
      await page.getByRole('link', { name: '2023' }).click();
      await expect(page.locator('h2').first().textContent()).resolves.toContain('28');
      expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    } finally {
      await browser.close();
    }
  });
});
