/**
 * Last year's published unit indexes, imported for a wave whose previous year has no raw
 * answers in the system (SIPAS.md s.3): the deltas are taken against them.
 */
import { parsePublishedIndexes } from '../../../analysis/published';
import type { PublishedRow } from '../../../analysis/types';
import type { Executor } from '../../db/schema';
import { UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { countResponses } from '../../repositories/analysis-sources';
import { replacePreviousIndexes } from '../../repositories/previous-indexes';
import { listUnits, type Unit } from '../../repositories/units';
import { decodeText } from '../../forms/csv-text';
import { waveFor } from '../waves/wave-policy';
import { ANALYSED_STATES } from './response-pass';

/** Every row of the file, or every bad line: one bad line and nothing is imported. */
function readPreviousIndexFile(bytes: Uint8Array): PublishedRow[] {
  const text = decodeText(bytes);
  const parsed = parsePublishedIndexes(text);
  if (parsed.errors.length > 0) {
    const details = parsed.errors.map((e) => `dòng ${e.line}: ${e.message}`);
    throw new UserError(
      `Bảng chỉ số năm trước có ${parsed.errors.length} lỗi, chưa nhập dòng nào: ${details.slice(0, 3).join('; ')}`,
      400,
      details,
    );
  }
  if (parsed.rows.length === 0) throw new UserError('Bảng chỉ số năm trước không có dòng số liệu nào');
  return parsed.rows;
}

/**
 * Every code of the file must be last year's code of one of this wave's units (SIPAS.md s.3):
 * named as a predecessor, or the unit's own code when it names none. Any other code would be
 * stored and never used, while the unit it was meant for silently has no previous index.
 */
function assertKnownCodes(rows: PublishedRow[], units: Unit[], year: number): void {
  const known = new Set(units.flatMap((u) => [u.code, ...(u.predecessors ?? [])]));
  const unknown = rows.filter((r) => !known.has(r.unitCode));
  if (unknown.length === 0) return;
  const details = unknown.map((r) => `mã đơn vị "${r.unitCode}" không phải đơn vị của đợt ${year} hay đơn vị năm trước mà một đơn vị của đợt kế thừa`);
  throw new UserError(
    `Bảng chỉ số năm trước có ${unknown.length} mã đơn vị không khớp, chưa nhập dòng nào: ${unknown.slice(0, 5).map((r) => `"${r.unitCode}"`).join(', ')}. Hãy sửa mã, hoặc khai báo đơn vị tiền thân (predecessors) trong danh sách đơn vị.`,
    400,
    details,
  );
}

export interface PreviousImport {
  rows: PublishedRow[];
  /** Set when wave year−1 has raw answers in the system: those are used for deltas instead. */
  rawPreviousYear: number | null;
}

/**
 * Replaces the wave's table of last year's published indexes with the file's rows (inside
 * writeTransaction), all or nothing.
 */
export async function importPreviousIndexes(trx: Executor, year: number, bytes: Uint8Array, actor: string | null): Promise<PreviousImport> {
  const rows = readPreviousIndexFile(bytes);
  await waveFor(trx, year, 'import-previous');
  assertKnownCodes(rows, await listUnits(trx, year), year);
  await replacePreviousIndexes(trx, year, rows);
  await recordAudit(trx, { actor, action: 'previous.import', waveYear: year, detail: { rows: rows.length } });
  const rawPrevious = (await countResponses(trx, year - 1, [...ANALYSED_STATES])) > 0;
  return { rows, rawPreviousYear: rawPrevious ? year - 1 : null };
}
