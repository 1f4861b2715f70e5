import Papa from 'papaparse';
import { UserError } from '../errors';

/**
 * Small administrative CSV files (unit lists, published indexes, response batches) arrive from
 * Excel as UTF-8 with or without BOM, or UTF-16 ("Unicode text"). They are small enough to
 * decode whole; the sampling frame has its own streaming reader.
 */
export function decodeText(bytes: Uint8Array): string {
  let text: string;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) text = new TextDecoder('utf-16le').decode(bytes.subarray(2));
  else if (bytes[0] === 0xfe && bytes[1] === 0xff) text = new TextDecoder('utf-16be').decode(bytes.subarray(2));
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw new UserError('Tệp không phải văn bản UTF-8 hoặc UTF-16: hãy lưu lại từ Excel dưới dạng "CSV UTF-8"');
    }
  }
  if (text.includes('\u0000')) throw new UserError('Tệp chứa dữ liệu nhị phân, không phải tệp CSV');
  return text.replace(/^\uFEFF/, '').normalize('NFC');
}

/** Columns a header may have: the widest file (responses) has about 30. */
export const MAX_CSV_COLUMNS = 200;
/** Characters in one cell: the longest legitimate one is a 2,000-character comment. */
export const MAX_CSV_CELL = 4000;

export interface ParsedCsv {
  headers: string[];
  /** Each data row with its line number as Excel shows it (the header is row 1). */
  rows: { row: number; values: Record<string, string> }[];
  /**
   * Rows that cannot be read as the header says (more or fewer cells, which would shift every
   * value one column over) and cells too long to be data; those rows are left out of `rows`,
   * and the caller must refuse the file.
   */
  problems: RowProblem[];
}

const isBlankRow = (cells: string[]) => cells.every((cell) => cell.trim() === '');

/** Parses a header-first CSV; headers are lower-cased and trimmed, values trimmed. */
export function parseCsv(bytes: Uint8Array): ParsedCsv {
  const text = decodeText(bytes);
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  const records = parsed.data;
  const headerIndex = records.findIndex((cells) => !isBlankRow(cells));
  if (headerIndex === -1) throw new UserError('Tệp trống hoặc không có dòng tiêu đề');
  const header = records[headerIndex].map((h) => h.trim().toLowerCase());
  if (header.length > MAX_CSV_COLUMNS) throw new UserError(`Dòng tiêu đề có ${header.length} cột, tối đa ${MAX_CSV_COLUMNS}: đây không phải tệp theo mẫu`);
  const headers = header.filter((h) => h !== '');
  if (headers.length === 0) throw new UserError('Tệp trống hoặc không có dòng tiêu đề');
  const rows: ParsedCsv['rows'] = [];
  const problems: RowProblem[] = [];
  for (let i = headerIndex + 1; i < records.length; i++) {
    const cells = records[i];
    const row = i + 1;
    if (isBlankRow(cells)) continue;
    if (cells.length !== header.length) {
      problems.push({ row, message: `có ${cells.length} ô nhưng dòng tiêu đề có ${header.length} cột (thừa hoặc thiếu dấu phân cách, hoặc ô có dấu phẩy chưa đặt trong ngoặc kép)` });
      continue;
    }
    const long = cells.findIndex((cell) => cell.length > MAX_CSV_CELL);
    if (long !== -1) {
      problems.push({ row, field: header[long], message: `ô dài ${cells[long].length} ký tự, tối đa ${MAX_CSV_CELL}` });
      continue;
    }
    const values: Record<string, string> = {};
    header.forEach((h, c) => {
      if (h !== '') values[h] = cells[c].trim();
    });
    rows.push({ row, values });
  }
  return { headers, rows, problems };
}

export interface RowProblem {
  row: number;
  field?: string;
  message: string;
}

export function formatProblems(problems: RowProblem[]): string {
  return problems.map((p) => `dòng ${p.row}${p.field ? `, cột ${p.field}` : ''}: ${p.message}`).join('\n');
}
