import { fold, type ImportReport, type Rejection } from '../../../sampling';

/** The frame import report as it is stored and shown: rejected rows in words, personal data left out. */

export function rejectionLines(report: ImportReport): string[] {
  return report.rejections.map((r) => `dòng ${r.row}${r.field ? `, cột ${r.field}` : ''}: ${r.reason}${r.value ? ` (“${r.value}”)` : ''}`);
}

/*
 * A rejected row's value or an unknown unit is shown to help fix the file, but a row whose
 * columns slipped (a missing separator) puts a name, address or phone in the unit or date
 * column. The report is stored and shown to supervisors, so a value is kept only when it looks
 * like what the column should hold: a code, a date, or an agency's name.
 */

const AGENCY_PREFIXES = [
  'so ', 'ban ', 'ubnd', 'uy ban', 'huyen ', 'thi xa ', 'thanh pho ', 'tp ', 'tp.', 'tx ', 'tx.', 'chi cuc', 'cuc ',
  'trung tam', 'van phong', 'xa ', 'phuong ', 'thi tran ', 'bo ', 'cong an',
];
export const HIDDEN_VALUE = '(giá trị đã ẩn vì có thể là dữ liệu cá nhân)';

function looksLikeCode(value: string): boolean {
  return /^[\p{L}\p{N}._/-]{1,40}$/u.test(value) && !/\d{9,}/.test(value);
}

function looksLikeAgency(value: string): boolean {
  const folded = fold(value);
  return value.length <= 100 && !/\d/.test(folded) && AGENCY_PREFIXES.some((p) => folded.startsWith(p));
}

function looksLikeDate(value: string): boolean {
  return /^[0-9/.\-: TZ]{1,25}$/.test(value) && !/\d{9,}/.test(value);
}

function safeValue(field: string | undefined, value: string): boolean {
  if (field === 'Mã hồ sơ') return looksLikeCode(value);
  if (field === 'Ngày trả kết quả') return looksLikeDate(value);
  if (field === 'Mã đơn vị') return looksLikeCode(value) || looksLikeAgency(value);
  return false;
}

export function withoutPersonalData(report: ImportReport): ImportReport {
  const rejections: Rejection[] = report.rejections.map((r) => {
    if (r.value === undefined || safeValue(r.field, r.value)) return r;
    const { value: _hidden, ...rest } = r;
    return rest;
  });
  const unknownUnits: ImportReport['unknownUnits'] = [];
  let hiddenRows = 0;
  for (const u of report.unknownUnits) {
    if (looksLikeCode(u.value) || looksLikeAgency(u.value)) unknownUnits.push(u);
    else hiddenRows += u.rows;
  }
  if (hiddenRows > 0) unknownUnits.push({ value: HIDDEN_VALUE, rows: hiddenRows });
  return { ...report, rejections, unknownUnits };
}
