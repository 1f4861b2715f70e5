import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import type { AppDeps } from '../server/app-env';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps, signInSession, type StaffSession } from './support/test-deps';

const SNV = [{ code: 'SNV', name: 'Sở Nội vụ', kind: 'department' as const, predecessors: null }];
const withPublicAddress = (deps: AppDeps, publicBaseUrl: string): AppDeps => ({ ...deps, config: { ...deps.config, publicBaseUrl } });
const lettersOf = (html: string) => [...html.matchAll(/<section class="person" data-code="([^"]+)"/g)].map((m) => m[1]);
const csvLines = (csv: string) => csv.replace(/^\uFEFF/, '').trim().split('\r\n');
const decoded = (html: string) => html.replace(/&amp;/g, '&');

describe('printing a large pack in batches', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let app: ReturnType<typeof createApp>;
  let admin: StaffSession;
  let questionnaires: PublishedQuestionnaire[];

  beforeEach(async () => {
    deps = await createTestDeps();
    questionnaires = (await createPublishedWave(deps.db, { units: SNV, perUnit: 120, reserves: 0 })).questionnaires;
    app = createApp(deps);
    admin = await signInSession(deps, 'admin');
  });
  afterEach(() => deps.cleanup());

  const get = (url: string) => app.request(url, { headers: { ...admin } });

  it('splits 120 letters into 3 batches of at most 50 that together hold every letter once, in delivery order', async () => {
    const order = csvLines(await (await get('/waves/2023/mailing/manifest.csv?unit=SNV')).text())
      .slice(1)
      .map((line) => line.split(',')[0]);
    const batches: string[][] = [];
    for (const batch of [1, 2, 3]) {
      const response = await get(`/waves/2023/mailing/print?unit=SNV&batch=${batch}`);
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      // A batch must open quickly on an office computer: the QR codes are SVG paths, not images.
      expect(bytes.length).toBeLessThan(2 * 1024 * 1024);
      const html = decoded(bytes.toString('utf8'));
      expect(html).not.toContain('data:image');
      expect(html).toContain('<strong aria-current="page" style="white-space:nowrap">Lô ' + batch);
      for (const link of ['Lô 1 (phiếu 1–50)', 'Lô 2 (phiếu 51–100)', 'Lô 3 (phiếu 101–120)'].filter((_, i) => i !== batch - 1)) {
        const number = link.slice(3, 4);
        expect(html).toContain(`<a href="/waves/2023/mailing/print?unit=SNV&batch=${number}" style="white-space:nowrap">${link}</a>`);
      }
      batches.push(lettersOf(html));
    }
    expect(batches.map((b) => b.length)).toEqual([50, 50, 20]);
    expect(batches.flat()).toEqual(order);
    expect(new Set(batches.flat())).toEqual(new Set(questionnaires.map((q) => q.code)));

    // Without ?batch the first batch prints.
    expect(lettersOf(await (await get('/waves/2023/mailing/print?unit=SNV')).text())).toEqual(batches[0]);
    const logged = await deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'mailing.print').orderBy('id').execute();
    expect(logged.map((l) => JSON.parse(l.detail))).toEqual([
      { letters: 50, unit: 'SNV', batch: 1, batches: 3 },
      { letters: 50, unit: 'SNV', batch: 2, batches: 3 },
      { letters: 20, unit: 'SNV', batch: 3, batches: 3 },
      { letters: 50, unit: 'SNV', batch: 1, batches: 3 },
    ]);
  });

  it('refuses a batch that does not exist, and a batch number that is not one', async () => {
    const missing = await get('/waves/2023/mailing/print?unit=SNV&batch=4');
    expect(missing.status).toBe(404);
    expect(await missing.text()).toContain('Không có lô 4: chỉ có 3 lô (120 thư — Sở Nội vụ)');
    for (const bad of ['0', 'abc', '1.5', '-1']) {
      const response = await get(`/waves/2023/mailing/print?batch=${bad}`);
      expect(response.status).toBe(400);
      expect(await response.text()).toContain('Số lô phải là một số nguyên từ 1 trở lên');
    }
  });

  it('links each batch of a unit and of the letters not yet sent from the mailing page', async () => {
    const html = decoded(await (await get('/waves/2023/mailing')).text());
    expect(html).toContain('In 120 thư, từng lô:');
    expect(html).toContain('In thư các phiếu chưa gửi, từng lô:');
    expect(html).toContain('<a href="/waves/2023/mailing/print?unit=SNV&batch=3" style="white-space:nowrap">Lô 3 (phiếu 101–120)</a>');
    expect(html).toContain('<a href="/waves/2023/mailing/print?only=new&batch=2" style="white-space:nowrap">Lô 2 (phiếu 51–100)</a>');
  });
});

describe('mailing safety and the post office manifest', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let admin: StaffSession;

  beforeEach(async () => {
    deps = await createTestDeps();
    await createPublishedWave(deps.db, { perUnit: 2, reserves: 0 });
    admin = await signInSession(deps, 'admin');
  });
  afterEach(() => deps.cleanup());

  const get = (app: ReturnType<typeof createApp>, url: string) => app.request(url, { headers: { ...admin } });
  const alertOf = (html: string) => /<div class="error address-warning" role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(html)?.[1];

  it('warns on the mailing page and first thing on every pack page while letters would point to a local address', async () => {
    const local = createApp(deps);
    expect(deps.config.publicBaseUrl).toMatch(/^http:\/\/localhost:/);
    const page = await (await get(local, '/waves/2023/mailing')).text();
    expect(alertOf(page)).toContain(`Mã QR và đường dẫn trên thư đang trỏ tới <strong>${deps.config.publicBaseUrl}</strong>`);
    expect(alertOf(page)).toContain('<code>PUBLIC_BASE_URL</code> là địa chỉ https công khai của tỉnh');
    // Above everything else in the page's content.
    expect(page.indexOf('role="alert"')).toBeLessThan(page.indexOf('<table'));
    for (const url of ['/waves/2023/mailing/print?unit=SNV', '/waves/2023/mailing/print?only=new']) {
      const pack = await (await get(local, url)).text();
      expect(alertOf(pack)).toContain('chỉ mở được trên chính máy chủ');
      expect(pack.slice(pack.indexOf('<main>') + '<main>'.length).startsWith('<div class="error address-warning" role="alert"')).toBe(true);
    }
    const plainHttp = createApp(withPublicAddress(deps, 'http://sipas.angiang.gov.vn'));
    expect(alertOf(await (await get(plainHttp, '/waves/2023/mailing')).text())).toContain('không dùng https');
  });

  it('shows no warning once the public address is the province’s https address', async () => {
    const app = createApp(withPublicAddress(deps, 'https://sipas.angiang.gov.vn'));
    for (const url of ['/waves/2023/mailing', '/waves/2023/mailing/print?unit=SNV']) {
      const html = await (await get(app, url)).text();
      expect(alertOf(html)).toBeUndefined();
      expect(html.includes('role="alert"')).toBe(false);
    }
  });

  it('gives the manifest Vietnamese headers for a mail merge on request, and machine names by default', async () => {
    const app = createApp(deps);
    const page = decoded(await (await get(app, '/waves/2023/mailing')).text());
    expect(page).toContain('href="/waves/2023/mailing/manifest.csv"');
    expect(page).toContain('href="/waves/2023/mailing/manifest.csv?headers=vi"');

    const machine = csvLines(await (await get(app, '/waves/2023/mailing/manifest.csv')).text());
    expect(machine[0]).toBe('questionnaire_code,unit_code,role,applicant_name,address,phone,qr_url');

    const response = await get(app, '/waves/2023/mailing/manifest.csv?headers=vi');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = Buffer.from(await response.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const vi = csvLines(bytes.toString('utf8'));
    expect(vi[0]).toBe('Mã phiếu,Mã đơn vị,Chính/dự phòng,Họ và tên,Địa chỉ,Điện thoại,Đường dẫn trả lời');
    expect(vi).toHaveLength(machine.length);
    // The same rows; only the role is written in words.
    expect(vi.slice(1)).toEqual(machine.slice(1).map((line) => line.replace(/^([^,]+,[^,]+),primary,/, '$1,chính,')));
    expect(vi[1]).toMatch(/^[^,]+,[A-Z]+,chính,Nguyễn Văn /);
  });
});
