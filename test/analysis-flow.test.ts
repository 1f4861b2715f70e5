import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { responsesWithShare } from '../analysis/fixtures/builders';
import { formatNumber } from '../analysis/format';
import { UNIT_TABLE_COLUMNS } from '../analysis/tables';
import { createApp } from '../server/app';
import { runCli } from '../server/cli/run-cli';
import { writeTransaction } from '../server/db/unit-of-work';
import { seedDemoIfEmpty } from '../server/demo/seed-demo';
import { listAudit } from '../server/repositories/audit';
import { listPreviousIndexes } from '../server/repositories/previous-indexes';
import { insertResponse } from '../server/repositories/responses';
import { replaceUnits, type Unit } from '../server/repositories/units';
import { closeWave, purgePersonalData } from '../server/services/waves/wave-lifecycle';
import { createWave } from '../server/services/waves/waves';
import { createPublishedWave } from './support/published-wave';
import { firstDifference } from './support/same-bytes';
import { createTestDeps, signIn, signInSession } from './support/test-deps';

type Deps = Awaited<ReturnType<typeof createTestDeps>>;

const root = path.resolve(__dirname, '..');

/** The provincial report's sentences (SIPAS.md s.12), as the analysis library words them. */
const DEPARTMENT_SENTENCE =
  'Bình quân Chỉ số hài lòng của các sở, ban, ngành đạt 88,56 %, tăng 1,92 điểm % so với năm 2022 (86,64 %); ' +
  'có 05 cơ quan có Chỉ số hài lòng từ 90 % trở lên, 12 cơ quan từ 80 % đến dưới 90 %, không có cơ quan dưới 80 %; ' +
  '12 cơ quan tăng, 05 cơ quan giảm. Điểm CCHC: 28,34/32.';
const DISTRICT_SENTENCE =
  'Bình quân Chỉ số hài lòng của UBND các huyện, thị xã, thành phố đạt 87,79 %, giảm 1,96 điểm % so với năm 2022 (89,75 %); ' +
  'có 04 đơn vị có Chỉ số hài lòng từ 90 % trở lên, 07 đơn vị từ 80 % đến dưới 90 %, không có đơn vị dưới 80 %; ' +
  '03 đơn vị tăng, 08 đơn vị giảm. Điểm CCHC: 28,09/32.';

/** Response.text() drops a leading BOM; the tests must see the bytes Excel sees. */
function withBom(bytes: ArrayBuffer | Uint8Array): string {
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

function cliEnv(deps: Deps) {
  return { ...deps.databaseEnv, USER: 'tester' };
}

async function xlsxText(bytes: ArrayBuffer | Buffer): Promise<{ workbook: ExcelJS.Workbook; text: string }> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as ArrayBuffer);
  const parts: string[] = [];
  workbook.eachSheet((sheet) => {
    parts.push(sheet.name);
    sheet.eachRow((row) => row.eachCell((cell) => parts.push(String(cell.value))));
  });
  return { workbook, text: parts.join('\n') };
}

/** Unit code → the rows' first cells, in table order, of each unit table on the dashboard. */
function tableOrders(html: string): string[][] {
  return [...html.matchAll(/<table class="units">[\s\S]*?<\/table>/g)].map((m) =>
    [...m[0].matchAll(/<tr(?: class="[^"]*")?><td>([^<]+)<\/td>/g)].map((r) => r[1]),
  );
}

describe('the demo wave (An Giang 2023) on the dashboard and in every export', () => {
  let deps: Deps;
  let analyst: string;
  let app: ReturnType<typeof createApp>;
  const get = (url: string, cookie = analyst) => app.request(url, { headers: { cookie } });

  beforeAll(async () => {
    deps = await createTestDeps();
    await seedDemoIfEmpty(deps.db, deps.dir);
    analyst = await signIn(deps, 'analyst');
    app = createApp(deps);
  });
  afterAll(() => deps.cleanup());

  it('the dashboard states the published figures of both groups', async () => {
    const response = await get('/waves/2023/analysis');
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(DEPARTMENT_SENTENCE);
    expect(html).toContain(DISTRICT_SENTENCE);
    for (const figure of ['88,56 %', '86,64 %', '87,79 %', '89,75 %', '28,34', '28,09', '12 / 5 / 0 / 0', '3 / 8 / 0 / 0']) {
      expect(html).toContain(figure);
    }
    expect(html).toContain('671 phiếu hợp lệ được tính chỉ số');
    expect(html).toContain('So sánh với năm 2022 theo chỉ số đã công bố');
    // Each delta shows its own interval (against 2022's published figures none leaves out 0), and the
    // star's method is stated.
    expect(html).toMatch(/\+4,45<span class="ci">-\d+,\d\d – \+\d+,\d\d<\/span>/);
    expect(html).not.toMatch(/<abbr title="Dấu \*/);
    expect(html).toContain('Dấu * : khoảng tin cậy 95 % của mức tăng/giảm (MOVER) không chứa 0; năm 2022 chỉ có chỉ số đã công bố');
    for (const file of ['report.html', 'tables.xlsx', 'units-vi.csv', 'units.csv', 'units.json', 'groups.csv', 'criteria.csv', 'tracking.csv', 'profile.csv']) {
      expect(html).toContain(`href="/waves/2023/analysis/${file}"`);
    }
    expect(html).toContain('Tải bảng đơn vị (CSV tiếng Việt, mở bằng Excel)');
  });

  it('the wave page links to the results', async () => {
    expect(await (await get('/waves/2023')).text()).toContain('href="/waves/2023/analysis"');
  });

  it('sorts by a clicked column and filters by kind, without JavaScript', async () => {
    const byCode = tableOrders(await (await get('/waves/2023/analysis')).text());
    expect(byCode.map((t) => t.length)).toEqual([17, 11]);
    expect(byCode[0]).toEqual([...byCode[0]].sort());

    const byIndex = await (await get('/waves/2023/analysis?sort=index&dir=desc')).text();
    const [departments, districts] = tableOrders(byIndex);
    expect(departments.slice(0, 3)).toEqual(['SNGV', 'STP', 'SKHCN']);
    expect(districts[0]).toBe('TSO');
    expect(districts.at(-1)).toBe('APH');
    // The active header says its direction and links to the other one.
    expect(byIndex).toMatch(/aria-sort="descending"[^>]*><a href="\?sort=index">Chỉ số ▼<\/a>/);

    const ranked = tableOrders(await (await get('/waves/2023/analysis?sort=rank')).text());
    expect(ranked[0][0]).toBe('SNGV');

    const districtsOnly = await (await get('/waves/2023/analysis?kind=district&sort=delta&dir=desc')).text();
    const tables = tableOrders(districtsOnly);
    expect(tables).toHaveLength(1);
    expect(tables[0]).toHaveLength(11);
    expect(tables[0][0]).toBe('CTH');
    expect(districtsOnly).toContain(DISTRICT_SENTENCE);
    expect(districtsOnly).not.toContain(DEPARTMENT_SENTENCE);
    // Sorting links keep the filter.
    expect(districtsOnly).toContain('href="?kind=district&amp;sort=name"');
  });

  it('units.csv: BOM, exactly the s.11 header, unrounded numbers, Vietnamese names intact', async () => {
    const response = await get('/waves/2023/analysis/units.csv');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="sipas-2023-don-vi.csv"; filename*=UTF-8''sipas-2023-don-vi.csv`,
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = withBom(bytes);
    expect(text.slice(1, text.indexOf('\r\n'))).toBe(UNIT_TABLE_COLUMNS.join(','));
    const parsed = Papa.parse<Record<string, string>>(text.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    expect(parsed.meta.fields).toEqual([...UNIT_TABLE_COLUMNS]);
    const expectedNames = Papa.parse<Record<string, string>>(fs.readFileSync(path.join(root, 'server/demo/units-2023.csv'), 'utf8'), {
      header: true,
      skipEmptyLines: true,
    }).data;
    expect(Object.fromEntries(parsed.data.map((r) => [r.unit_code, r.unit_name]))).toEqual(
      Object.fromEntries(expectedNames.map((r) => [r.unit_code, r.unit_name])),
    );
    const sngv = parsed.data.find((r) => r.unit_code === 'SNGV')!;
    // +4,45 points from 25 answers against a published 88,3 % from 25: inside the delta's interval, no star.
    expect(sngv).toMatchObject({ wave: '2023', unit_kind: 'department', respondents: '25', band: 'high', significant: 'false', prev_index: '88.3', delta_test: 'published' });
    expect(Number(sngv.delta_ci_low)).toBeLessThan(0);
    expect(Number(sngv.delta_ci_high)).toBeGreaterThan(4.45);
    expect(sngv.index).toMatch(/^92\.7\d{5,}$/);
    expect(sngv.index).not.toContain(',');
  });

  it('units-vi.csv: the unit table for Vietnamese Excel, with the same rounded indexes as the report and units.csv', async () => {
    const response = await get('/waves/2023/analysis/units-vi.csv');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toContain('filename="sipas-2023-don-vi-tieng-viet.csv"');
    const text = withBom(await response.arrayBuffer());
    expect(text.startsWith('\uFEFFMã đơn vị;Tên đơn vị;Nhóm đơn vị;Số phiếu hợp lệ;Chỉ số SIPAS (%);Khoảng tin cậy 95 %;Chỉ số năm 2022 (%);Thay đổi so với năm trước (điểm %);')).toBe(true);
    const vi = Papa.parse<Record<string, string>>(text.slice(1), { header: true, delimiter: ';', skipEmptyLines: true });
    expect(vi.errors).toEqual([]);
    const machine = Papa.parse<Record<string, string>>(withBom(await (await get('/waves/2023/analysis/units.csv')).arrayBuffer()).slice(1), {
      header: true,
      skipEmptyLines: true,
    }).data;
    // The report's unit table: first cell the code, index in the column headed "Chỉ số hài lòng".
    const report = await (await get('/waves/2023/analysis/report.html')).text();
    const unitTable = /<h3>Chỉ số theo đơn vị<\/h3>\s*<table>([\s\S]*?)<\/table>/.exec(report)![1];
    const headers = [...unitTable.matchAll(/<th>([^<]*)<\/th>/g)].map((m) => m[1]);
    const reportIndex = new Map(
      [...unitTable.matchAll(/<tr>(<td[\s\S]*?)<\/tr>/g)].map((m) => {
        const cells = [...m[1].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((c) => c[1]);
        return [cells[0], cells[headers.indexOf('Chỉ số hài lòng')]];
      }),
    );
    expect(vi.data).toHaveLength(28);
    expect(reportIndex.size).toBe(28);
    for (const u of machine) {
      const row = vi.data.find((r) => r['Mã đơn vị'] === u.unit_code)!;
      expect(row['Tên đơn vị']).toBe(u.unit_name);
      const rounded = formatNumber(Number(u.index), 2);
      expect(row['Chỉ số SIPAS (%)'], u.unit_code).toBe(rounded);
      expect(reportIndex.get(u.unit_code), u.unit_code).toBe(`${rounded} %`);
      expect(row['Thay đổi so với năm trước (điểm %)'], u.unit_code).toBe(formatNumber(Number(u.delta), 2));
    }
    expect(vi.data.find((r) => r['Mã đơn vị'] === 'SNGV')).toMatchObject({ 'Chỉ số năm 2022 (%)': '88,30', 'Thay đổi có ý nghĩa thống kê': 'Không' });
  });

  it('person-readable CSVs use Vietnamese headers, comma decimals and a BOM', async () => {
    const groups = withBom(await (await get('/waves/2023/analysis/groups.csv')).arrayBuffer());
    expect(groups.startsWith('\uFEFFNhóm đơn vị,Số đơn vị,Số phiếu hợp lệ,Bình quân Chỉ số hài lòng')).toBe(true);
    expect(groups).toContain('Sở, ban, ngành",17,410,"88,56 %","86,64 %"');
    const tracking = await get('/waves/2023/analysis/tracking.csv');
    expect(tracking.headers.get('content-disposition')).toContain('filename="sipas-2023-theo-doi-phieu.csv"');
    expect(await tracking.text()).toContain('Tổng cộng');
    expect((await get('/waves/2023/analysis/nonsense.csv')).status).toBe(404);
  });

  it('the XLSX reads back with one sheet per table and the same numbers as the JSON API', async () => {
    const xlsx = await get('/waves/2023/analysis/tables.xlsx');
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const { workbook } = await xlsxText(await xlsx.arrayBuffer());
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      'Chỉ số theo đơn vị',
      'Theo nhóm đơn vị',
      'Theo tiêu chí',
      'Theo dõi phiếu',
      'Thông tin người trả lời',
    ]);
    const json = (await (await get('/waves/2023/analysis/units.json')).json()) as {
      columns: string[];
      units: Record<string, number | string | null>[];
    };
    expect(json.columns).toEqual([...UNIT_TABLE_COLUMNS]);
    expect(json.units).toHaveLength(28);
    const sheet = workbook.getWorksheet('Chỉ số theo đơn vị')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const col = (name: string) => header.indexOf(name) + 1;
    const fromSheet = new Map<string, { index: number; prev: number; points: number; name: string }>();
    sheet.eachRow((row, n) => {
      if (n === 1) return;
      fromSheet.set(String(row.getCell(1).value), {
        name: String(row.getCell(col('Tên đơn vị')).value),
        index: row.getCell(col('Chỉ số hài lòng')).value as number,
        prev: row.getCell(col('Chỉ số năm 2022')).value as number,
        points: row.getCell(col('Điểm CCHC (/32)')).value as number,
      });
    });
    expect(fromSheet.size).toBe(28);
    for (const u of json.units) {
      expect(fromSheet.get(u.unit_code as string)).toEqual({ name: u.unit_name, index: u.index, prev: u.prev_index, points: u.par_points });
    }
    const groups = workbook.getWorksheet('Theo nhóm đơn vị')!;
    expect(groups.getRow(2).getCell(1).value).toBe('Sở, ban, ngành');
    expect((groups.getRow(2).getCell(4).value as number).toFixed(2)).toBe('88.56');
  });

  it('report.html is the printable report with the published sentences, shown in the browser', async () => {
    const response = await get('/waves/2023/analysis/report.html');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^inline; filename="sipas-2023-bao-cao.html"/);
    const html = await response.text();
    expect(html).toContain(DEPARTMENT_SENTENCE);
    expect(html).toContain(DISTRICT_SENTENCE);
    expect(html).toContain('<svg');
  });

  it('clerks may not see results; visitors are sent to sign in; supervisors may read', async () => {
    const clerk = await signIn(deps, 'clerk');
    const supervisorSession = await signInSession(deps, 'supervisor');
    const supervisor = supervisorSession.cookie;
    for (const url of ['/waves/2023/analysis', '/waves/2023/analysis/units.csv', '/waves/2023/analysis/units-vi.csv', '/waves/2023/analysis/units.json', '/waves/2023/analysis/tables.xlsx', '/waves/2023/analysis/report.html']) {
      expect((await get(url, clerk)).status, url).toBe(403);
      const anonymous = await app.request(url);
      expect(anonymous.status, url).toBe(302);
      expect(anonymous.headers.get('location')).toMatch(/^\/dang-nhap\?next=/);
      expect((await get(url, supervisor)).status, url).toBe(200);
    }
    const html = await (await get('/waves/2023/analysis', supervisor)).text();
    expect(html).not.toContain('name="file"');
    const form = new FormData();
    form.set('file', new File(['unit_code,unit_name,index\nSNV,Sở Nội vụ,80\n'], 'p.csv'));
    expect((await app.request('/waves/2023/analysis/previous', { method: 'POST', body: form, headers: { ...supervisorSession } })).status).toBe(403);
  });

  it('the report command writes each format', async () => {
    const out = (name: string) => path.join(deps.dir, 'out', name);
    const run = (args: string[]) => runCli(['report', '--wave', '2023', ...args], cliEnv(deps), deps.dir);

    const csv = await run(['--format', 'csv', '--out', out('units.csv')]);
    expect(csv).toMatchObject({ code: 0, stderr: '' });
    expect(csv.stdout).toContain('28 đơn vị, 671 phiếu hợp lệ; bình quân Sở, ban, ngành 88,56 %, UBND cấp huyện 87,79 %');
    const csvText = fs.readFileSync(out('units.csv'), 'utf8');
    expect(csvText.startsWith(`\uFEFF${UNIT_TABLE_COLUMNS.join(',')}\r\n`)).toBe(true);
    expect(firstDifference(fs.readFileSync(out('units.csv')), Buffer.from(await (await get('/waves/2023/analysis/units.csv')).arrayBuffer()))).toBeNull();

    expect((await run(['--format', 'csv', '--table', 'criteria', '--out', out('criteria.csv')])).code).toBe(0);
    expect(fs.readFileSync(out('criteria.csv'), 'utf8')).toMatch(/^\uFEFFMã tiêu chí,Yếu tố,Nội dung tiêu chí/);

    const json = await run(['--format', 'json', '--table', 'groups', '--out', out('groups.json'), '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ wave: 2023, format: 'json', table: 'groups', units: 28, counted: 671 });
    const written = JSON.parse(fs.readFileSync(out('groups.json'), 'utf8'));
    expect(written.units).toHaveLength(28);
    expect(written.table.name).toBe('Theo nhóm đơn vị');
    expect(written.table.rows[0].slice(0, 3)).toEqual(['Sở, ban, ngành', 17, 410]);

    expect((await run(['--format', 'xlsx', '--out', out('tables.xlsx')])).code).toBe(0);
    const { workbook } = await xlsxText(fs.readFileSync(out('tables.xlsx')));
    expect(workbook.worksheets).toHaveLength(5);

    expect((await run(['--format', 'html', '--out', out('report.html')])).code).toBe(0);
    expect(fs.readFileSync(out('report.html'), 'utf8')).toContain(DEPARTMENT_SENTENCE);

    const bad = await run(['--format', 'pdf', '--out', out('x.pdf')]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('Lỗi: định dạng "pdf" không hỗ trợ: chọn một trong csv, xlsx, json, html\n');
    const htmlTable = await run(['--format', 'html', '--table', 'groups', '--out', out('x.html')]);
    expect(htmlTable).toMatchObject({ code: 1, stderr: 'Lỗi: --table không dùng với --format html: báo cáo in được luôn gồm mọi bảng\n' });
    const noWave = await runCli(['report', '--wave', '2019', '--format', 'csv', '--out', out('y.csv')], cliEnv(deps), deps.dir);
    expect(noWave).toMatchObject({ code: 1, stderr: 'Lỗi: Không có đợt khảo sát năm 2019\n' });
    expect(['x.pdf', 'x.html', 'y.csv'].some((f) => fs.existsSync(out(f)))).toBe(false);
  });
});

describe('previous import: last year published indexes', () => {
  let deps: Deps;
  beforeEach(async () => {
    deps = await createTestDeps();
    await createWave(deps.db, { year: 2023, actor: 'test' });
    await replaceUnits(deps.db, 2023, [
      { code: 'SNV', name: 'Sở Nội vụ', kind: 'department', predecessors: null },
      { code: 'STP', name: 'Sở Tư pháp', kind: 'department', predecessors: null },
    ]);
  });
  afterEach(() => deps.cleanup());

  const write = (name: string, text: string) => {
    const file = path.join(deps.dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it('imports a good file from Excel (BOM, Vietnamese headers, comma decimals) and replaces the old table', async () => {
    const first = write('p1.csv', 'unit_code,unit_name,index\nSNV,Sở Nội vụ,70\n');
    expect((await runCli(['previous', 'import', '--wave', '2023', first], cliEnv(deps), deps.dir)).code).toBe(0);
    const good = write('p2.csv', '\uFEFFMã đơn vị,Tên đơn vị,Chỉ số hài lòng,Số phiếu\nSNV,Sở Nội vụ,"87,52 %",25\nSTP,Sở Tư pháp,"92,56",\n');
    const result = await runCli(['previous', 'import', '--wave', '2023', good], cliEnv(deps), deps.dir);
    expect(result).toMatchObject({ code: 0, stdout: 'Đã nhập chỉ số đã công bố năm 2022 của 2 đơn vị cho đợt 2023\n' });
    expect(await listPreviousIndexes(deps.db, 2023)).toEqual([
      { unitCode: 'SNV', unitName: 'Sở Nội vụ', index: 87.52, respondents: 25 },
      { unitCode: 'STP', unitName: 'Sở Tư pháp', index: 92.56, respondents: null },
    ]);
    const audit = await listAudit(deps.db, 2023);
    expect(audit[0]).toMatchObject({ action: 'previous.import', actor: 'cli:tester', detail: { rows: 2 } });
  });

  it('a bad file changes nothing and names every bad line', async () => {
    await runCli(['previous', 'import', '--wave', '2023', write('ok.csv', 'unit_code,unit_name,index\nSNV,Sở Nội vụ,87.52\n')], cliEnv(deps), deps.dir);
    const bad = write('bad.csv', 'unit_code,unit_name,index,respondents\nSTP,Sở Tư pháp,91.2,24\nSCT,Sở Công Thương,cao,24\nSNV,Sở Nội vụ,101,x\n');
    const result = await runCli(['previous', 'import', '--wave', '2023', bad], cliEnv(deps), deps.dir);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe(
      'Lỗi: Bảng chỉ số năm trước có 2 lỗi, chưa nhập dòng nào: dòng 3: chỉ số "cao" không phải số từ 0 đến 100; dòng 4: chỉ số "101" không phải số từ 0 đến 100; số phiếu "x" không hợp lệ',
    );
    expect(await listPreviousIndexes(deps.db, 2023)).toEqual([{ unitCode: 'SNV', unitName: 'Sở Nội vụ', index: 87.52, respondents: null }]);
    const missing = await runCli(['previous', 'import', '--wave', '2023', path.join(deps.dir, 'none.csv')], cliEnv(deps), deps.dir);
    expect(missing).toMatchObject({ code: 1, stderr: `Lỗi: không đọc được tệp ${path.join(deps.dir, 'none.csv')}: ENOENT\n` });
  });

  it('the upload form on the analysis page imports, or shows the errors and keeps the old table', async () => {
    const analyst = await signInSession(deps, 'analyst');
    const app = createApp(deps);
    const upload = (text: string) => {
      const form = new FormData();
      form.set('file', new File([text], 'published.csv', { type: 'text/csv' }));
      return app.request('/waves/2023/analysis/previous', { method: 'POST', body: form, headers: { ...analyst } });
    };
    const page = await (await app.request('/waves/2023/analysis', { headers: { ...analyst } })).text();
    expect(page).toContain('Chưa có số liệu năm trước để so sánh.');
    expect(page).toContain(`action="/waves/2023/analysis/previous?_token=${analyst['x-sipas-token']}"`);

    const ok = await upload('unit_code,unit_name,index,respondents\nSNV,Sở Nội vụ,87.52,25\nSTP,Sở Tư pháp,92.56,25\n');
    expect(ok.status).toBe(200);
    const okHtml = await ok.text();
    expect(okHtml).toContain('Đã nhập chỉ số đã công bố năm 2022 của 2 đơn vị.');
    expect(okHtml).toContain('So sánh với năm 2022 theo chỉ số đã công bố');

    const bad = await upload('unit_code,unit_name,index\nSNV,Sở Nội vụ,87.52\nSNV,Sở Nội vụ,88\n');
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<li>dòng 3: mã đơn vị SNV bị trùng</li>');
    expect((await listPreviousIndexes(deps.db, 2023)).map((r) => r.index)).toEqual([87.52, 92.56]);
  });

  it('keeps every digit of an index on both databases (on PostgreSQL a double, not a 4-byte real that kept seven)', async () => {
    const file = write('digits.csv', 'unit_code,unit_name,index\nSNV,Sở Nội vụ,88.5612345\nSTP,Sở Tư pháp,"12,5"\n');
    expect((await runCli(['previous', 'import', '--wave', '2023', file], cliEnv(deps), deps.dir)).code).toBe(0);
    expect((await listPreviousIndexes(deps.db, 2023)).map((r) => r.index)).toEqual([88.5612345, 12.5]);
  });
});

describe('a wave without answers yet', () => {
  let deps: Deps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(() => deps.cleanup());

  it('shows an empty dashboard and every export still opens', async () => {
    await createWave(deps.db, { year: 2025, actor: 'test' });
    await replaceUnits(deps.db, 2025, [{ code: 'SNV', name: 'Sở Nội vụ', kind: 'department', predecessors: null }]);
    const cookie = await signIn(deps, 'analyst');
    const app = createApp(deps);
    const html = await (await app.request('/waves/2025/analysis', { headers: { cookie } })).text();
    expect(html).toContain('Chưa có phiếu trả lời nào được tính chỉ số.');
    expect(html).toContain('Chưa có phiếu hợp lệ của các sở, ban, ngành.');
    for (const file of ['units.csv', 'units-vi.csv', 'units.json', 'tables.xlsx', 'report.html', 'groups.csv', 'criteria.csv', 'tracking.csv', 'profile.csv']) {
      expect((await app.request(`/waves/2025/analysis/${file}`, { headers: { cookie } })).status, file).toBe(200);
    }
    expect((await app.request('/waves/2031/analysis', { headers: { cookie } })).status).toBe(404);
  });
});

describe('raw previous year through lineage', () => {
  let deps: Deps;
  beforeAll(async () => {
    deps = await createTestDeps();
    const waves: [number, Unit[]][] = [
      [
        2022,
        [
          { code: 'A', name: 'Sở A', kind: 'department', predecessors: null },
          { code: 'B', name: 'Sở B', kind: 'department', predecessors: null },
          { code: 'C', name: 'Huyện C', kind: 'district', predecessors: null },
        ],
      ],
      [
        2023,
        [
          { code: 'AB', name: 'Sở AB (hợp nhất A và B)', kind: 'department', predecessors: ['A', 'B'] },
          { code: 'N', name: 'Sở mới N', kind: 'department', predecessors: [] },
          { code: 'C', name: 'Huyện C', kind: 'district', predecessors: null },
        ],
      ],
    ];
    for (const [year, units] of waves) {
      await createWave(deps.db, { year, actor: 'test' });
      await replaceUnits(deps.db, year, units);
    }
    // Everyone answers 4 (satisfied) or 3 to every criterion, so index = 100 × satisfied / n exactly.
    const shares: [number, string, number, number][] = [
      [2022, 'A', 8, 10],
      [2022, 'B', 5, 10],
      [2022, 'C', 9, 10],
      [2023, 'AB', 15, 20],
      [2023, 'N', 2, 3],
      [2023, 'C', 18, 20],
    ];
    for (const [year, unitCode, satisfied, n] of shares) {
      for (const r of responsesWithShare(unitCode, satisfied, n)) {
        await insertResponse(deps.db, { waveYear: year, questionnaireId: null, unitCode, channel: 'import', state: 'counted', answers: r.answers, profile: {}, comment: null, enteredBy: 'test' });
      }
    }
    const blank = Object.fromEntries(Object.keys(responsesWithShare('C', 0, 1)[0].answers).map((code) => [code, null]));
    await insertResponse(deps.db, { waveYear: 2023, questionnaireId: null, unitCode: 'C', channel: 'paper', state: 'invalid', answers: blank, profile: {}, comment: null, enteredBy: 'test' });
    // A published table for 2023 exists too, but raw answers win.
    const published = path.join(deps.dir, 'published.csv');
    fs.writeFileSync(published, 'unit_code,unit_name,index\nA,Sở A,99\nB,Sở B,99\nC,Huyện C,99\n');
    const imported = await runCli(['previous', 'import', '--wave', '2023', published], cliEnv(deps), deps.dir);
    expect(imported.stdout).toContain('lưu ý: hệ thống có phiếu gốc của đợt 2022, nên so sánh dùng phiếu gốc thay cho bảng này');
  });
  afterAll(() => deps.cleanup());

  it('pools merged predecessors, marks new units "mới", flags small units and counts invalid forms', async () => {
    const cookie = await signIn(deps, 'analyst');
    const app = createApp(deps);
    const json = (await (await app.request('/waves/2023/analysis/units.json', { headers: { cookie } })).json()) as {
      previous: { year: number; source: string };
      units: Record<string, unknown>[];
    };
    expect(json.previous).toEqual({ year: 2022, source: 'raw' });
    const unit = (code: string) => json.units.find((u) => u.unit_code === code)!;
    expect(unit('AB')).toMatchObject({ respondents: 20, index: 75, prev_index: 65, delta: 10 });
    expect(unit('C')).toMatchObject({ respondents: 20, index: 90, prev_index: 90, delta: 0, band: 'high' });
    expect(unit('N')).toMatchObject({ respondents: 3, prev_index: null, delta: null, significant: null });

    const html = await (await app.request('/waves/2023/analysis', { headers: { cookie } })).text();
    expect(html).toContain('So sánh với năm 2022 từ phiếu gốc trong hệ thống.');
    expect(html).toContain('; 1 phiếu không hợp lệ (không tính)');
    expect(html).toMatch(/<tr class="below-min"><td>N<\/td><td class="name">Sở mới N<span[^>]*> \(dưới 10 phiếu\)<\/span><\/td>/);
    expect(html).toMatch(/<td class="num">mới<\/td>/);
    // The group average of last year is over last year's departments A and B: (80 + 50) / 2.
    expect(html).toContain('<dt>Năm 2022</dt><dd>65,00 %</dd>');
  });
});

describe('no personal data in any result or export', () => {
  let deps: Deps;
  beforeAll(async () => {
    deps = await createTestDeps();
  });
  afterAll(() => deps.cleanup());

  it('contacts of a published wave never reach the dashboard, downloads or command output', async () => {
    const { year, questionnaires } = await createPublishedWave(deps.db, { year: 2024, perUnit: 4, reserves: 1 });
    const contacts = await deps.db.selectFrom('contacts').selectAll().execute();
    expect(contacts.length).toBe(15);
    const secrets = contacts.flatMap((c) => [c.applicant_name, c.address!, c.phone!, c.id_number!]);
    const primaries = questionnaires.filter((q) => q.role === 'primary');
    for (const [i, q] of primaries.entries()) {
      const answers = responsesWithShare(q.unitCode, i % 2, 1)[0].answers;
      await insertResponse(deps.db, {
        waveYear: year,
        questionnaireId: q.id,
        unitCode: q.unitCode,
        channel: i % 3 === 0 ? 'qr' : 'paper',
        state: 'counted',
        answers,
        // A respondent who writes their own name and address into the free text: kept, never analysed.
        profile: { gender: 'nu', comment: contacts[i].address },
        comment: `Tôi là ${contacts[i].applicant_name}, điện thoại ${contacts[i].phone}`,
        enteredBy: 'test',
      });
    }
    const cookie = await signIn(deps, 'admin');
    const app = createApp(deps);
    const texts: [string, string][] = [];
    for (const file of ['', '/units.csv', '/units-vi.csv', '/units.json', '/groups.csv', '/criteria.csv', '/tracking.csv', '/profile.csv', '/report.html']) {
      const response = await app.request(`/waves/${year}/analysis${file}`, { headers: { cookie } });
      expect(response.status, file).toBe(200);
      texts.push([file || 'dashboard', await response.text()]);
    }
    const xlsx = await app.request(`/waves/${year}/analysis/tables.xlsx`, { headers: { cookie } });
    texts.push(['tables.xlsx', (await xlsxText(await xlsx.arrayBuffer())).text]);
    for (const format of ['csv', 'json', 'html', 'xlsx']) {
      const out = path.join(deps.dir, `report.${format}`);
      const run = await runCli(['report', '--wave', String(year), '--format', format, '--out', out, '--json'], cliEnv(deps), deps.dir);
      expect(run.code).toBe(0);
      texts.push([`cli ${format}`, run.stdout]);
      texts.push([`file ${format}`, format === 'xlsx' ? (await xlsxText(fs.readFileSync(out))).text : fs.readFileSync(out, 'utf8')]);
    }
    // The responses really are in the exports: 12 counted, 4 per unit.
    expect(texts.find(([name]) => name === '/units.csv')![1]).toMatch(/\r\n2024,SNV,Sở Nội vụ,department,4,50,/);
    for (const [name, text] of texts) {
      for (const secret of secrets) expect(text.includes(secret), `${name} contains "${secret}"`).toBe(false);
      expect(text, name).not.toContain('Tôi là');
    }
  });

  it('takes planned, drawn and returned questionnaires from collection tracking', async () => {
    const cookie = await signIn(deps, 'supervisor');
    const app = createApp(deps);
    const report = await (await app.request('/waves/2024/analysis/report.html', { headers: { cookie } })).text();
    expect(report).toContain('Kế hoạch 12 phiếu; đã phát hành 12 phiếu; 12 phiếu hợp lệ từ danh sách đã bốc, đạt 100,00 % kế hoạch, tỷ lệ phản hồi RR1 (AAPOR) 100,00 %; 12 phiếu hợp lệ được tính chỉ số.');
    const tracking = withBom(await (await app.request('/waves/2024/analysis/tracking.csv', { headers: { cookie } })).arrayBuffer());
    const rows = Papa.parse<string[]>(tracking.slice(1), { skipEmptyLines: true }).data;
    expect(rows[0].slice(0, 5)).toEqual(['Mã đơn vị', 'Tên đơn vị', 'Kế hoạch (lần bốc mẫu)', 'Thiếu do khung mẫu', 'Số mẫu đã chọn (chính + dự phòng)']);
    expect(rows.find((r) => r[0] === 'SNV')!.slice(2, 5)).toEqual(['4', '0', '5']);
    expect(rows.at(-1)!.slice(1, 5)).toEqual(['Tổng cộng', '12', '0', '15']);
  });

  it('closing the wave and purging its personal data leave the results as they were', async () => {
    const cookie = await signIn(deps, 'analyst', 'analyst-purge');
    const app = createApp(deps);
    const units = async () => (await app.request('/waves/2024/analysis/units.csv', { headers: { cookie } })).text();
    const before = await units();
    await writeTransaction(deps.db, (trx) => closeWave(trx, 2024, 'test'));
    const outcome = await writeTransaction(deps.db, (trx, afterCommit) => purgePersonalData(trx, afterCommit, 2024, deps.config.dataDir, 'test'));
    expect(outcome.contactsDeleted).toBe(15);
    expect(await units()).toBe(before);
    const file = path.join(deps.dir, 'late.csv');
    fs.writeFileSync(file, 'unit_code,unit_name,index\nSNV,Sở Nội vụ,80\n');
    const late = await runCli(['previous', 'import', '--wave', '2024', file], cliEnv(deps), deps.dir);
    expect(late).toMatchObject({ code: 1, stderr: 'Lỗi: Đợt 2024 đã khóa: không thay chỉ số năm trước được nữa\n' });
    expect(await units()).toBe(before);
  });

  it('applies the finite population correction only where the answers are a sample of the frame', async () => {
    const cookie = await signIn(deps, 'analyst');
    const app = createApp(deps);
    const ciWidths = async () => {
      const json = (await (await app.request('/waves/2024/analysis/units.json', { headers: { cookie } })).json()) as { units: Record<string, number>[] };
      return Object.fromEntries(json.units.map((u) => [u.unit_code, u.ci_high - u.ci_low]));
    };
    const before = await ciWidths();
    // SNV: 4 answers from a frame of 3 cannot be a sample of it; STP: 4 of 5 eligible, a large correction.
    const summary = [
      { unitCode: 'SNV', eligible: 3, planned: 4, drawn: 3, reserve: 0, shortfall: 1 },
      { unitCode: 'STP', eligible: 5, planned: 4, drawn: 4, reserve: 1, shortfall: 0 },
    ];
    await deps.db.updateTable('draws').set({ unit_summary: JSON.stringify(summary) }).where('wave_year', '=', 2024).execute();
    const after = await ciWidths();
    expect(after.SNV).toBe(before.SNV);
    // Four answers make a wide interval; 4 of 5 eligible narrow it a lot.
    expect(before.STP).toBeGreaterThan(80);
    expect(after.STP).toBeGreaterThan(0);
    expect(after.STP).toBeLessThan(90);
    const html = await (await app.request('/waves/2024/analysis', { headers: { cookie } })).text();
    expect(html).toContain('Năm 2024: không hiệu chỉnh quần thể hữu hạn cho 1 đơn vị có phiếu không thuộc danh sách mẫu đã chọn (SNV)');
  });
});
