import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { launchBrowser } from './support/browser';
import { startLiveServer } from './support/live-server';
import { createTestDeps } from './support/test-deps';

const phone: BrowserContextOptions = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2, locale: 'vi-VN' };

/** Answers every criterion by tapping the scale, cycling through the values. */
async function answerAll(page: Page) {
  const criteria = page.locator('fieldset.q:not(.o)');
  const count = await criteria.count();
  for (let i = 0; i < count; i++) {
    const choice = i === 3 ? 'Không ý kiến' : ['4 Hài lòng', '5 Rất hài lòng', '3 Bình thường'][i % 3];
    await criteria.nth(i).getByRole('radio', { name: choice, exact: true }).tap();
  }
  return count;
}

describe('a citizen answers by QR on a phone', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let server: Awaited<ReturnType<typeof startLiveServer>>;
  let browser: Browser;
  let questionnaires: PublishedQuestionnaire[];

  beforeAll(async () => {
    deps = await createTestDeps();
    questionnaires = (await createPublishedWave(deps.db, { perUnit: 3, reserves: 0 })).questionnaires;
    server = await startLiveServer(deps);
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await deps?.cleanup();
  });

  const stored = (id: number) => deps.db.selectFrom('responses').selectAll().where('questionnaire_id', '=', id).execute();

  it('taps through the form, submits, is thanked, and finds the token closed afterwards', async () => {
    const [q] = questionnaires;
    const context = await browser.newContext(phone);
    context.setDefaultTimeout(5000);
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/q/${q.token}`);
      expect(await page.locator('.lead').textContent()).toContain('Sở Nội vụ');
      expect(await answerAll(page)).toBe(16);
      await page.locator('h1').scrollIntoViewIfNeeded();
      // For a person to look at; not compared by the test.
      await page.screenshot({ path: '/tmp/sipas-qr-phone.png' });
      await page.getByRole('radio', { name: 'Nữ', exact: true }).tap();
      await page.getByRole('radio', { name: '35–49' }).tap();
      const priorities = page.locator('#f-priorities');
      for (const label of ['Đơn giản hóa thủ tục hành chính', 'Rút ngắn thời gian giải quyết', 'Giảm phí, lệ phí']) {
        await priorities.getByRole('checkbox', { name: label }).tap();
      }
      // The inline script holds the fourth priority back; the server would refuse it anyway.
      expect(await priorities.getByRole('checkbox', { name: 'Công khai, minh bạch thông tin' }).isDisabled()).toBe(true);
      await page.getByLabel('Ý kiến khác').fill('Cần thêm chỗ ngồi chờ');
      await page.getByRole('button', { name: 'Gửi phiếu trả lời' }).tap();
      await page.waitForURL(/\/cam-on$/);
      expect(await page.locator('h1').textContent()).toBe('Cảm ơn ông/bà đã trả lời phiếu khảo sát');

      const [response] = await stored(q.id);
      expect(response).toMatchObject({ state: 'counted', channel: 'qr', comment: 'Cần thêm chỗ ngồi chờ' });
      expect(JSON.parse(response.profile)).toEqual({ gender: 'nu', age_band: '35-49', priorities: ['don_gian_thu_tuc', 'rut_ngan_thoi_gian', 'giam_phi'] });
      const answers = JSON.parse(response.answers_json) as Record<string, number | null>;
      expect(answers).toMatchObject({ A1: 4, A2: 5, B1: null });

      await page.goto(`${server.url}/q/${q.token}`);
      expect(await page.locator('h1').textContent()).toBe('Phiếu này đã được trả lời');
    } finally {
      await context.close();
    }
  });

  it('works with JavaScript turned off, by keyboard', async () => {
    const q = questionnaires[1];
    const context = await browser.newContext({ ...phone, javaScriptEnabled: false });
    context.setDefaultTimeout(5000);
    try {
      const page = await context.newPage();
      await page.goto(`${server.url}/q/${q.token}`);
      // Keyboard only: Tab reaches each scale, arrow keys move within it, Space picks.
      await page.locator('input[name="A1"][value="1"]').focus();
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('ArrowRight');
      expect(await page.locator('input[name="A1"][value="4"]').isChecked()).toBe(true);
      await answerAll(page);
      await page.getByRole('button', { name: 'Gửi phiếu trả lời' }).press('Enter');
      await page.waitForURL(/\/cam-on$/);
      expect(await page.locator('h1').textContent()).toContain('Cảm ơn');
      expect((await stored(q.id)).map((r) => r.state)).toEqual(['counted']);
    } finally {
      await context.close();
    }
  });
});
