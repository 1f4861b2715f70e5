import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTransaction } from '../server/db/unit-of-work';
import { importBoundaries } from '../server/services/results/boundaries-import';
import { launchBrowser } from './support/browser';
import { anGiangGeoJson, createCommuneWave } from './support/commune-wave';
import { startLiveServer } from './support/live-server';
import { createTestDeps, signIn } from './support/test-deps';

const ARTIFACTS = path.resolve(import.meta.dirname, '../test-artifacts/map');
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Outlines drawn with no area (a bad projection, a shape outside the view box) would be invisible. */
async function invisiblePaths(page: Page): Promise<{ total: number; invisible: string[]; legend: string[] }> {
  return page.evaluate(`(() => {
    const svg = document.querySelector('svg.commune-map');
    const frame = svg.getBoundingClientRect();
    const paths = [...svg.querySelectorAll('path[data-code]')];
    const invisible = paths.filter((p) => {
      const r = p.getBoundingClientRect();
      return !(r.width > 0 && r.height > 0 && r.left >= frame.left - 1 && r.right <= frame.right + 1 && r.top >= frame.top - 1 && r.bottom <= frame.bottom + 1);
    }).map((p) => p.dataset.code);
    const legend = [...svg.querySelectorAll('g.legend text')].filter((t) => t.getBoundingClientRect().width > 0).map((t) => t.textContent);
    return { total: paths.length, invisible, legend };
  })()`);
}

const LEGEND = ['Từ 90 % trở lên', 'Từ 80 % đến dưới 90 %', 'Dưới 80 %', 'Chưa có số liệu'];

describe('the communes’ map in Chromium (An Giang 2025, one commune without an outline)', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let server: Awaited<ReturnType<typeof startLiveServer>>;
  let browser: Browser;
  let cookie: { name: string; value: string };

  beforeAll(async () => {
    deps = await createTestDeps();
    await createCommuneWave(deps.db, { unanswered: ['30307'] });
    const bytes = new TextEncoder().encode(JSON.stringify(anGiangGeoJson(['30292'])));
    await writeTransaction(deps.db, (trx) => importBoundaries(trx, 2025, { bytes, fileName: 'xa-phuong.geojson' }, 'test'));
    server = await startLiveServer(deps);
    const [name, value] = (await signIn(deps, 'analyst')).split('=');
    cookie = { name, value };
    browser = await launchBrowser();
    fs.mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await deps?.cleanup();
  });

  it('shows every commune with an outline on the dashboard, the legend of four bands, and names the one without', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN', bypassCSP: true });
    await context.addCookies([{ ...cookie, url: server.url }]);
    const page = await context.newPage();
    await page.goto(`${server.url}/waves/2025/analysis`);
    const { total, invisible, legend } = await invisiblePaths(page);
    expect(total).toBe(101);
    expect(invisible).toEqual([]);
    expect(legend).toEqual(LEGEND);
    await expect(page.locator('p.without-shape').textContent()).resolves.toBe('Chưa có ranh giới trên bản đồ (1): UBND Phường Bình Đức (30292).');
    // The list beside the map holds every commune, the one without an outline too.
    expect(await page.locator('.map-list tbody tr').count()).toBe(102);
    // WCAG 2.1 A/AA on the map section (the SVG's title, the scrollable list's focus and name).
    await page.addScriptTag({ content: axeSource });
    const options = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } };
    const axe = (await page.evaluate(`axe.run('section[aria-labelledby="map-heading"]', ${JSON.stringify(options)})`)) as { violations: { id: string }[] };
    expect(axe.violations.map((v) => v.id)).toEqual([]);
    await page.locator('figure.map').screenshot({ path: path.join(ARTIFACTS, 'dashboard-map.png') });
    await context.close();
  });

  it('prints the map in the report, within an A4 page’s width', async () => {
    // 794 px = 210 mm at 96 dpi: the report laid out as on paper, in print media.
    const context = await browser.newContext({ viewport: { width: 794, height: 1123 }, locale: 'vi-VN' });
    await context.addCookies([{ ...cookie, url: server.url }]);
    const page = await context.newPage();
    await page.emulateMedia({ media: 'print' });
    await page.goto(`${server.url}/waves/2025/analysis/report.html`);
    const { total, invisible, legend } = await invisiblePaths(page);
    expect(total).toBe(101);
    expect(invisible).toEqual([]);
    expect(legend).toEqual(LEGEND);
    const box = (await page.locator('figure.map').boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(794);
    // Under the 215 mm cap (≈ 813 px) so it fits one page with its heading.
    expect(box.height).toBeLessThanOrEqual(820);
    await page.locator('figure.map').screenshot({ path: path.join(ARTIFACTS, 'report-map.png') });
    await context.close();
  });
});
