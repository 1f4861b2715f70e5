import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { responsesWithShare, settings, unit } from './fixtures/builders.js';
import { toCsv } from './csv.js';
import { formatNumber, formatPercent } from './format.js';
import { defaultQuestionnaire } from './questionnaire.js';
import { channelTable, personTableCsv, personTables, UNIT_TABLE_COLUMNS, unitTableColumns, unitTableRows } from './tables.js';
import { computeWaveResults } from './wave-results.js';
import { toXlsx } from './xlsx.js';

const results = computeWaveResults({
  year: 2024,
  questionnaire: defaultQuestionnaire,
  units: [
    { ...unit('SLDTBXH'), name: 'Sở Lao động - Thương binh và Xã hội' },
    { ...unit('SVHTTDL'), name: 'Sở Văn hóa, Thể thao và Du lịch' },
    { ...unit('MOI', 'department', []), name: 'Trung tâm "Phục vụ" hành chính\ncông' },
    { ...unit('LXU', 'district'), name: 'Thành phố Long Xuyên' },
  ],
  responses: [
    ...responsesWithShare('SLDTBXH', 23, 25),
    ...responsesWithShare('SVHTTDL', 20, 24),
    ...responsesWithShare('MOI', 7, 8),
    ...responsesWithShare('LXU', 21, 24),
  ],
  previous: {
    source: 'published',
    year: 2023,
    rows: [
      { unitCode: 'SLDTBXH', unitName: '', index: 88.1234, respondents: 25 },
      { unitCode: 'SVHTTDL', unitName: '', index: 86.5, respondents: 25 },
      { unitCode: 'LXU', unitName: '', index: 90, respondents: null },
    ],
  },
  settings: settings({ minRespondents: 10 }),
});

describe('Vietnamese number display', () => {
  it('uses comma decimals, dot thousands and rounds only here', () => {
    expect(formatPercent(88.5649)).toBe('88,56 %');
    expect(formatNumber(28.3392, 2)).toBe('28,34');
    expect(formatNumber(-1.955, 2)).toBe('-1,96');
    expect(formatNumber(-0.001, 2)).toBe('0,00');
    expect(formatNumber(245580, 0)).toBe('245.580');
    expect(formatNumber(1234.5, 2)).toBe('1.234,50');
  });
});

describe('machine-readable unit table', () => {
  it('has exactly the SIPAS.md s.11 columns, unrounded', () => {
    expect(unitTableColumns(results)).toEqual([...UNIT_TABLE_COLUMNS]);
    const rows = unitTableRows(results);
    expect(Object.keys(rows[0])).toEqual([...UNIT_TABLE_COLUMNS]);
    const lao = rows.find((r) => r.unit_code === 'SLDTBXH')!;
    expect(lao).toMatchObject({ wave: 2024, unit_kind: 'department', respondents: 25, index: 92, band: 'high', prev_index: 88.1234 });
    expect(lao.delta).toBeCloseTo(3.8766, 10);
    expect(rows.find((r) => r.unit_code === 'MOI')!.delta).toBeNull();
  });

  it('writes CSV with a BOM, CRLF and dot decimals, and parses back identically', () => {
    const csv = toCsv(unitTableRows(results), UNIT_TABLE_COLUMNS, { bom: true });
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1, 60)).toMatch(/^wave,unit_code,unit_name,unit_kind,respondents,index,/);
    expect(csv).toContain('\r\n');
    const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const byCode = Object.fromEntries(parsed.data.map((r) => [r.unit_code, r]));
    expect(byCode.SVHTTDL.unit_name).toBe('Sở Văn hóa, Thể thao và Du lịch');
    expect(byCode.MOI.unit_name).toBe('Trung tâm "Phục vụ" hành chính\ncông');
    expect(Number(byCode.SVHTTDL.index)).toBe(results.units.find((u) => u.code === 'SVHTTDL')!.index);
    expect(byCode.SVHTTDL.significant).toMatch(/^(true|false)$/);
    expect(byCode.MOI.delta).toBe('');
  });
});

describe('person-readable tables', () => {
  const tables = personTables(results);

  it('are the five SIPAS tables with Vietnamese names and headers', () => {
    expect(tables.map((t) => t.name)).toEqual([
      'Chỉ số theo đơn vị',
      'Theo nhóm đơn vị',
      'Theo tiêu chí',
      'Theo dõi phiếu',
      'Thông tin người trả lời',
    ]);
    for (const t of tables) {
      expect(t.formats).toHaveLength(t.columns.length);
      for (const row of t.rows) expect(row).toHaveLength(t.columns.length);
    }
    expect(tables[0].columns).toContain('Chỉ số năm 2023');
    expect(tables[0].columns).toContain('A. Tiếp cận dịch vụ');
  });

  it('show comma decimals, "%" cells and "mới" for new units in CSV, and survive a round trip', () => {
    const t = tables[0];
    const csv = personTableCsv(t);
    expect(csv.startsWith('\uFEFFMã đơn vị,Tên đơn vị,')).toBe(true);
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true });
    const header = parsed.data[0];
    const rows = parsed.data.slice(1);
    const col = (name: string) => header.indexOf(name);
    const lao = rows.find((r) => r[0] === 'SLDTBXH')!;
    expect(lao[col('Tên đơn vị')]).toBe('Sở Lao động - Thương binh và Xã hội');
    expect(lao[col('Chỉ số hài lòng')]).toBe('92,00 %');
    expect(lao[col('Tăng/giảm (điểm %)')]).toBe('3,88');
    expect(lao[col('Mức')]).toBe('Từ 90 % trở lên');
    const moi = rows.find((r) => r[0] === 'MOI')!;
    expect(moi[col('Tên đơn vị')]).toBe('Trung tâm "Phục vụ" hành chính\ncông');
    expect(moi[col('Tăng/giảm (điểm %)')]).toBe('mới');
    expect(moi[col('Xếp hạng trong nhóm')]).toBe('');
    expect(moi[col('Ghi chú')]).toBe('Dưới 10 phiếu hợp lệ, không xếp hạng; Khoảng tin cậy rộng hơn một mức: mức và thứ hạng chưa đủ tin cậy');
  });

  it('include the index by response channel, only for channels used', () => {
    const t = channelTable(results);
    expect(t.columns).toEqual(['Mã đơn vị', 'Tên đơn vị', 'Phiếu giấy: số phiếu', 'Phiếu giấy: chỉ số']);
    expect(t.rows[1]).toEqual(['SLDTBXH', 'Sở Lao động - Thương binh và Xã hội', 25, 92]);
  });

  it('total the tracking table', () => {
    const last = tables[3].rows.at(-1)!;
    expect(last[1]).toBe('Tổng cộng');
    expect(last[tables[3].columns.indexOf('Phiếu tính chỉ số (trong và ngoài danh sách)')]).toBe(81);
  });

  it('read back from XLSX with the same numbers, one sheet per table', async () => {
    const buffer = await toXlsx(tables);
    const workbook = new ExcelJS.Workbook();
    // exceljs declares its own Buffer type, which Node's Buffer satisfies at run time.
    await workbook.xlsx.load(buffer as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(tables.map((t) => t.name));
    tables.forEach((t, k) => {
      const sheet = workbook.worksheets[k];
      const header = sheet.getRow(1);
      expect(header.font?.bold).toBe(true);
      t.columns.forEach((c, i) => expect(header.getCell(i + 1).value).toBe(c));
      t.rows.forEach((row, r) => {
        row.forEach((v, i) => {
          const cell = sheet.getRow(r + 2).getCell(i + 1);
          if (typeof v === 'number') {
            expect(cell.value).toBe(v);
            expect(cell.numFmt).toMatch(/^0(\.00)?/);
          } else if (v === null) expect(cell.value).toBeNull();
          else if (typeof v === 'boolean') expect(cell.value).toBe(v ? 'Có' : 'Không');
          else expect(cell.value).toBe(v);
        });
      });
    });
    const units = workbook.worksheets[0];
    expect(units.getRow(2).getCell(2).value).toBe('Trung tâm "Phục vụ" hành chính\ncông');
    expect(units.getRow(3).getCell(2).value).toBe('Sở Lao động - Thương binh và Xã hội');
  });
});
