import type { Executor, UnitKind } from '../../db/schema';
import { UserError, type FieldProblem } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { listUnits, updateUnit, type Unit } from '../../repositories/units';
import { findWave } from '../../repositories/waves';
import { KINDS, MAX_NAME, readPredecessors } from './units-csv';
import { waveFor } from './wave-policy';

/** The unit's fields as typed on its page (`/waves/:year/units/:code`). */
export interface UnitEditFields {
  name: string;
  kind: string;
  /** Last year's codes separated by commas; empty = same code, `-` = new unit. */
  predecessors: string;
}

/**
 * Changes one unit's name, kind or lineage while the wave is in setup (the draw's strata are
 * fixed once people are drawn). Lineage names last year's units: when the wave of last year is
 * in the system, each code must be one of its units, since a mistyped code would silently leave
 * the unit without last year's index.
 */
export async function editUnit(trx: Executor, year: number, code: string, fields: UnitEditFields, actor: string | null): Promise<Unit> {
  await waveFor(trx, year, 'edit-units');
  const unit = (await listUnits(trx, year)).find((u) => u.code === code);
  if (!unit) throw new UserError(`Đợt ${year} không có đơn vị mã ${code.slice(0, 20)}`, 404);
  const problems: FieldProblem[] = [];
  const name = fields.name.normalize('NFC').trim();
  if (!name) problems.push({ field: 'name', message: 'Cần tên đơn vị' });
  else if (name.length > MAX_NAME) problems.push({ field: 'name', message: `Tên dài ${name.length} ký tự, tối đa ${MAX_NAME}` });
  const kind = fields.kind as UnitKind;
  if (!KINDS.includes(kind)) problems.push({ field: 'kind', message: 'Hãy chọn loại đơn vị' });
  const { predecessors, problem } = readPredecessors(fields.predecessors);
  if (problem) problems.push({ field: 'predecessors', message: `Đơn vị năm trước: ${problem}` });
  else if (predecessors && predecessors.length > 0 && (await findWave(trx, year - 1))) {
    const known = new Set((await listUnits(trx, year - 1)).map((u) => u.code));
    const unknown = predecessors.filter((p) => !known.has(p));
    if (unknown.length > 0) problems.push({ field: 'predecessors', message: `Đợt ${year - 1} không có đơn vị mã ${unknown.join(', ')}` });
  }
  if (problems.length > 0) throw new UserError(`Chưa lưu đơn vị ${code}: ${problems.map((p) => p.message).join('; ')}`, 400, [], problems);
  const edited: Unit = { code, name, kind, predecessors };
  await updateUnit(trx, year, edited);
  await recordAudit(trx, { actor, action: 'unit.edit', waveYear: year, detail: { unit: code, kind, predecessors } });
  return edited;
}
