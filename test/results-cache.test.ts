import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import type { Db } from '../server/db/connect';
import { isSqlite } from '../server/db/dialect';
import { unitTableRows } from '../analysis/tables';
import { computeResultsSnapshot } from '../server/services/results/results-snapshot';
import { analyseWave } from '../server/services/results/wave-results';
import { createWave } from '../server/services/waves/waves';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps, signInSession, type StaffSession } from './support/test-deps';

const criteria = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'];
const form = { 'content-type': 'application/x-www-form-urlencoded' };

/** A QR form with the first `answered` criteria at 2 (dissatisfied) and the rest left blank. */
function qrAnswers(answered = 16): URLSearchParams {
  const body = new URLSearchParams();
  criteria.forEach((code, i) => body.set(code, i < answered ? '2' : '0'));
  return body;
}

/** A paper form as the entry page posts it, every criterion at 5 (very satisfied). */
function keyedForm(code: string): URLSearchParams {
  const body = new URLSearchParams({ code, opened_at: new Date(Date.now() - 40_000).toISOString(), corrections: '0' });
  criteria.forEach((c) => body.set(c, '5'));
  return body;
}

type UnitRow = Record<string, string | number | boolean | null>;

/**
 * Every write path that changes results, each followed at once by the dashboard and a download:
 * they must show the change (never the numbers of before it), computed once, and be served again
 * without computing while nothing changes.
 */
describe('results are computed off the event loop and reused only while nothing changed', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let app: ReturnType<typeof createApp>;
  let admin: StaffSession;
  let analyst: StaffSession;
  let clerk: StaffSession;
  let questionnaires: PublishedQuestionnaire[];

  const snv = (rank: number) => questionnaires.find((q) => q.unitCode === 'SNV' && q.role === 'primary' && q.rank === rank)!;
  const post = (path: string, session: StaffSession | null, body: URLSearchParams | FormData) =>
    app.request(path, { method: 'POST', body, headers: { ...(session ?? {}), ...(body instanceof URLSearchParams ? form : {}) } });
  const unitRow = async (year: number, code: string): Promise<UnitRow> => {
    const response = await app.request(`/waves/${year}/analysis/units.json`, { headers: { ...analyst } });
    expect(response.status).toBe(200);
    const { units } = (await response.json()) as { units: UnitRow[] };
    const row = units.find((u) => u.unit_code === code)!;
    // The same as computing the wave now, in this process, from the database as it is.
    const now = unitTableRows((await analyseWave(deps.db, year)).results).find((u) => u.unit_code === code);
    expect(row).toEqual(JSON.parse(JSON.stringify(now)));
    return row;
  };
  const dashboard = async (year: number) => {
    const response = await app.request(`/waves/${year}/analysis`, { headers: { ...analyst } });
    expect(response.status).toBe(200);
    return response.text();
  };
  /**
   * What `change` made the next open show. The change's own answer may have computed already (an
   * upload on the results page shows the page again); opening once more computes nothing.
   */
  const afterChange = async <T,>(change: () => Response | Promise<Response>, read: () => Promise<T>): Promise<T> => {
    const before = deps.results.computations;
    const response = await change();
    expect(response.status).toBeLessThan(400);
    const value = await read();
    expect(deps.results.computations).toBeGreaterThan(before);
    const settled = deps.results.computations;
    expect(await read()).toEqual(value);
    expect(deps.results.computations).toBe(settled);
    return value;
  };

  beforeAll(async () => {
    deps = await createTestDeps();
    ({ questionnaires } = await createPublishedWave(deps.db, { perUnit: 6, reserves: 1, settings: { minRespondents: 1 } }));
    app = createApp(deps);
    [admin, analyst, clerk] = [await signInSession(deps, 'admin'), await signInSession(deps, 'analyst'), await signInSession(deps, 'clerk')];
  });
  afterAll(() => deps.cleanup());

  it('shows no answers, then serves the same computation while nothing changes', async () => {
    const html = await dashboard(2023);
    expect(html).toMatch(/Số liệu tính lúc [^<]+, gồm mọi phiếu/);
    expect((await unitRow(2023, 'SNV')).respondents).toBe(0);
    const computed = deps.results.computations;
    const again = await dashboard(2023);
    for (const file of ['units-vi.csv', 'tables.xlsx', 'report.html']) {
      expect((await app.request(`/waves/2023/analysis/${file}`, { headers: { ...analyst } })).status).toBe(200);
    }
    expect(deps.results.computations).toBe(computed);
    expect(again.match(/Số liệu tính lúc [^<]+/)?.[0]).toBe(html.match(/Số liệu tính lúc [^<]+/)?.[0]);
    // The first open starts the results thread, and the first download loads the export
    // builders into it: seconds of module loading, over 30 on a 2-core machine at load 15.
  }, 120_000);

  it('a QR answer is in the next open', async () => {
    const row = await afterChange(() => post(`/q/${snv(1).token}`, null, qrAnswers(8)), () => unitRow(2023, 'SNV'));
    expect(row.respondents).toBe(1);
  });

  it('a paper form keyed at the post office is in the next open', async () => {
    const row = await afterChange(() => post('/waves/2023/entry/forms', clerk, keyedForm(snv(2).code)), () => unitRow(2023, 'SNV'));
    expect(row.respondents).toBe(2);
  });

  it('a settings change is in the next open (the half-answered QR form no longer counts)', async () => {
    const row = await afterChange(() => post('/waves/2023/settings', admin, new URLSearchParams({ validShare: '0.9' })), () => unitRow(2023, 'SNV'));
    expect(row.respondents).toBe(1);
  });

  it("an import of last year's published indexes is in the next open", async () => {
    const upload = new FormData();
    upload.set('file', new File(['unit_code,unit_name,index,respondents\nSNV,Sở Nội vụ,87.5,25\n'], 'published.csv', { type: 'text/csv' }));
    const html = await afterChange(() => post('/waves/2023/analysis/previous', analyst, upload), () => dashboard(2023));
    expect(html).toContain('So sánh với năm 2022 theo chỉ số đã công bố');
    expect((await unitRow(2023, 'SNV')).prev_index).toBe(87.5);
  });

  it("a unit edit is in the next open, and a change to last year's answers in this year's deltas", async () => {
    await createWave(deps.db, { year: 2024, copyFrom: 2023, actor: 'test' });
    const before = await unitRow(2024, 'SNV');
    expect(before.prev_index).not.toBeNull();
    const renamed = await afterChange(
      () => post('/waves/2024/units/SNV', admin, new URLSearchParams({ name: 'Sở Nội vụ (mới)', kind: 'department', predecessors: '' })),
      () => unitRow(2024, 'SNV'),
    );
    expect(renamed.unit_name).toBe('Sở Nội vụ (mới)');
    // 2024's deltas come from 2023's raw answers: a late 2023 answer changes them.
    const previous = await afterChange(() => post(`/q/${snv(3).token}`, null, qrAnswers(16)), () => unitRow(2024, 'SNV'));
    expect(previous.prev_index).not.toBe(before.prev_index);
  });

  it('analysts opening together after a change share one computation', async () => {
    expect((await post('/waves/2023/entry/forms', clerk, keyedForm(snv(4).code))).status).toBeLessThan(400);
    const before = deps.results.computations;
    const rows = await Promise.all(Array.from({ length: 6 }, () => unitRow(2023, 'SNV')));
    expect(rows.map((r) => r.respondents)).toEqual(Array(6).fill(3));
    expect(deps.results.computations).toBe(before + 1);
  });

  it('watches every table the results are computed from', async () => {
    const read = new Set<string>();
    const watching = deps.db.withPlugin({
      transformQuery: ({ node }) => {
        const visit = (value: unknown): void => {
          if (typeof value !== 'object' || value === null) return;
          const n = value as { kind?: string; table?: { identifier?: { name?: string } } };
          if (n.kind === 'TableNode' && n.table?.identifier?.name) read.add(n.table.identifier.name);
          Object.values(value).forEach(visit);
        };
        visit(node);
        return node;
      },
      transformResult: async ({ result }) => result,
    });
    await computeResultsSnapshot(watching, 2024);
    read.delete('results_versions');
    const triggers = await watchedTables(deps.db);
    expect([...read].filter((table) => !triggers.has(table))).toEqual([]);
    expect(read.size).toBeGreaterThan(5);
  });
});

/** The tables carrying a trigger that raises the results' change counter, as the database has them. */
async function watchedTables(db: Db): Promise<Set<string>> {
  const rows = isSqlite(db)
    ? (await sql<{ name: string }>`select tbl_name as name from sqlite_master where type = 'trigger' and name like '%results_changed%'`.execute(db)).rows
    : (await sql<{ name: string }>`select event_object_table as name from information_schema.triggers where trigger_name like '%results_changed%'`.execute(db)).rows;
  return new Set(rows.map((r) => r.name));
}
