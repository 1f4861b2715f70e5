import { toCsv } from '../../../analysis/csv';
import type { Executor } from '../../db/schema';
import { UserError } from '../../errors';
import { findCurrentDraw, listDrawnLines, type Draw } from '../../repositories/draws';

export const EXPORT_COLUMNS = ['questionnaire_code', 'unit_code', 'dossier_code', 'role', 'rank'];

/** The drawn list for Excel: no names, addresses or phones; codes are empty before publish. */
export async function exportDrawCsv(db: Executor, year: number): Promise<{ csv: string; draw: Draw; lines: number }> {
  const draw = await findCurrentDraw(db, year);
  if (!draw) throw new UserError(`Đợt ${year} chưa bốc mẫu`, 404);
  const lines = await listDrawnLines(db, draw.id);
  const csv = toCsv(lines.map((l) => [l.questionnaireCode ?? '', l.unitCode, l.dossierCode, l.role, l.rank]), EXPORT_COLUMNS, { bom: true });
  return { csv, draw, lines: lines.length };
}
