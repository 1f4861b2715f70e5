import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWave, importUnits } from '../server/services/waves/waves';
import { launchBrowser } from './support/browser';
import { startLiveServer } from './support/live-server';
import { createTestDeps, signIn } from './support/test-deps';

/**
 * The frame page's upload script in Chromium: the file goes by XMLHttpRequest, the page shows
 * how much has been sent (the upload is slowed down so that there is something to see) and asks
 * the server how far it has read; the server's reply then replaces the page, as a plain post.
 */

const DEMO = path.resolve(import.meta.dirname, '../server/demo');
const FRAME = path.join(DEMO, 'frame-2023-sample.csv');
const YEAR = 2023;

describe('frame upload in a real browser', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let server: Awaited<ReturnType<typeof startLiveServer>>;
  beforeAll(async () => {
    deps = await createTestDeps();
    await createWave(deps.db, { year: YEAR, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'test' });
    await importUnits(deps.db, YEAR, fs.readFileSync(path.join(DEMO, 'units-2023.csv')), 'test');
    server = await startLiveServer(deps);
  });
  afterAll(async () => {
    await server.close();
    await deps.cleanup();
  });

  it('shows the upload’s progress, polls the server’s, and ends on the page the server answered', async () => {
    const [name, ...value] = (await signIn(deps, 'admin')).split('=');
    const browser = await launchBrowser();
    try {
      const context = await browser.newContext();
      await context.addCookies([{ name, value: value.join('='), url: server.url }]);
      const page = await context.newPage();
      const polled: string[] = [];
      page.on('request', (request) => {
        if (request.url().endsWith(`/waves/${YEAR}/frame/progress`)) polled.push(request.method());
      });
      // 300 KB at 64 KB/s: the upload lasts a few seconds, whatever the machine's speed.
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 64 * 1024 });
      await page.goto(`${server.url}/waves/${YEAR}/frame`);
      await page.getByLabel('Tệp khung mẫu (.csv)').setInputFiles(FRAME);
      await page.getByRole('button', { name: 'Nhập khung mẫu' }).click();

      await expect.poll(() => page.locator('#upload-sent').textContent().catch(() => ''), { timeout: 20_000 }).toMatch(/Đang gửi tệp: \d+ %|Đã gửi xong tệp/);
      await expect.poll(() => page.locator('.ok').first().textContent().catch(() => ''), { timeout: 60_000 }).toContain('Đã nhập khung mẫu frame-2023-sample.csv: 2.988 dòng hợp lệ');
      // Sent by the script, not by a plain post (which would have opened the form's address, token included).
      expect(new URL(page.url()).search).toBe('');
      expect(polled.length).toBeGreaterThan(0);
      expect(polled.every((method) => method === 'GET')).toBe(true);
      await expect(deps.db.selectFrom('long_tasks').select(['state', 'rows_read']).execute()).resolves.toEqual([{ state: 'done', rows_read: 3000 }]);
    } finally {
      await browser.close();
    }
  });
});
