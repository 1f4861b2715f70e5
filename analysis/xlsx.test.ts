import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { responsesWithShare, settings, unit } from './fixtures/builders.js';
import { defaultQuestionnaire } from './questionnaire.js';
import { personTables } from './tables.js';
import { computeWaveResults } from './wave-results.js';
import { toXlsx } from './xlsx.js';

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
