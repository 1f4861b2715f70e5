import { defaultQuestionnaire, validateQuestionnaire, type Questionnaire } from '../../analysis/questionnaire';
import type { Db } from '../db/connect';
import { UserError } from '../errors';
import { recordAudit } from '../repositories/audit';
import { insertQuestionnaireVersion } from '../repositories/questionnaire-versions';
import { replaceUnits, type Unit } from '../repositories/units';
import { findWave, insertWave, type Wave, type WaveSettings } from '../repositories/waves';
import { formatProblems } from './csv-text';
import { parseUnitsCsv } from './units-csv';

export async function createWave(
  db: Db,
  input: { year: number; name?: string; settings?: Partial<WaveSettings>; questionnaire?: Questionnaire; actor: string | null },
): Promise<Wave> {
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) {
    throw new UserError(`Năm "${input.year}" không hợp lệ (cần một năm như 2023)`);
  }
  const questionnaire = input.questionnaire ?? defaultQuestionnaire;
  const problems = validateQuestionnaire(questionnaire);
  if (problems.length > 0) throw new UserError('Phiếu khảo sát không hợp lệ', 400, problems);
  return db.transaction().execute(async (trx) => {
    if (await findWave(trx, input.year)) throw new UserError(`Đợt khảo sát năm ${input.year} đã có`, 409);
    const wave = await insertWave(trx, { year: input.year, name: input.name?.trim() || `SIPAS ${input.year}`, settings: input.settings });
    await insertQuestionnaireVersion(trx, wave.year, questionnaire);
    await recordAudit(trx, { actor: input.actor, action: 'wave.create', waveYear: wave.year, detail: { questionnaire: questionnaire.version } });
    return wave;
  });
}

export async function requireWave(db: Db, year: number): Promise<Wave> {
  const wave = await findWave(db, year);
  if (!wave) throw new UserError(`Không có đợt khảo sát năm ${year}`, 404);
  return wave;
}

/** Replaces the wave's unit list from a CSV, all or nothing. */
export async function importUnits(db: Db, year: number, bytes: Uint8Array, actor: string | null): Promise<Unit[]> {
  const wave = await requireWave(db, year);
  if (wave.status !== 'setup') throw new UserError(`Đợt ${year} đã bốc mẫu: không thể thay danh sách đơn vị`, 409);
  const parsed = parseUnitsCsv(bytes);
  if (!parsed.ok) {
    throw new UserError(
      `Danh sách đơn vị có ${parsed.problems.length} lỗi, chưa nhập đơn vị nào: ${formatProblems(parsed.problems.slice(0, 3)).replace(/\n/g, '; ')}`,
      400,
      formatProblems(parsed.problems).split('\n'),
    );
  }
  await db.transaction().execute(async (trx) => {
    await replaceUnits(trx, year, parsed.units);
    await recordAudit(trx, { actor, action: 'units.import', waveYear: year, detail: { units: parsed.units.length } });
  });
  return parsed.units;
}
