import { formatNumber, formatPercent } from './format.js';

export type Cell = string | number | boolean | null | undefined;

/**
 * How a person-readable column shows numbers. Machine-readable exports pass no formats and
 * get unrounded numbers with '.' decimals.
 */
export type CellFormat = 'text' | 'integer' | 'number' | 'percent';

export interface CsvOptions {
  /** UTF-8 byte order mark, so that Excel opens Vietnamese text correctly. */
  bom?: boolean;
  formats?: readonly CellFormat[];
  delimiter?: string;
}

export function formatCell(value: Cell, format: CellFormat | undefined): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return format ? (value ? 'Có' : 'Không') : String(value);
  if (typeof value === 'string') return value;
  switch (format) {
    case 'integer':
      return formatNumber(value, 0);
    case 'number':
      return formatNumber(value, 2);
    case 'percent':
      return formatPercent(value);
    default:
      return String(value);
  }
}

// Excel and LibreOffice read a cell that starts with = + - @ as a formula, and may skip a leading
// tab or carriage return to find one (OWASP "CSV injection"): a name such as =HYPERLINK(…) or
// +cmd|' /C calc'!A0 in a frame file or a unit list would run when an analyst or a post office
// opens the file.
const FORMULA_START = /^[=+\-@\t\r]/;
// A sign followed only by digits, spaces, '.', ',', '(', ')', '-' and '%' is a number ("-1,92",
// "+3,5", "-") or a phone number ("+84 912 345 678") and must stay as written so analysts can
// compute and post offices can dial. Without letters, '|', '!', ':', quotes or '=' such a cell
// can name no function, cell reference or external program, so at worst Excel does arithmetic.
const SIGNED_NUMBER_OR_PHONE = /^[+-][0-9 .,()%-]*$/;

/**
 * A text cell that a spreadsheet shows as text: a leading apostrophe before anything Excel would
 * evaluate. Only for text that came from outside (names, addresses, unit names, labels); numbers
 * we format ourselves never go through it.
 */
export function spreadsheetSafeText(text: string): string {
  return FORMULA_START.test(text) && !SIGNED_NUMBER_OR_PHONE.test(text) ? `'${text}` : text;
}

/**
 * RFC 4180: CRLF line ends; fields with a delimiter, quote, CR or LF are quoted, quotes doubled.
 * Every text cell, headers included (some carry unit names and questionnaire labels), is made
 * spreadsheet-safe; numbers and booleans are written as they are formatted.
 */
export function toCsv(
  rows: readonly (readonly Cell[] | Readonly<Record<string, Cell>>)[],
  columns: readonly string[],
  options: CsvOptions = {},
): string {
  const delimiter = options.delimiter ?? ',';
  const quote = (s: string) =>
    s.includes('"') || s.includes(delimiter) || s.includes('\n') || s.includes('\r') ? `"${s.replaceAll('"', '""')}"` : s;
  const line = (cells: readonly Cell[]) =>
    cells.map((v, i) => quote(typeof v === 'string' ? spreadsheetSafeText(v) : formatCell(v, options.formats?.[i]))).join(delimiter);
  const body = rows.map((row) =>
    line(Array.isArray(row) ? (row as readonly Cell[]) : columns.map((c) => (row as Record<string, Cell>)[c])),
  );
  return (options.bom ? '\uFEFF' : '') + [line(columns), ...body].map((l) => `${l}\r\n`).join('');
}
