import ExcelJS from 'exceljs';
import { formatCell, type CellFormat } from './csv.js';
import type { PersonTable } from './tables.js';

const NUMBER_FORMATS: Partial<Record<CellFormat, string>> = {
  integer: '0',
  number: '0.00',
  // The cell keeps the plain index (88.5649); only the display adds " %", like the CSV.
  percent: '0.00" %"',
};

/** Excel forbids these characters in sheet names and cuts names at 31 characters. */
function sheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31).trim() || 'Sheet';
  let candidate = base;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) candidate = `${base.slice(0, 27)} (${i})`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** One sheet per table; numbers stay numeric cells (unrounded), formatted to 2 decimals. */
export async function toXlsx(tables: readonly PersonTable[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const taken = new Set<string>();
  for (const t of tables) {
    const sheet = workbook.addWorksheet(sheetName(t.name, taken), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow(t.columns).font = { bold: true };
    for (const row of t.rows) {
      sheet.addRow(row.map((v, i) => (typeof v === 'number' || v === null || v === undefined ? v : formatCell(v, t.formats[i]))));
    }
    t.columns.forEach((header, i) => {
      const column = sheet.getColumn(i + 1);
      const format = NUMBER_FORMATS[t.formats[i]];
      if (format) column.numFmt = format;
      column.width = Math.min(50, Math.max(10, header.length + 2));
    });
    sheet.getRow(1).alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
