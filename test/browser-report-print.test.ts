import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responsesWithShare, settings, unit } from '../analysis/fixtures/builders';
import { defaultQuestionnaire } from '../analysis/questionnaire';
import { reportHtml } from '../analysis/report-html';
import { computeWaveResults } from '../analysis/wave-results';
import { launchBrowser } from './support/browser';
import { printedContent } from './support/tagged-pdf';

/**
 * The printed report keeps every heading on the page where what it introduces begins.
 *
 * Method: Chromium prints the report to a tagged PDF (its real print layout: A4 and the landscape
 * pages of @page, the break rules); the PDF's structure tree gives each heading, chart (by its
 * title), table and paragraph in reading order with the page each piece of it is printed on. For
 * every heading, the content right after its last line must be on that same page. Offsets in a
 * screen layout divided by a page height would not do: break rules only act when the content is
 * really cut into pages, so such a measure cannot see them.
 *
 * The same reports printed with the break rules switched off must split at least one heading from
 * its chart or table; otherwise these layouts would prove nothing.
 */

/** Report of a wave with `departments` and `districts` units, last year raw: twelve charts. */
function report(departments: number, districts: number): string {
  const units = [
    ...Array.from({ length: departments }, (_, i) => ({ ...unit(`S${i}`), name: `Sở thứ ${i + 1} của tỉnh` })),
    ...Array.from({ length: districts }, (_, i) => ({ ...unit(`H${i}`, 'district'), name: `UBND huyện thứ ${i + 1}` })),
  ];
  return reportHtml(
    computeWaveResults({
      year: 2024,
      questionnaire: defaultQuestionnaire,
      units,
      responses: units.flatMap((u, i) => responsesWithShare(u.code, 10 + ((i * 7) % 11), 22)),
      previous: {
        source: 'raw',
        year: 2023,
        units,
        responses: units.flatMap((u, i) => responsesWithShare(u.code, 12 + ((i * 5) % 9), 22)),
      },
      settings: settings(),
    }),
    { province: 'An Giang', subtitle: 'Đợt khảo sát năm 2024 — lập ngày 01/12/2024' },
  );
}

const NO_BREAK_RULES = '<style>* { break-after: auto !important; break-inside: auto !important; }</style>';

/** "heading (page) → what follows (page)" for every heading printed apart from what follows it. */
async function headingsSplit(page: Page, html: string): Promise<{ splits: string[]; headings: number; charts: number }> {
  await page.setContent(html);
  const titles = await page.$$eval('h1, h2, h3', (hs) => hs.map((h) => h.textContent ?? ''));
  const { content, headings } = printedContent(await page.pdf({ tagged: true, preferCSSPageSize: true }));
  expect(headings).toHaveLength(titles.length);
  const splits: string[] = [];
  headings.forEach((_, h) => {
    const last = content.findLastIndex((c) => c.heading === h);
    const next = content[last + 1];
    if (last < 0 || !next) return;
    if (next.page !== content[last].page) {
      splits.push(`"${titles[h]}" (trang ${content[last].page}) → ${next.figure ? `"${next.figure}"` : next.role} (trang ${next.page})`);
    }
  });
  return { splits, headings: headings.length, charts: new Set(content.map((c) => c.figure).filter(Boolean)).size };
}

describe('the printed report (Chromium, A4)', () => {
  let browser: Browser;
  let page: Page;
  beforeAll(async () => {
    browser = await launchBrowser();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
  });

  // A provincial size and a few others, so that headings fall at different places on the pages.
  const sizes: [number, number][] = [
    [17, 11],
    [20, 9],
    [9, 7],
    [12, 4],
  ];

  it('prints every heading on the page where its chart, table or text begins', async () => {
    const controlSplits: string[] = [];
    for (const [departments, districts] of sizes) {
      const html = report(departments, districts);
      const printed = await headingsSplit(page, html);
      // Title, 4 sections, 2 kinds, 6 tables; 6 charts per kind.
      expect(printed.headings).toBe(13);
      expect(printed.charts).toBe(12);
      expect(printed.splits, `${departments} sở, ${districts} huyện`).toEqual([]);
      controlSplits.push(...(await headingsSplit(page, html.replace('</head>', `${NO_BREAK_RULES}</head>`))).splits);
    }
    expect(controlSplits.length).toBeGreaterThan(0);
  }, 120_000);

  it('keeps a kind\'s heading and its first chart in one block that the printer does not cut', async () => {
    await page.setContent(report(17, 11));
    await page.emulateMedia({ media: 'print' });
    const blocks = await page.evaluate(`[...document.querySelectorAll('div.keep')].map((d) => ({
      children: [...d.children].map((c) => c.tagName),
      breakInside: getComputedStyle(d).breakInside,
      headingBreakAfter: getComputedStyle(d.children[0]).breakAfter,
    }))`);
    expect(blocks).toEqual(
      ['department', 'district'].map(() => ({ children: ['H3', 'FIGURE'], breakInside: 'avoid', headingBreakAfter: 'avoid' })),
    );
  });
});
