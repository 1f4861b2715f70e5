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

export interface ParsedCsv {
  headers: string[];
  /** Each data row with its line number as Excel shows it (the header is row 1). */
  rows: { row: number; values: Record<string, string> }[];
}

/** Parses a header-first CSV; headers are lower-cased and trimmed, values trimmed. */
export function parseCsv(bytes: Uint8Array): ParsedCsv {
  const text = decodeText(bytes);
  const parsed = Papa.parse<Record<string, string>>(text, {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
    transform: (v) => v.trim(),
  });
  const headers = (parsed.meta.fields ?? []).filter((h) => h !== '');
  if (headers.length === 0) throw new UserError('Tệp trống hoặc không có dòng tiêu đề');
  return { headers, rows: parsed.data.map((values, i) => ({ row: i + 2, values })) };
}

export interface RowProblem {
  row: number;
  field?: string;
  message: string;
}

export function formatProblems(problems: RowProblem[]): string {
  return problems.map((p) => `dòng ${p.row}${p.field ? `, cột ${p.field}` : ''}: ${p.message}`).join('\n');
}
