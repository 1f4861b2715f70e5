import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRINTABLE_HEIGHT_MM } from '../survey-web/pages/paper-form-sheets';
import { launchBrowser } from './support/browser';
import { decodeQrPng } from './support/journey/qr-decode';
import { startLiveServer } from './support/live-server';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps, signIn } from './support/test-deps';

const MM = 96 / 25.4;
/** A4's width (210 mm) less the pack's side margins (16 mm each): the width the pack is laid out at when printed. */
const PRINTABLE_WIDTH_PX = Math.floor((210 - 32) * MM);
const UNIT_NAMES: Record<string, string> = { SNV: 'Sở Nội vụ', STP: 'Sở Tư pháp', LXU: 'UBND thành phố Long Xuyên' };

/** Pages of a PDF: its /Type /Page objects (not the /Pages tree). */
const pdfPages = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;

interface PrintedSheet {
  code: string;
  head: string;
  height: number;
}

/** Every sheet of the pack, as laid out for print: whose letter it belongs to, its header line, its height. */
const SHEETS_SCRIPT = `[...document.querySelectorAll('.sheet')].map((s) => ({
  code: s.closest('.person').dataset.code,
  head: s.querySelector('.sheethead').textContent,
  height: s.getBoundingClientRect().height,
}))`;

describe('the printed mailing pack in Chromium', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let browser: Browser;
  let cookie: string;
  let questionnaires: PublishedQuestionnaire[];
  let publicServer: Awaited<ReturnType<typeof startLiveServer>>;
  let localServer: Awaited<ReturnType<typeof startLiveServer>>;
  const PUBLIC = 'https://sipas.angiang.gov.vn';

  beforeAll(async () => {
    deps = await createTestDeps();
    questionnaires = (await createPublishedWave(deps.db, { perUnit: 3, reserves: 0 })).questionnaires;
    // A long name and address, as some organisations have: the letter must still fit its sheet.
    const [first] = questionnaires;
    const entry = await deps.db.selectFrom('questionnaires').select('sample_entry_id').where('id', '=', first.id).executeTakeFirstOrThrow();
    await deps.db
      .updateTable('contacts')
      .set({
        applicant_name: 'Công ty Trách nhiệm hữu hạn Một thành viên Xây dựng và Thương mại Dịch vụ Đồng bằng sông Cửu Long',
        applicant_type: 'organisation',
        address: 'Số 123/45A, đường Trần Hưng Đạo, khóm Đông Thịnh 8, phường Mỹ Phước, thành phố Long Xuyên, tỉnh An Giang',
      })
      .where('sample_entry_id', '=', entry.sample_entry_id)
      .execute();
    cookie = await signIn(deps, 'admin');
    // The same database behind two addresses: the province's public one, and the default local one.
    publicServer = await startLiveServer({ ...deps, config: { ...deps.config, publicBaseUrl: PUBLIC } });
    localServer = await startLiveServer(deps);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await publicServer?.close();
    await localServer?.close();
    await deps?.cleanup();
  });

  async function signedIn(serverUrl: string, viewport = { width: PRINTABLE_WIDTH_PX, height: 1000 }): Promise<BrowserContext> {
    const context = await browser.newContext({ viewport, locale: 'vi-VN' });
    context.setDefaultTimeout(10_000);
    const [name, ...value] = cookie.split('=');
    await context.addCookies([{ name, value: value.join('='), url: serverUrl }]);
    return context;
  }

  it('prints every letter as sheets that each fit one A4 page and carry the code, the unit and "Tờ k/n"', async () => {
    const context = await signedIn(publicServer.url);
    try {
      const page = await context.newPage();
      await page.goto(`${publicServer.url}/waves/2023/mailing/print`);
      await page.emulateMedia({ media: 'print' });
      const sheets = (await page.evaluate(SHEETS_SCRIPT)) as PrintedSheet[];
      const letters = questionnaires.filter((q) => q.role === 'primary');
      expect(sheets.length % letters.length).toBe(0);
      const perLetter = sheets.length / letters.length;
      expect(perLetter).toBe(3);
      for (const q of letters) {
        const own = sheets.filter((s) => s.code === q.code);
        expect(own).toHaveLength(perLetter);
        own.forEach((sheet, i) => {
          expect(sheet.head).toContain(q.code);
          expect(sheet.head).toContain(UNIT_NAMES[q.unitCode]);
          expect(sheet.head).toContain(`Tờ ${i + 1}/${perLetter}`);
        });
      }
      const tallest = Math.max(...sheets.map((s) => s.height));
      expect(tallest).toBeLessThanOrEqual(PRINTABLE_HEIGHT_MM * MM);

      // So printing gives exactly one page per sheet: no spill-over page without a code.
      const pdf = await page.pdf({ format: 'A4' });
      expect(pdfPages(pdf)).toBe(perLetter * letters.length);
      expect(await page.locator('[role="alert"]').count()).toBe(0);

      // The compact SVG QR code still reads as the letter's address.
      await page.emulateMedia({ media: 'screen' });
      const firstLetter = page.locator('section.person').first();
      const code = await firstLetter.getAttribute('data-code');
      const token = questionnaires.find((q) => q.code === code)!.token;
      expect(decodeQrPng(await firstLetter.locator('.codebox svg').screenshot())).toBe(`${PUBLIC}/q/${token}`);
    } finally {
      await context.close();
    }
  });

  it('puts the warning about a local address first, on screen and as the first printed page', async () => {
    const context = await signedIn(localServer.url, { width: 1280, height: 900 });
    try {
      const page = await context.newPage();
      await page.goto(`${localServer.url}/waves/2023/mailing`);
      const onMailingPage = page.getByRole('alert');
      expect(await onMailingPage.isVisible()).toBe(true);
      expect(await onMailingPage.textContent()).toContain('PUBLIC_BASE_URL');
      // Red, and above the page's table.
      expect(await page.evaluate(`getComputedStyle(document.querySelector('[role="alert"]')).borderTopColor`)).toBe('rgb(185, 28, 28)');
      expect((await onMailingPage.boundingBox())!.y).toBeLessThan((await page.locator('table').first().boundingBox())!.y);

      await page.goto(`${localServer.url}/waves/2023/mailing/print?unit=SNV`);
      const alert = page.getByRole('alert');
      expect(await alert.isVisible()).toBe(true);
      expect(await alert.textContent()).toContain(`${deps.config.publicBaseUrl}`);
      expect((await alert.boundingBox())!.y).toBeLessThan((await page.locator('.toolbar').boundingBox())!.y);

      await page.setViewportSize({ width: PRINTABLE_WIDTH_PX, height: 1000 });
      await page.emulateMedia({ media: 'print' });
      expect(await alert.isVisible()).toBe(true);
      expect(await page.evaluate(`document.querySelector('main').firstElementChild.getAttribute('role')`)).toBe('alert');
      const sheets = (await page.evaluate(SHEETS_SCRIPT)) as PrintedSheet[];
      // The warning takes a page of its own, before the letters.
      expect(pdfPages(await page.pdf({ format: 'A4' }))).toBe(sheets.length + 1);
    } finally {
      await context.close();
    }
  });
});
