import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergedProvinceResults } from '../analysis/fixtures/merged-province';
import { reportHtml } from '../analysis/report-html';
import { launchBrowser } from './support/browser';

/**
 * The report of a merged province (13 departments, 102 communes) as printed on A4: every chart
 * no wider than the page's text, every chart text at least 9 pt (12 px) as printed, no label
 * cut at the chart's edge, the ranking table at 9 pt. Laid out in print media at the width of
 * an A4 page's text (210 mm − 2 × 12 mm of @page margins), where the charts print.
 */

const ARTIFACTS = path.resolve(import.meta.dirname, '..', 'test-artifacts', 'report');
const A4_TEXT_WIDTH_PX = Math.floor(((210 - 24) / 25.4) * 96);
const MIN_PRINTED_PX = 12;

interface ChartCheck {
  title: string;
  width: number;
  /** Texts smaller than 12 px as drawn, with their size. */
  small: string[];
  /** Texts reaching outside the chart's box. */
  outside: string[];
}

describe('the report of 102 communes, printed', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: A4_TEXT_WIDTH_PX, height: 1100 } });
    await page.emulateMedia({ media: 'print' });
    await page.setContent(reportHtml(mergedProvinceResults(), { province: 'An Giang', subtitle: 'Đợt khảo sát năm 2025' }));
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('keeps every chart within the page and its text at 9 pt or more', async () => {
    const charts: ChartCheck[] = await page.evaluate(`[...document.querySelectorAll('svg.chart')].map((svg) => {
      const box = svg.getBoundingClientRect();
      const scale = box.width / svg.viewBox.baseVal.width;
      const small = [];
      const outside = [];
      for (const t of svg.querySelectorAll('text')) {
        const px = parseFloat(getComputedStyle(t).fontSize) * scale;
        if (px < ${MIN_PRINTED_PX}) small.push(t.textContent + ' (' + px.toFixed(1) + ' px)');
        const r = t.getBoundingClientRect();
        if (r.left < box.left - 0.5 || r.right > box.right + 0.5) outside.push(t.textContent);
      }
      return { title: svg.querySelector('title').textContent, width: box.width, small, outside };
    })`);
    // Departments: index and five elements; communes: distribution, best ten, worst ten, element averages.
    expect(charts).toHaveLength(10);
    for (const chart of charts) {
      expect(chart.width, chart.title).toBeLessThanOrEqual(A4_TEXT_WIDTH_PX);
      expect(chart.small, chart.title).toEqual([]);
      expect(chart.outside, chart.title).toEqual([]);
    }
    expect(charts.map((c) => c.title)).toContain('10 đơn vị có chỉ số thấp nhất – UBND cấp xã');
  });

  it('prints the communes\' ranking at 9 pt, one line a commune', async () => {
    const ranking = await page.evaluate(`(() => {
      const table = document.querySelector('table.ranked');
      const rows = [...table.querySelectorAll('tbody tr')];
      const line = parseFloat(getComputedStyle(rows[0]).fontSize) * 1.6;
      return { rows: rows.length, fontPx: parseFloat(getComputedStyle(table).fontSize), tallest: Math.max(...rows.map((r) => r.getBoundingClientRect().height)), line };
    })()`) as { rows: number; fontPx: number; tallest: number; line: number };
    expect(ranking.rows).toBe(102);
    expect(ranking.fontPx).toBeGreaterThanOrEqual(MIN_PRINTED_PX);
    expect(ranking.tallest).toBeLessThan(ranking.line + 6);
  });

  it('saves a picture of the communes\' charts', async () => {
    fs.mkdirSync(ARTIFACTS, { recursive: true });
    const clip = await page.evaluate(`(() => {
      const start = [...document.querySelectorAll('h3')].find((h) => h.textContent === 'UBND cấp xã').getBoundingClientRect();
      const end = document.querySelector('table.ranked').getBoundingClientRect();
      return { x: 0, y: start.top + window.scrollY, width: ${A4_TEXT_WIDTH_PX}, height: end.top + window.scrollY + 300 - (start.top + window.scrollY) };
    })()`) as { x: number; y: number; width: number; height: number };
    const file = path.join(ARTIFACTS, 'communes.png');
    await page.screenshot({ path: file, clip, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  });
});
