import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { insertPaperKeying } from '../server/repositories/paper-keyings';
import type { Unit } from '../server/repositories/units';
import { CRITERIA } from './support/personal-data';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps, signIn, signInSession, type StaffSession } from './support/test-deps';

/**
 * The staff lists at the size of a province: 120 units × 80 questionnaires (70 primaries, 10
 * reserves). Each list shows a page of rows, found by questionnaire code or unit, with links
 * that keep the search; no page of them grows with the wave.
 */

const UNITS: Unit[] = Array.from({ length: 120 }, (_, i) => {
  const n = String(i + 1).padStart(3, '0');
  return { code: `U${n}`, name: `Đơn vị số ${n}`, kind: i < 40 ? 'department' : 'district', predecessors: null };
});
const MAX_PAGE_BYTES = 500 * 1024;
const MISMATCHED_FORMS = 30;

/** The rows of a table's body, by the table's id. */
function bodyRows(html: string, tableId: string): string[] {
  const table = new RegExp(`<table id="${tableId}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => m[1]);
}

const decoded = (html: string) => html.replace(/&amp;/g, '&');

describe('lists that scale', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let app: ReturnType<typeof createApp>;
  let questionnaires: PublishedQuestionnaire[];
  let cookies: { admin: string; analyst: string; supervisor: string };
  let supervisor: StaffSession;
  const page = async (url: string, cookie: string) => {
    const response = await app.request(url, { headers: { cookie } });
    expect(response.status, url).toBe(200);
    const html = await response.text();
    expect(Buffer.byteLength(html), url).toBeLessThan(MAX_PAGE_BYTES);
    return html;
  };

  beforeAll(async () => {
    deps = await createTestDeps();
    ({ questionnaires } = await createPublishedWave(deps.db, { units: UNITS, perUnit: 70, reserves: 10 }));
    // Two keyings that differ for the first questionnaire of the first 30 units.
    const answers = Object.fromEntries(CRITERIA.map((c) => [c, 4]));
    for (const unit of UNITS.slice(0, MISMATCHED_FORMS)) {
      const q = questionnaires.find((x) => x.unitCode === unit.code)!;
      for (const [pass, enteredBy, a1] of [[1, 'buudien1', 4], [2, 'buudien2', 5]] as const) {
        const at = new Date(Date.UTC(2023, 5, 1)).toISOString();
        await insertPaperKeying(deps.db, { waveYear: 2023, questionnaireId: q.id, pass, enteredBy, answers: { ...answers, A1: a1 }, profile: {}, comment: null, corrections: 0, startedAt: at, endedAt: at });
      }
    }
    app = createApp(deps);
    supervisor = await signInSession(deps, 'supervisor');
    cookies = { admin: await signIn(deps, 'admin'), analyst: await signIn(deps, 'analyst'), supervisor: supervisor.cookie };
  }, 120_000);
  afterAll(() => deps.cleanup());

  it('the drawn list: 100 lines a page, a link to the next, search by code and by unit, links keep the search', async () => {
    expect(questionnaires).toHaveLength(9600);
    const first = await page('/waves/2023/draw', cookies.supervisor);
    expect(bodyRows(first, 'drawn-list')).toHaveLength(100);
    expect(first).toContain('Trang 1/96 · 9.600 dòng');
    expect(first).toContain('href="/waves/2023/draw?page=2#danh-sach" rel="next"');
    const second = await page('/waves/2023/draw?page=2', cookies.supervisor);
    expect(bodyRows(second, 'drawn-list')[0]).toContain(questionnaires[100].code);

    const wanted = questionnaires[4321];
    const found = bodyRows(await page(`/waves/2023/draw?q=${wanted.code}`, cookies.supervisor), 'drawn-list');
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`<td>${wanted.code}</td>`);
    // Typed as a clerk would, lower case without hyphens.
    expect(bodyRows(await page(`/waves/2023/draw?q=${wanted.code.replace(/-/g, '').toLowerCase()}`, cookies.supervisor), 'drawn-list')).toHaveLength(1);

    const unit = await page('/waves/2023/draw?unit=U077', cookies.supervisor);
    const unitRows = bodyRows(unit, 'drawn-list');
    expect(unitRows).toHaveLength(80);
    expect(unitRows.every((row) => row.includes('<td>U077</td>'))).toBe(true);
    expect(unit).toContain('<option value="U077" selected="">');

    // A part of a code: units U010–U019, 800 lines over 8 pages whose links keep the search.
    const part = decoded(await page('/waves/2023/draw?q=23-U01', cookies.supervisor));
    expect(part).toContain('Trang 1/8 · 800 dòng khớp với tìm kiếm');
    expect(part).toContain('href="/waves/2023/draw?q=23-U01&page=2#danh-sach"');
    const last = bodyRows(await page('/waves/2023/draw?q=23-U01&page=8', cookies.supervisor), 'drawn-list');
    expect(last.at(-1)).toContain('<td>U019</td>');
    // A page past the last shows the last; nonsense is the first.
    expect(decoded(await page('/waves/2023/draw?q=23-U01&page=99', cookies.supervisor))).toContain('Trang 8/8');
    expect(await page('/waves/2023/draw?page=abc', cookies.supervisor)).toContain('Trang 1/96');
    expect(await page('/waves/2023/draw?q=ZZZ999', cookies.supervisor)).toContain('Không có dòng nào khớp với tìm kiếm.');
  });

  it('a published draw is never searched by dossier code; a draft is, while its questionnaire codes do not exist', async () => {
    const dossier = 'U005-12';
    expect(await page(`/waves/2023/draw?q=${dossier}`, cookies.admin)).toContain('Không có dòng nào khớp với tìm kiếm.');
    const { id } = await deps.db.selectFrom('draws').select('id').where('wave_year', '=', 2023).executeTakeFirstOrThrow();
    await deps.db.updateTable('draws').set({ status: 'draft' }).where('id', '=', id).execute();
    try {
      const draft = await page(`/waves/2023/draw?q=${dossier.toLowerCase()}`, cookies.admin);
      expect(draft).toContain('Tìm mã hồ sơ');
      const rows = bodyRows(draft, 'drawn-list');
      expect(rows).toHaveLength(1);
      expect(rows[0]).toContain(`<td>${dossier}</td>`);
    } finally {
      await deps.db.updateTable('draws').set({ status: 'published' }).where('id', '=', id).execute();
    }
  });

  it('tracking: 100 units a page under the whole wave\'s totals, a code finds its unit and status', async () => {
    const first = await page('/waves/2023/tracking', cookies.analyst);
    expect(bodyRows(first, 'tracking-table')).toHaveLength(100);
    expect(first).toContain('Trang 1/2 · 120 đơn vị');
    expect(first).toContain('Tổng cộng cả đợt (120 đơn vị)');
    expect(first).toContain('kế hoạch <strong>8400</strong> phiếu');
    const second = bodyRows(await page('/waves/2023/tracking?page=2', cookies.analyst), 'tracking-table');
    expect(second).toHaveLength(20);
    expect(second[0]).toContain('<td>U101</td>');

    const wanted = questionnaires.find((q) => q.unitCode === 'U042' && q.role === 'reserve')!;
    const found = await page(`/waves/2023/tracking?q=${wanted.code}`, cookies.analyst);
    const rows = bodyRows(found, 'tracking-table');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('<td>U042</td>');
    expect(found).toContain(`<td>${wanted.code}</td><td>U042 — Đơn vị số 042</td><td>dự phòng (chưa dùng)</td><td>chưa phát</td>`);

    const unit = bodyRows(await page('/waves/2023/tracking?unit=U120', cookies.analyst), 'tracking-table');
    expect(unit).toHaveLength(1);
    expect(unit[0]).toContain('<td>U120</td>');
  });

  it('mailing: 100 units a page, the wave\'s totals and "mark all" whatever the page, a code finds its unit', async () => {
    const first = await page('/waves/2023/mailing', cookies.admin);
    expect(first).toContain('Trang 1/2 · 120 đơn vị có thư');
    expect(first).toContain('8400 phiếu đã phát hành');
    expect(first).toContain('Đánh dấu tất cả 8400 phiếu chưa gửi là đã gửi');
    expect(first).toContain('href="/waves/2023/mailing?page=2#don-vi"');
    const second = await page('/waves/2023/mailing?page=2', cookies.admin);
    expect(second).toContain('<td>U101</td>');
    expect(second).not.toContain('<td>U100</td>');

    const wanted = questionnaires.find((q) => q.unitCode === 'U003' && q.rank === 7)!;
    const found = await page(`/waves/2023/mailing?q=${wanted.code}`, cookies.admin);
    expect(found).toContain('Trang 1/1 · 1 đơn vị có thư khớp với tìm kiếm');
    expect(found).toContain(`<td>${wanted.code}</td>`);
    expect(found).toContain('<td>U003</td>');
    expect(found).not.toContain('<td>U004</td>');
    // Counts and codes only: the people's names and addresses stay in the manifest and the letters.
    expect(found).not.toMatch(/Nguyễn Văn|Trần Hưng Đạo/);
  });

  it('mismatches: 25 forms a page, search by code and by unit, a settlement comes back to the same page', async () => {
    const first = await page('/waves/2023/entry/mismatches', cookies.supervisor);
    const forms = (html: string) => [...html.matchAll(/<h2>\s*Phiếu (\S+) — /g)].map((m) => m[1]);
    expect(forms(first)).toHaveLength(25);
    expect(first).toContain('Trang 1/2 · 30 phiếu chờ đối chiếu');
    expect(forms(await page('/waves/2023/entry/mismatches?page=2', cookies.supervisor))).toHaveLength(5);

    const wanted = questionnaires.find((q) => q.unitCode === 'U017')!;
    expect(forms(await page(`/waves/2023/entry/mismatches?q=${wanted.code}`, cookies.supervisor))).toEqual([wanted.code]);
    expect(forms(await page('/waves/2023/entry/mismatches?unit=U017', cookies.supervisor))).toEqual([wanted.code]);
    expect(forms(await page('/waves/2023/entry/mismatches?unit=U099', cookies.supervisor))).toEqual([]);

    const second = decoded(await page('/waves/2023/entry/mismatches?page=2', cookies.supervisor));
    const [, action] = /<form method="post" action="([^"]+)"/.exec(second) ?? [];
    expect(action).toMatch(/^\/waves\/2023\/entry\/mismatches\/\d+\?page=2$/);
    const settled = await app.request(action, {
      method: 'POST',
      body: new URLSearchParams({ choice_A1: 'pass2' }),
      headers: { ...supervisor, 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(settled.status).toBe(200);
    const after = await settled.text();
    expect(after).toContain('Trang 2/2 · 29 phiếu chờ đối chiếu');
    expect(forms(after)).toHaveLength(4);
  });
});
