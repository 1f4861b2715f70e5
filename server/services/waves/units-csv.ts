import type { UnitKind } from '../../db/schema';
import type { Unit } from '../../repositories/units';
import { UserError } from '../../errors';
import { parseCsv, type RowProblem } from '../../forms/csv-text';

export const KINDS: UnitKind[] = ['department', 'district', 'commune'];
const REQUIRED = ['unit_code', 'unit_name', 'unit_kind'] as const;
const CODE_PATTERN = /^[A-Z0-9]{1,12}$/;
/**
 * Last year's codes may carry a hyphen: after a merger of provinces the other province's units
 * are told apart by a prefix (`KG-SNV`). This wave's own codes may not, since they are printed
 * inside questionnaire codes, whose hyphens are optional when typed.
 */
const PREDECESSOR_PATTERN = /^(?=.{1,16}$)[A-Z0-9]+(?:-[A-Z0-9]+)*$/;
export const MAX_NAME = 200;
/** A unit merged from more than this many of last year's is a mistake in the file, not a merger. */
const MAX_PREDECESSORS = 20;

/**
 * Last year's codes as typed in a file's cell or on the unit's page: separated by `;` (or
 * commas, spaces); empty = the unit of the same code, `-` = a new unit.
 */
export function readPredecessors(raw: string): { predecessors: string[] | null; problem?: string } {
  const text = raw.trim();
  const predecessors = text === '' ? null : text === '-' ? [] : text.split(/[\s,;]+/).map((p) => p.toUpperCase()).filter(Boolean);
  const bad = predecessors?.find((p) => !PREDECESSOR_PATTERN.test(p));
  if (bad !== undefined) {
    return { predecessors, problem: `mã năm trước "${bad.slice(0, 20)}" chỉ được gồm chữ cái không dấu, chữ số và dấu gạch ngang ở giữa (tối đa 16 ký tự)` };
  }
  if (predecessors && predecessors.length > MAX_PREDECESSORS) return { predecessors, problem: `${predecessors.length} mã năm trước, tối đa ${MAX_PREDECESSORS}` };
  return { predecessors };
}

export type UnitsCsvResult = { ok: true; units: Unit[] } | { ok: false; problems: RowProblem[] };

/**
 * Reads `unit_code,unit_name,unit_kind[,predecessors]`. Predecessors are last year's codes
 * separated by `;`; an empty cell means "same code last year", and `-` declares a new unit.
 * Every problem is reported at once so the administrator fixes the file in one go.
 */
export function parseUnitsCsv(bytes: Uint8Array): UnitsCsvResult {
  let parsed;
  try {
    parsed = parseCsv(bytes);
  } catch (error) {
    if (error instanceof UserError) return { ok: false, problems: [{ row: 1, message: error.message }] };
    throw error;
  }
  const extra = parsed.headers.filter((h) => !(REQUIRED as readonly string[]).includes(h) && h !== 'predecessors');
  if (extra.length > 0) {
    return { ok: false, problems: [{ row: 1, message: `cột không có trong mẫu: ${extra.slice(0, 5).map((h) => h.slice(0, 40)).join(', ')} (chỉ nhận unit_code,unit_name,unit_kind[,predecessors])` }] };
  }
  const missing = REQUIRED.filter((c) => !parsed.headers.includes(c));
  if (missing.length > 0) {
    return { ok: false, problems: [{ row: 1, message: `thiếu cột ${missing.join(', ')} (cần: unit_code,unit_name,unit_kind[,predecessors])` }] };
  }
  const problems: RowProblem[] = [...parsed.problems];
  const units: Unit[] = [];
  const firstRowOfCode = new Map<string, number>();
  for (const { row, values } of parsed.rows) {
    const code = (values.unit_code ?? '').toUpperCase();
    const name = values.unit_name ?? '';
    const kind = (values.unit_kind ?? '').toLowerCase();
    if (!code) problems.push({ row, field: 'unit_code', message: 'thiếu mã đơn vị' });
    else if (!CODE_PATTERN.test(code)) problems.push({ row, field: 'unit_code', message: `mã "${code}" chỉ được gồm chữ cái không dấu và chữ số (tối đa 12 ký tự)` });
    else if (firstRowOfCode.has(code)) problems.push({ row, field: 'unit_code', message: `mã "${code}" trùng với dòng ${firstRowOfCode.get(code)}` });
    else firstRowOfCode.set(code, row);
    if (!name) problems.push({ row, field: 'unit_name', message: 'thiếu tên đơn vị' });
    else if (name.length > MAX_NAME) problems.push({ row, field: 'unit_name', message: `tên dài ${name.length} ký tự, tối đa ${MAX_NAME}` });
    if (!KINDS.includes(kind as UnitKind)) {
      problems.push({ row, field: 'unit_kind', message: `loại "${values.unit_kind ?? ''}" không hợp lệ (department, district hoặc commune)` });
    }
    const { predecessors, problem } = readPredecessors(values.predecessors ?? '');
    if (problem) problems.push({ row, field: 'predecessors', message: problem });
    units.push({ code, name, kind: kind as UnitKind, predecessors });
  }
  if (parsed.rows.length === 0 && parsed.problems.length === 0) problems.push({ row: 2, message: 'tệp không có đơn vị nào' });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, units };
}
