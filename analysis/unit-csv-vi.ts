/**
 * The unit table as a CSV a Vietnamese civil servant opens in Excel by double-clicking: Vietnamese
 * headers, numbers rounded to 2 decimals as in the report, with comma decimals, in cells Excel
 * reads as numbers (no " %" inside the cell: the unit is in the header).
 */
import { toCsv, type Cell, type CellFormat } from './csv.js';
import { formatLimit, formatNumber } from './format.js';
import { bandLabel, KIND_LABELS, NEW_UNIT_DELTA, UNTESTABLE, unitRemarks } from './tables.js';
import type { UnitResult, WaveResults } from './types.js';

/**
 * Excel opens a .csv with the list separator of Windows' regional format. "88,56" is a number only
 * where the decimal symbol is a comma, and that format (Vietnamese, like every comma-decimal one)
 * separates lists with ";"; a "," file would land in one column there. The file therefore uses ";"
 * and no "sep=;" first line: with that line some Excel versions ignore the BOM and garble the
 * accents. On a computer set to English (US) formats, use units.csv (dot decimals, ",").
 */
export const VIETNAMESE_CSV_DELIMITER = ';';

interface Column {
  header: string;
  format: CellFormat;
  value: (u: UnitResult) => Cell;
}

const interval = (low: number | null, high: number | null) =>
  low === null || high === null ? null : `từ ${formatNumber(low)} đến ${formatNumber(high)}`;

/** Headers and cells (raw numbers with their formats) of the Vietnamese unit table. */
export function vietnameseUnitColumns(results: WaveResults): Column[] {
  const { settings, previous } = results;
  const confidence = `${formatLimit(settings.confidence * 100)} %`;
  return [
    { header: 'Mã đơn vị', format: 'text', value: (u) => u.code },
    { header: 'Tên đơn vị', format: 'text', value: (u) => u.name },
    { header: 'Nhóm đơn vị', format: 'text', value: (u) => KIND_LABELS[u.kind].group },
    { header: 'Số phiếu hợp lệ', format: 'integer', value: (u) => u.respondents },
    { header: 'Chỉ số SIPAS (%)', format: 'number', value: (u) => u.index },
    { header: `Khoảng tin cậy ${confidence}`, format: 'text', value: (u) => interval(u.ciLow, u.ciHigh) },
    // Without a previous year there is nothing to compare: no empty columns to puzzle over.
    ...(previous
      ? ([
          { header: `Chỉ số năm ${previous.year} (%)`, format: 'number', value: (u) => u.prevIndex },
          { header: 'Thay đổi so với năm trước (điểm %)', format: 'number', value: (u) => (u.isNew ? NEW_UNIT_DELTA : u.delta) },
          { header: `Khoảng tin cậy ${confidence} của thay đổi`, format: 'text', value: (u) => interval(u.deltaLow, u.deltaHigh) },
          {
            header: 'Thay đổi có ý nghĩa thống kê',
            format: 'text',
            value: (u) => (u.deltaTest === 'untestable' ? UNTESTABLE : u.significant),
          },
        ] satisfies Column[])
      : []),
    { header: 'Mức', format: 'text', value: (u) => (u.band ? bandLabel(u.band, results) : null) },
    { header: 'Xếp hạng trong nhóm', format: 'integer', value: (u) => u.rank },
    { header: `Điểm CCHC (/${formatLimit(settings.parMaxPoints)})`, format: 'number', value: (u) => u.parPoints },
    ...results.elements.map(
      (e): Column => ({ header: `${e.code}. ${e.label} (%)`, format: 'number', value: (u) => u.elements[e.code] ?? null }),
    ),
    { header: 'Ghi chú', format: 'text', value: (u) => unitRemarks(u, settings) },
  ];
}

/** UTF-8 with BOM, ";"-separated, CRLF; text cells made spreadsheet-safe by toCsv. */
export function vietnameseUnitCsv(results: WaveResults): string {
  const columns = vietnameseUnitColumns(results);
  return toCsv(
    results.units.map((u) => columns.map((c) => c.value(u))),
    columns.map((c) => c.header),
    { bom: true, delimiter: VIETNAMESE_CSV_DELIMITER, formats: columns.map((c) => c.format) },
  );
}
