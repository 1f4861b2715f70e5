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

/** RFC 4180: CRLF line ends; fields with a delimiter, quote, CR or LF are quoted, quotes doubled. */
export function toCsv(
  rows: readonly (readonly Cell[] | Readonly<Record<string, Cell>>)[],
  columns: readonly string[],
  options: CsvOptions = {},
): string {
  const delimiter = options.delimiter ?? ',';
  const quote = (s: string) =>
    s.includes('"') || s.includes(delimiter) || s.includes('\n') || s.includes('\r') ? `"${s.replaceAll('"', '""')}"` : s;
  const line = (cells: readonly Cell[]) =>
    cells.map((v, i) => quote(formatCell(v, options.formats?.[i]))).join(delimiter);
  const body = rows.map((row) =>
    line(Array.isArray(row) ? (row as readonly Cell[]) : columns.map((c) => (row as Record<string, Cell>)[c])),
  );
  return (options.bom ? '\uFEFF' : '') + [line(columns), ...body].map((l) => `${l}\r\n`).join('');
}
