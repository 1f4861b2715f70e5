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

// Widths are in characters of the default font; Vietnamese letters are about that wide, capitals
// a little wider, hence the margin.
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;
/** A header may take this many characters on one line before it wraps. */
const HEADER_LINE = 20;

/**
 * Wide enough for the longest cell (each line of a multi-line one), capped; headers wrap (row 1),
 * so they ask only for a short line and their longest word.
 */
export function columnWidth(header: string, cells: readonly string[]): number {
  const longest = (texts: readonly string[]) => texts.reduce((most, t) => Math.max(most, t.length), 0);
  const content = longest(cells.flatMap((c) => c.split('\n')));
  const headerNeed = Math.max(Math.min(header.length, HEADER_LINE), longest(header.split(/\s+/)));
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, content + 2, headerNeed + 2));
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
      const width = columnWidth(header, t.rows.map((row) => formatCell(row[i], t.formats[i])));
      column.width = width;
      // A cell longer than the widest column wraps inside it instead of being cut at the next cell.
      if (width === MAX_WIDTH) column.alignment = { wrapText: true, vertical: 'top' };
    });
    sheet.getRow(1).alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
