/**
 * Last year's published unit indexes (SIPAS.md s.3, `previous import`): a CSV with
 * unit_code, unit_name, index and optionally respondents and unit_kind. Such tables are
 * usually retyped from a PDF report, so headers may be Vietnamese and numbers may be written
 * "88,56", "88.56" or "88,56 %". Every bad row is reported with its line number; the caller
 * decides whether to import the good rows or nothing.
 */
import Papa from 'papaparse';
import { fold } from '../sampling/text.js';
import { UNIT_KINDS, type PublishedRow, type UnitKind } from './types.js';

export interface PublishedParseResult {
  rows: PublishedRow[];
  errors: { line: number; message: string }[];
}

const HEADER_ALIASES: Record<'unitCode' | 'unitName' | 'index' | 'respondents' | 'unitKind', string[]> = {
  unitCode: ['unit_code', 'ma don vi', 'ma'],
  unitName: ['unit_name', 'ten don vi', 'don vi', 'ten'],
  index: ['index', 'chi so', 'chi so hai long', 'sipas'],
  respondents: ['respondents', 'so phieu', 'so phieu hop le'],
  unitKind: ['unit_kind', 'loai don vi'],
};

const MAX_CODE = 12;
const MAX_NAME = 200;

/** "88,56", "88.56", "88,56 %", "1.234,5" → number; null when it is not a number. */
export function parseDecimal(text: string): number | null {
  let s = text.replace(/%/g, '').replace(/\s/g, '');
  if (s === '') return null;
  if (s.includes(',') && s.includes('.')) s = s.replace(/\./g, '').replace(',', '.');
  else s = s.replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(s)) return null;
  return Number(s);
}

export function parsePublishedIndexes(csv: string): PublishedParseResult {
  const parsed = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: 'greedy' });
  const [header, ...body] = parsed.data;
  const errors: PublishedParseResult['errors'] = [];
  if (!header) return { rows: [], errors: [{ line: 1, message: 'tệp trống' }] };
  const folded = header.map(fold);
  const column = Object.fromEntries(
    Object.entries(HEADER_ALIASES).map(([key, aliases]) => [key, folded.findIndex((h) => aliases.includes(h))]),
  ) as Record<keyof typeof HEADER_ALIASES, number>;
  for (const key of ['unitCode', 'index'] as const) {
    if (column[key] < 0) errors.push({ line: 1, message: `thiếu cột ${HEADER_ALIASES[key][0]}` });
  }
  if (errors.length > 0) return { rows: [], errors };
  const rows: PublishedRow[] = [];
  const seen = new Set<string>();
  body.forEach((cells, i) => {
    const line = i + 2;
    // A row longer or shorter than the header has its values under the wrong columns; the
    // usual cause is an index typed as 88,56 without quotes, which would otherwise read as 88.
    if (cells.length !== header.length) {
      errors.push({ line, message: `có ${cells.length} ô nhưng dòng tiêu đề có ${header.length} cột (số thập phân có dấu phẩy cần đặt trong ngoặc kép, ví dụ "88,56")` });
      return;
    }
    const cell = (k: keyof typeof HEADER_ALIASES) => (column[k] >= 0 ? (cells[column[k]] ?? '').trim() : '');
    const unitCode = cell('unitCode');
    const index = parseDecimal(cell('index'));
    const respondentsText = cell('respondents');
    const respondents = respondentsText === '' ? null : parseDecimal(respondentsText);
    const kindText = cell('unitKind');
    const problems: string[] = [];
    if (!unitCode) problems.push('thiếu mã đơn vị');
    else if (unitCode.length > MAX_CODE) problems.push(`mã đơn vị dài ${unitCode.length} ký tự, tối đa ${MAX_CODE}`);
    else if (seen.has(unitCode)) problems.push(`mã đơn vị ${unitCode} bị trùng`);
    if (index === null || index < 0 || index > 100) problems.push(`chỉ số "${cell('index')}" không phải số từ 0 đến 100`);
    if (respondentsText !== '' && (respondents === null || !Number.isInteger(respondents) || respondents < 0)) {
      problems.push(`số phiếu "${respondentsText}" không hợp lệ`);
    }
    if (cell('unitName').length > MAX_NAME) problems.push(`tên đơn vị dài ${cell('unitName').length} ký tự, tối đa ${MAX_NAME}`);
    if (kindText && !UNIT_KINDS.includes(kindText as UnitKind)) problems.push(`loại đơn vị "${kindText}" không hợp lệ`);
    if (problems.length > 0) {
      errors.push({ line, message: problems.join('; ') });
      return;
    }
    seen.add(unitCode);
    rows.push({
      unitCode,
      unitName: cell('unitName'),
      index: index!,
      respondents,
      ...(kindText ? { unitKind: kindText as UnitKind } : {}),
    });
  });
  return { rows, errors };
}
