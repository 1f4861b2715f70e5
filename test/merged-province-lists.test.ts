import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergedProvinceUnits } from '../analysis/fixtures/merged-province';
import { createApp } from '../server/app';
import type { Unit } from '../server/repositories/units';
import { UNIT_PAGE_SIZE } from '../survey-web/pages/analysis-view-model';
import { createPublishedWave } from './support/published-wave';
import { createTestDeps, signIn } from './support/test-deps';

/**
 * The dashboard's unit tables and the tracking table of a merged province (13 departments, 102
 * communes): a group at a time, found by name or code, a bounded page of rows; downloads whole.
 */

const UNITS: Unit[] = mergedProvinceUnits().map((u) => ({ code: u.code, name: u.name, kind: u.kind, predecessors: null }));
// The dashboard lists each group by unit code until a column is chosen; the tracking table in the wave's order.
const byCode = (units: Unit[]) => [...units].sort((a, b) => (a.code < b.code ? -1 : 1));
const COMMUNES = UNITS.filter((u) => u.kind === 'commune');
const DEPARTMENTS = UNITS.filter((u) => u.kind === 'department');

/** Unit codes of the rows of the dashboard's unit tables, in page order. */
function dashboardCodes(html: string): string[] {
  return [...html.matchAll(/<table class="units">([\s\S]*?)<\/table>/g)].flatMap((t) =>
    [...(/<tbody>([\s\S]*?)<\/tbody>/.exec(t[1])?.[1] ?? '').matchAll(/<tr[^>]*><td>([^<]*)<\/td>/g)].map((m) => m[1]),
  );
}

/** Unit codes of the tracking table's rows. */
function trackingCodes(html: string): string[] {
  const table = /<table id="tracking-table">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr><td>([^<]*)<\/td>/g)].map((m) => m[1]);
}

const decoded = (html: string) => html.replace(/&amp;/g, '&');

describe('a merged province of 115 units', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let app: ReturnType<typeof createApp>;
  let cookie: string;
  const page = async (url: string) => {
    const response = await app.request(url, { headers: { cookie } });
    expect(response.status, url).toBe(200);
    return response.text();
  };

  beforeAll(async () => {
    deps = await createTestDeps();
    await createPublishedWave(deps.db, { year: 2025, units: UNITS, perUnit: 2, reserves: 0 });
    app = createApp(deps);
    cookie = await signIn(deps, 'analyst');
  }, 60_000);
  afterAll(async () => {
    await deps?.cleanup();
  });

  it('shows the dashboard a page of at most 50 units, departments first, and the rest on the next pages', async () => {
    expect(UNITS).toHaveLength(115);
    const first = await page('/waves/2025/analysis');
    expect(dashboardCodes(first)).toEqual([...byCode(DEPARTMENTS), ...byCode(COMMUNES)].slice(0, UNIT_PAGE_SIZE).map((u) => u.code));
    expect(first).toContain('Trang 1/3');
    const last = await page('/waves/2025/analysis?page=3');
    expect(dashboardCodes(last)).toEqual(byCode(COMMUNES).slice(2 * UNIT_PAGE_SIZE - DEPARTMENTS.length).map((u) => u.code));
    // Whatever page is shown, the downloads hold every unit.
    const csv = await (await app.request('/waves/2025/analysis/units.csv', { headers: { cookie } })).text();
    expect(csv.trim().split('\n')).toHaveLength(1 + 115);
  });

  it('filters the dashboard by group and keeps the group in its page links', async () => {
    const departments = await page('/waves/2025/analysis?kind=department');
    expect(dashboardCodes(departments)).toEqual(byCode(DEPARTMENTS).map((u) => u.code));
    expect(departments).not.toContain('<h3>UBND cấp xã</h3>');
    const communes = decoded(await page('/waves/2025/analysis?kind=commune&sort=name'));
    const codes = dashboardCodes(communes);
    expect(codes).toHaveLength(UNIT_PAGE_SIZE);
    expect(codes.every((c) => COMMUNES.some((u) => u.code === c))).toBe(true);
    expect(communes).toContain('Trang 1/3');
    expect(communes).toContain('href="/waves/2025/analysis?kind=commune&sort=name&page=2#don-vi"');
  });

  it('finds units on the dashboard by name without accents or by code', async () => {
    const named = await page(`/waves/2025/analysis?q=${encodeURIComponent('chau doc')}`);
    expect(dashboardCodes(named)).toEqual(UNITS.filter((u) => u.name.includes('Châu Đốc')).map((u) => u.code));
    expect(dashboardCodes(await page('/waves/2025/analysis?q=30292'))).toEqual(['30292']);
    const phuong = UNITS.filter((u) => u.name.includes('Phường'));
    const wards = decoded(await page(`/waves/2025/analysis?kind=commune&q=${encodeURIComponent('Phường')}`));
    expect(dashboardCodes(wards)).toEqual(byCode(phuong).slice(0, UNIT_PAGE_SIZE).map((u) => u.code));
    expect(wards).toContain(`${phuong.length} đơn vị khớp với tìm kiếm`);
    const none = await page(`/waves/2025/analysis?kind=department&q=${encodeURIComponent('Châu Đốc')}`);
    expect(dashboardCodes(none)).toEqual([]);
    expect(none).toContain('Không có dòng nào khớp với tìm kiếm.');
  });

  it('filters the tracking table by group and finds its units by name or code', async () => {
    const communes = decoded(await page('/waves/2025/tracking?kind=commune'));
    expect(trackingCodes(communes)).toEqual(COMMUNES.slice(0, 100).map((u) => u.code));
    expect(communes).toContain('href="/waves/2025/tracking?kind=commune&page=2#bang"');
    expect(communes).toContain('<input type="hidden" name="kind" value="commune"/>');
    expect(trackingCodes(await page('/waves/2025/tracking?kind=department'))).toEqual(DEPARTMENTS.map((u) => u.code));
    expect(trackingCodes(await page(`/waves/2025/tracking?q=${encodeURIComponent('châu đốc')}`))).toEqual(UNITS.filter((u) => u.name.includes('Châu Đốc')).map((u) => u.code));
    expect(trackingCodes(await page(`/waves/2025/tracking?kind=department&q=${encodeURIComponent('Châu Đốc')}`))).toEqual([]);
    expect(trackingCodes(await page('/waves/2025/tracking?q=SNV'))).toEqual(['SNV']);
    // The totals stay the whole wave's.
    expect(communes).toContain('Tổng cộng cả đợt (115 đơn vị)');
  });
});
