import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { responsesWithShare, settings, unit } from './fixtures/builders.js';
import { defaultQuestionnaire } from './questionnaire.js';
import { personTables } from './tables.js';
import { computeWaveResults } from './wave-results.js';
import { columnWidth, toXlsx } from './xlsx.js';

describe('XLSX text cells that look like formulas', () => {
  it('are stored as plain strings, so Excel shows them and evaluates nothing', async () => {
    const results = computeWaveResults({
      year: 2024,
      questionnaire: defaultQuestionnaire,
      units: [
        { ...unit('SNV'), name: '=1+1' },
        { ...unit('STP'), name: '+cmd|\' /C calc\'!A0' },
      ],
      responses: [...responsesWithShare('SNV', 3, 4), ...responsesWithShare('STP', 1, 4)],
      previous: null,
      settings: settings(),
    });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await toXlsx(personTables(results))) as unknown as Parameters<typeof workbook.xlsx.load>[0]);
    const sheet = workbook.getWorksheet('Chỉ số theo đơn vị')!;
    const rowOf = (code: string) => sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === code)!;

    for (const [code, name] of [['SNV', '=1+1'], ['STP', '+cmd|\' /C calc\'!A0']]) {
      const cell = rowOf(code).getCell(2);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.value).toBe(name);
      expect(cell.formula).toBeUndefined();
    }
    // The numbers beside them stay numeric cells.
    const index = rowOf('SNV').getCell(5);
    expect(index.type).toBe(ExcelJS.ValueType.Number);
    expect(index.value).toBe(75);
  });
});

describe('XLSX column widths', () => {
  const longName = 'Ban Quản lý các khu công nghiệp và khu kinh tế cửa khẩu tỉnh';
  const results = computeWaveResults({
    year: 2024,
    questionnaire: defaultQuestionnaire,
    units: [{ ...unit('BQLKKT'), name: longName }, { ...unit('STP'), name: 'Sở Tư pháp' }, { ...unit('LXU', 'district'), name: 'Thành phố Long Xuyên' }],
    responses: [...responsesWithShare('BQLKKT', 3, 4), ...responsesWithShare('STP', 9, 10), ...responsesWithShare('LXU', 20, 24)],
    previous: null,
    settings: settings({ minRespondents: 5 }),
  });

  async function workbook() {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await toXlsx(personTables(results))) as unknown as Parameters<typeof book.xlsx.load>[0]);
    return book;
  }

  it('fit the longest unit name, so names are read without widening columns by hand', async () => {
    const sheet = (await workbook()).getWorksheet('Chỉ số theo đơn vị')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    const nameColumn = sheet.getColumn(header.indexOf('Tên đơn vị') + 1);
    expect(nameColumn.width).toBeGreaterThanOrEqual(longName.length);
    expect(nameColumn.width).toBeLessThanOrEqual(longName.length + 4);
    // A number column stays narrow even under a long header, which wraps instead.
    const lower = sheet.getColumn(header.indexOf('Khoảng tin cậy 95 %: cận dưới') + 1);
    expect(lower.width).toBeLessThan('Khoảng tin cậy 95 %: cận dưới'.length);
    expect(lower.width).toBeGreaterThanOrEqual('100.00 %'.length);
    expect(sheet.getRow(1).getCell(1).alignment).toMatchObject({ wrapText: true });
  });

  it('cap very long cells and wrap them instead', async () => {
    const sheet = (await workbook()).getWorksheet('Chỉ số theo đơn vị')!;
    const notes = sheet.getColumn(sheet.columnCount);
    expect(notes.values.some((v) => typeof v === 'string' && v.length > 60)).toBe(true);
    expect(notes.width).toBe(60);
    const row = sheet.getRows(2, sheet.rowCount - 1)!.find((r) => r.getCell(1).value === 'BQLKKT')!;
    expect(row.getCell(sheet.columnCount).alignment).toMatchObject({ wrapText: true });
    // The tracking table's headers carry whole definitions: they wrap, and do not widen their columns.
    const tracking = (await workbook()).getWorksheet('Theo dõi phiếu')!;
    tracking.columns.forEach((column) => expect(column.width).toBeLessThanOrEqual(60));
  });

  it('measure each line of a multi-line cell and the longest word of a header', () => {
    expect(columnWidth('Tên', ['Trung tâm Phục vụ\nhành chính công tỉnh An Giang'])).toBe('hành chính công tỉnh An Giang'.length + 2);
    expect(columnWidth('Tỷ lệ', ['1'])).toBe(8);
    expect(columnWidth('Kế hoạch (lần bốc mẫu)', ['12'])).toBe(22);
    expect(columnWidth('Thiếu', ['x'.repeat(200)])).toBe(60);
  });
});
