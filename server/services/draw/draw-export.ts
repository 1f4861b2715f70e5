import { toCsv } from '../../../analysis/csv';
import type { Executor } from '../../db/schema';
import { UserError } from '../../errors';
import { findCurrentDraw, listDrawnLines, type Draw, type DrawnLine } from '../../repositories/draws';

export const EXPORT_COLUMNS = ['questionnaire_code', 'unit_code', 'dossier_code', 'role', 'rank'];

/**
 * The drawn list as people see it (draw page, export.csv, `draw export`). Dossier codes are
 * shown only while the draw is a draft: administrators and supervisors then check the picked
 * dossiers against the frame and the one-stop system before the sample is frozen. From publish
 * on, each line carries a questionnaire code, and a questionnaire code beside a dossier code
 * would tie every answer to a person in the one-stop system; nobody's work needs that pair
 * (letters go by the manifest, replacements by rank, verification re-runs the draw on the
 * frame file), so the dossier code is left out. The codes stay in the database until purge.
 */
export function visibleDrawnLines(draw: Pick<Draw, 'status'>, lines: DrawnLine[]): DrawnLine[] {
  return draw.status === 'draft' ? lines : lines.map((line) => ({ ...line, dossierCode: '' }));
}

/** The drawn list for Excel: no names, addresses or phones; questionnaire codes are empty before publish, dossier codes after. */
export async function exportDrawCsv(db: Executor, year: number): Promise<{ csv: string; draw: Draw; lines: number }> {
  const draw = await findCurrentDraw(db, year);
  if (!draw) throw new UserError(`Đợt ${year} chưa bốc mẫu`, 404);
  const lines = visibleDrawnLines(draw, await listDrawnLines(db, draw.id));
  const csv = toCsv(lines.map((l) => [l.questionnaireCode ?? '', l.unitCode, l.dossierCode, l.role, l.rank]), EXPORT_COLUMNS, { bom: true });
  return { csv, draw, lines: lines.length };
}
