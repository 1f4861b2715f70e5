import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { responsesWithShare } from '../analysis/fixtures/builders';
import { createApp } from '../server/app';
import { runCli } from '../server/cli/run-cli';
import { insertResponse } from '../server/repositories/responses';
import { createWave } from '../server/services/waves/waves';
import { createTestDeps, signIn, signInSession } from './support/test-deps';
import { commitTwoDaysAgo } from './support/committed-draw';

/**
 * Text from files we do not control (the one-stop frame, an administrator's unit list) reaches
 * CSV files that analysts and post offices open in Excel: no such cell may start a formula.
 */

type Deps = Awaited<ReturnType<typeof createTestDeps>>;

const HYPERLINK = '=HYPERLINK("http://x","y")';
const DDE = "+cmd|' /C calc'!A0";

/** Response.text() drops a leading BOM; the tests must see the bytes Excel sees. */
const withBom = (bytes: ArrayBuffer) => new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);

function parseExcelCsv(text: string): string[][] {
  expect(text.charCodeAt(0)).toBe(0xfeff);
  const parsed = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

/** What Excel would evaluate: a first character of = + - @ tab CR, unless a plain signed number or phone. */
function formulaCells(rows: string[][]): string[] {
  return rows.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell) && !/^[+-][0-9 .,()%-]*$/.test(cell));
}

let deps: Deps;
let app: ReturnType<typeof createApp>;
let env: NodeJS.ProcessEnv;
const cli = (...argv: string[]) => runCli(argv, env, deps.dir);

beforeEach(async () => {
  deps = await createTestDeps();
  app = createApp(deps);
  env = { ...deps.databaseEnv, USER: 'tester' };
});
afterEach(() => deps.cleanup());

async function importUnitsAsAdmin(year: number, csv: string): Promise<void> {
  const admin = await signInSession(deps, 'admin', `admin-${year}`);
  const form = new FormData();
  form.set('file', new File([csv], 'don-vi.csv', { type: 'text/csv' }));
  const response = await app.request(`/waves/${year}/units`, { method: 'POST', body: form, headers: { ...admin } });
  expect(response.status).toBe(200);
  expect(await response.text()).toContain('Đã nhập');
}

describe('the post-office manifest and the drawn list', () => {
  it('escape names, addresses and dossier codes from the frame, and keep phone numbers and ranks as they are', async () => {
    await createWave(deps.db, { year: 2023, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'test' });
    await importUnitsAsAdmin(2023, 'unit_code,unit_name,unit_kind\nSNV,Sở Nội vụ,department\n');
    const people = [
      { dossier: 'SNV-2023-0000001', name: HYPERLINK, address: DDE, phone: '+84 912 345 678' },
      { dossier: 'SNV-2023-0000002', name: '-Lê Thị B', address: 'Số 5, đường Lê Lợi, TP Long Xuyên', phone: '+84-912-345-678' },
      { dossier: 'SNV-2023-0000003', name: '@Trần Văn C', address: '=Số 7, đường Trần Hưng Đạo, TP Long Xuyên', phone: '(028) 3822 1234' },
      { dossier: '@SUM(1+1)*cmd|\' /C calc\'!A0', name: 'Nguyễn Văn A', address: 'Số 9, đường Hai Bà Trưng, TP Long Xuyên', phone: '0912345678' },
    ];
    const frame = path.join(deps.dir, 'khung-mau.csv');
    fs.writeFileSync(
      frame,
      Papa.unparse(
        [
          ['Mã hồ sơ', 'Mã đơn vị', 'Tên thủ tục', 'Họ và tên', 'Số điện thoại', 'Địa chỉ', 'Ngày trả kết quả'],
          ...people.map((p) => [p.dossier, 'SNV', 'Chứng thực bản sao', p.name, p.phone, p.address, '01/03/2023']),
        ],
        { newline: '\r\n' },
      ),
    );
    expect((await cli('frame', 'import', '--wave', '2023', frame, '--strict')).code).toBe(0);
    await commitTwoDaysAgo(deps.db, 2023, { allocation: { kind: 'fixed', perUnit: 4 }, reservePercent: 20 });
    expect((await cli('draw', '--wave', '2023', '--seed', '123456')).code).toBe(0);
    // Dossier codes are exported only before publish (README, "Who sees dossier codes").
    const out = path.join(deps.dir, 'mau.csv');
    expect((await cli('draw', 'export', '--wave', '2023', '--out', out)).code).toBe(0);
    expect((await cli('draw', 'publish', '--wave', '2023')).code).toBe(0);

    const admin = await signIn(deps, 'admin');
    const response = await app.request('/waves/2023/mailing/manifest.csv', { headers: { cookie: admin } });
    expect(response.status).toBe(200);
    const [header, ...rows] = parseExcelCsv(withBom(await response.arrayBuffer()));
    expect(header).toEqual(['questionnaire_code', 'unit_code', 'role', 'applicant_name', 'address', 'phone', 'qr_url']);
    expect(rows).toHaveLength(4);
    const contactRows = rows.map((r) => r.slice(3, 6));
    expect(contactRows).toEqual(
      expect.arrayContaining([
        [`'${HYPERLINK}`, `'${DDE}`, '+84 912 345 678'],
        ["'-Lê Thị B", 'Số 5, đường Lê Lợi, TP Long Xuyên', '+84-912-345-678'],
        ["'@Trần Văn C", "'=Số 7, đường Trần Hưng Đạo, TP Long Xuyên", '(028) 3822 1234'],
        ['Nguyễn Văn A', 'Số 9, đường Hai Bà Trưng, TP Long Xuyên', '0912345678'],
      ]),
    );
    expect(formulaCells(rows)).toEqual([]);

    const [drawHeader, ...drawn] = parseExcelCsv(fs.readFileSync(out, 'utf8'));
    expect(drawHeader).toEqual(['questionnaire_code', 'unit_code', 'dossier_code', 'role', 'rank']);
    expect(drawn.map((r) => r[2]).sort()).toEqual(["'@SUM(1+1)*cmd|' /C calc'!A0", 'SNV-2023-0000001', 'SNV-2023-0000002', 'SNV-2023-0000003']);
    expect(drawn.map((r) => r[4]).sort()).toEqual(['1', '2', '3', '4']);
    expect(formulaCells(drawn)).toEqual([]);
  });
});

describe('the analysis downloads', () => {
  it("escape a unit name from the administrator's list while the numbers in its row stay numbers", async () => {
    await createWave(deps.db, { year: 2024, actor: 'test' });
    await importUnitsAsAdmin(2024, 'unit_code,unit_name,unit_kind\nSNV,=SUM(A1),department\nSTP,-Sở Tư pháp,department\n');
    const published = path.join(deps.dir, 'chi-so-2023.csv');
    fs.writeFileSync(published, 'unit_code,unit_name,index\nSNV,Sở Nội vụ,90\nSTP,Sở Tư pháp,40\n');
    expect((await cli('previous', 'import', '--wave', '2024', published)).code).toBe(0);
    for (const [unitCode, satisfied] of [['SNV', 2], ['STP', 3]] as const) {
      for (const [i, r] of responsesWithShare(unitCode, satisfied, 4).entries()) {
        // An answer code the questionnaire does not know is listed in the profile table as written.
        const profile: Record<string, string> = unitCode === 'SNV' && i === 0 ? { gender: '@Khác' } : {};
        await insertResponse(deps.db, { waveYear: 2024, questionnaireId: null, unitCode, channel: 'paper', state: 'counted', answers: r.answers, profile, comment: null, enteredBy: 'test' });
      }
    }
    const analyst = await signIn(deps, 'analyst');
    const get = async (file: string) => {
      const response = await app.request(`/waves/2024/analysis/${file}`, { headers: { cookie: analyst } });
      expect(response.status, file).toBe(200);
      return response.arrayBuffer();
    };

    const unitsText = withBom(await get('units.csv'));
    // Index 50 against 90 last year: the negative delta is a number, written as such.
    expect(unitsText).toContain("\r\n2024,SNV,'=SUM(A1),department,4,50,");
    const [unitHeader, ...unitRows] = parseExcelCsv(unitsText);
    const unit = (code: string) => Object.fromEntries(unitHeader.map((h, i) => [h, unitRows.find((r) => r[1] === code)![i]]));
    expect(unit('SNV')).toMatchObject({ unit_name: "'=SUM(A1)", respondents: '4', index: '50', prev_index: '90', delta: '-40' });
    expect(unit('STP')).toMatchObject({ unit_name: "'-Sở Tư pháp", index: '75', prev_index: '40', delta: '35' });
    expect(formulaCells(unitRows)).toEqual([]);

    // The person-readable tables show numbers with comma decimals; those are ours and untouched.
    const [, ...tracking] = parseExcelCsv(withBom(await get('tracking.csv')));
    expect(tracking.find((r) => r[0] === 'SNV')!.slice(1, 2)).toEqual(["'=SUM(A1)"]);
    expect(formulaCells(tracking)).toEqual([]);
    const [criteriaHeader, ...criteria] = parseExcelCsv(withBom(await get('criteria.csv')));
    expect(criteriaHeader).toContain('SNV – =SUM(A1)');
    expect(criteria[0].at(-2)).toBe('50,00 %');
    expect(formulaCells([criteriaHeader, ...criteria])).toEqual([]);

    const [, ...profile] = parseExcelCsv(withBom(await get('profile.csv')));
    expect(profile.find((r) => r[1] === "'@Khác")!.slice(2, 4)).toEqual(['1', '12,50 %']);
    expect(formulaCells(profile)).toEqual([]);

    // The workbook stores the name as text, which Excel never evaluates.
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await get('tables.xlsx'));
    const sheet = workbook.getWorksheet('Chỉ số theo đơn vị')!;
    const name = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === 'SNV')!.getCell(2);
    expect(name.type).toBe(ExcelJS.ValueType.String);
    expect(name.value).toBe('=SUM(A1)');
  });
});
