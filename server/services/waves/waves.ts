import { defaultQuestionnaire, validateQuestionnaire, type Questionnaire } from '../../../analysis/questionnaire';
import type { Executor } from '../../db/schema';
import { UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { insertQuestionnaireVersion } from '../../repositories/questionnaire-versions';
import { replaceUnits, type Unit } from '../../repositories/units';
import { findWave, insertWave, type Wave, type WaveSettings } from '../../repositories/waves';
import { formatProblems } from '../../forms/csv-text';
import { parseUnitsCsv } from './units-csv';
import { waveFor } from './wave-policy';

export async function createWave(
  trx: Executor,
  input: { year: number; name?: string; settings?: Partial<WaveSettings>; questionnaire?: Questionnaire; actor: string | null },
): Promise<Wave> {
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) {
    throw new UserError(`Năm "${input.year}" không hợp lệ (cần một năm như 2023)`);
  }
  const questionnaire = input.questionnaire ?? defaultQuestionnaire;
  const problems = validateQuestionnaire(questionnaire);
  if (problems.length > 0) throw new UserError('Phiếu khảo sát không hợp lệ', 400, problems);
  if (await findWave(trx, input.year)) throw new UserError(`Đợt khảo sát năm ${input.year} đã có`, 409);
  const wave = await insertWave(trx, { year: input.year, name: input.name?.trim() || `SIPAS ${input.year}`, settings: input.settings });
  await insertQuestionnaireVersion(trx, wave.year, questionnaire);
  await recordAudit(trx, { actor: input.actor, action: 'wave.create', waveYear: wave.year, detail: { questionnaire: questionnaire.version } });
  return wave;
}

/** Replaces the wave's unit list from a CSV, all or nothing. */
export async function importUnits(trx: Executor, year: number, bytes: Uint8Array, actor: string | null): Promise<Unit[]> {
  await waveFor(trx, year, 'edit-units');
  const parsed = parseUnitsCsv(bytes);
  if (!parsed.ok) {
    throw new UserError(
      `Danh sách đơn vị có ${parsed.problems.length} lỗi, chưa nhập đơn vị nào: ${formatProblems(parsed.problems.slice(0, 3)).replace(/\n/g, '; ')}`,
      400,
      formatProblems(parsed.problems).split('\n'),
    );
  }
  await replaceUnits(trx, year, parsed.units);
  await recordAudit(trx, { actor, action: 'units.import', waveYear: year, detail: { units: parsed.units.length } });
  return parsed.units;
}
