import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WaveResults } from '../analysis/types';
import { createApp } from '../server/app';
import { seedDemoIfEmpty } from '../server/demo/seed-demo';
import { DEMO_2025_COMMITMENT } from '../server/demo/seed-demo-2025';
import { findCurrentDraw } from '../server/repositories/draws';
import { findLatestFrameImport } from '../server/repositories/frame-imports';
import { sumTracking, trackingByUnit } from '../server/repositories/tracking';
import { listUnits } from '../server/repositories/units';
import { listWaves } from '../server/repositories/waves';
import { analyseWave } from '../server/services/results/wave-results';
import { createTestDeps, signIn } from './support/test-deps';

/** The published 2024 rows of SNV's four predecessors (an-giang-2025/published-2024-an-giang-kien-giang.csv): index, respondents. */
const SNV_PREDECESSORS: Record<string, [number, number]> = {
  SNV: [89.64, 26],
  SLDTBXH: [93.15, 25],
  'KG-SNV': [86.11, 30],
  'KG-SLDTBXH': [93.77, 30],
};

describe('the demo waves (npm start): An Giang 2023 and An Giang 2025 after the merger', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let results: WaveResults;
  beforeAll(async () => {
    deps = await createTestDeps();
    expect((await seedDemoIfEmpty(deps.db, deps.dir, { with2025: true })).seeded).toBe(true);
    results = (await analyseWave(deps.db, 2025)).results;
  }, 180_000);
  afterAll(() => deps.cleanup());

  it('creates both waves, and the home page lists both, newest first', async () => {
    const waves = await listWaves(deps.db);
    expect(waves.map((w) => [w.year, w.name, w.unitCount, w.status])).toEqual([
      [2025, 'SIPAS 2025 — An Giang sau sáp nhập (dữ liệu mẫu)', 115, 'collecting'],
      [2023, 'SIPAS 2023 — An Giang (dữ liệu mẫu)', 28, 'collecting'],
    ]);
    const home = await (await createApp(deps).request('/', { headers: { cookie: await signIn(deps, 'admin') } })).text();
    expect(home.indexOf('href="/waves/2025"')).toBeGreaterThan(-1);
    expect(home.indexOf('href="/waves/2025"')).toBeLessThan(home.indexOf('href="/waves/2023"'));
  });

  it('has the merged province’s 13 departments with their lineage and 102 new communes', async () => {
    const units = await listUnits(deps.db, 2025);
    expect(units.filter((u) => u.kind === 'department')).toHaveLength(13);
    expect(units.filter((u) => u.kind === 'commune')).toHaveLength(102);
    expect(units.find((u) => u.code === 'SNV')?.predecessors).toEqual(['SNV', 'SLDTBXH', 'KG-SNV', 'KG-SLDTBXH']);
    expect(units.filter((u) => u.kind === 'commune').every((u) => u.predecessors?.length === 0)).toBe(true);
  });

  it('publishes, under a dated commitment, a proportional draw of exactly 5,000 with every unit at 30–60 or all its people', async () => {
    const draw = await findCurrentDraw(deps.db, 2025);
    expect(draw).toMatchObject({ status: 'published', commitmentId: expect.any(Number), reservePercent: 10 });
    expect(draw!.seed).toContain(DEMO_2025_COMMITMENT.lotteryNumber);
    expect(draw!.allocation).toMatchObject({ kind: 'proportional', total: 5000, min: 30, max: 60 });
    expect(draw!.units).toHaveLength(115);
    expect(draw!.units.reduce((s, u) => s + u.drawn, 0)).toBe(5000);
    for (const u of draw!.units) {
      expect(u.shortfall, u.unitCode).toBe(0);
      if (u.eligible < 30) expect(u.drawn, u.unitCode).toBe(u.eligible);
      else expect([u.unitCode, u.drawn >= 30 && u.drawn <= 60]).toEqual([u.unitCode, true]);
    }
    // The island special zone has fewer people than the minimum; the frame has ~300,000 rows.
    expect(draw!.units.find((u) => u.unitCode === '31105')!.eligible).toBeLessThan(30);
    // The export is messy like the 2023 one: every trap is there, in small numbers.
    const { report } = (await findLatestFrameImport(deps.db, 2025))!;
    expect(report.rowsRead).toBeGreaterThan(290_000);
    expect(report.duplicateDossierCodes).toBeGreaterThan(0);
    expect(report.unknownUnits.map((u) => u.value)).toEqual(expect.arrayContaining(['LXU', 'KG-RGI']));
    expect(report.ineligible.outsidePeriod).toBeGreaterThan(0);
    expect(report.ineligible.noAddress).toBeGreaterThan(0);
    expect(report.rowsRejected).toBeLessThan(report.rowsRead / 100);
    expect(report.unitsWithoutRows).toEqual([]);
    const primaries = await deps.db.selectFrom('questionnaires').innerJoin('sample_entries', 'sample_entries.id', 'questionnaires.sample_entry_id')
      .select((eb) => eb.fn.countAll<number>().as('n')).where('questionnaires.wave_year', '=', 2025).where('sample_entries.role', '=', 'primary').executeTakeFirstOrThrow();
    expect(Number(primaries.n)).toBe(5000);
  });

  it('pools a department’s previous index over its predecessors in both old provinces, respondent-weighted', () => {
    const snv = results.units.find((u) => u.code === 'SNV')!;
    const rows = Object.values(SNV_PREDECESSORS);
    const pooled = rows.reduce((s, [index, n]) => s + index * n, 0) / rows.reduce((s, [, n]) => s + n, 0);
    expect(pooled).toBeCloseTo(90.5927, 4);
    expect(snv.prevIndex).toBeCloseTo(pooled, 10);
    expect(snv.prevRespondents).toBe(111);
    expect([...snv.predecessorsUsed].sort()).toEqual(Object.keys(SNV_PREDECESSORS).sort());
    expect(snv.delta).toBeCloseTo(snv.index! - pooled, 10);
    const departments = results.units.filter((u) => u.kind === 'department');
    // Every department but the new one (Dân tộc và Tôn giáo) has a delta; small, some significant.
    expect(departments.filter((u) => u.isNew).map((u) => u.code)).toEqual(['SDTTG']);
    expect(departments.filter((u) => !u.isNew).every((u) => u.delta !== null && Math.abs(u.delta) < 10)).toBe(true);
    expect(departments.filter((u) => u.significant).length).toBeGreaterThan(0);
    expect(departments.filter((u) => u.significant === false).length).toBeGreaterThan(6);
  });

  it('shows every commune as new, spread over the three bands', () => {
    const communes = results.units.filter((u) => u.kind === 'commune');
    expect(communes).toHaveLength(102);
    expect(communes.every((u) => u.isNew && u.prevIndex === null && u.delta === null)).toBe(true);
    const group = results.groups.find((g) => g.kind === 'commune')!;
    expect(group.bandCounts.high).toBeGreaterThan(5);
    expect(group.bandCounts.mid).toBeGreaterThan(group.bandCounts.high);
    expect(group.bandCounts.low).toBeGreaterThan(5);
    expect(results.warnings).toEqual([]);
  });

  it('opens the 2025 wave’s pages, its communes marked "mới" in the unit table', async () => {
    const app = createApp(deps);
    const cookie = await signIn(deps, 'analyst');
    for (const url of ['/waves/2025', '/waves/2025/analysis', '/waves/2025/tracking']) {
      expect((await app.request(url, { headers: { cookie } })).status, url).toBe(200);
    }
    const island = await (await app.request('/waves/2025/analysis?kind=commune&q=31105', { headers: { cookie } })).text();
    expect(island).toContain('UBND Đặc khu Thổ Châu');
    expect(island).toContain('<td class="num">mới</td>');
    // The demo loads the communes' boundaries: the dashboard draws all 102, none missing.
    const dashboard = await (await app.request('/waves/2025/analysis', { headers: { cookie } })).text();
    expect(dashboard.match(/<path d="[^"]+" fill="#[0-9a-f]{6}" data-code="\d{5}"/g)).toHaveLength(102);
    expect(dashboard).not.toContain('Chưa có ranh giới trên bản đồ');
  });

  it('tracks against the 5,000 planned, with about 70 % answered and some letters undeliverable or refused', async () => {
    const total = sumTracking(await trackingByUnit(deps.db, 2025));
    expect(total).toMatchObject({ planned: 5000, shortfall: 0, dispatched: 5000 });
    expect(total.undeliverable).toBeGreaterThan(0);
    expect(total.refused).toBeGreaterThan(0);
    expect(total.qrAnswered).toBeGreaterThan(0);
    expect(total.valid / total.planned).toBeGreaterThan(0.6);
    expect(total.valid / total.planned).toBeLessThan(0.8);
  });
});
