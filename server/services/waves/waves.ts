import { defaultQuestionnaire, validateQuestionnaire, type Questionnaire } from '../../../analysis/questionnaire';
import type { Executor } from '../../db/schema';
import { fieldError, UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { findQuestionnaire, insertQuestionnaireVersion } from '../../repositories/questionnaire-versions';
import { listUnits, replaceUnits, type Unit } from '../../repositories/units';
import { findWave, insertWave, type Wave, type WaveSettings } from '../../repositories/waves';
import { formatProblems } from '../../forms/csv-text';
import { MAX_NAME, parseUnitsCsv } from './units-csv';
import { waveFor } from './wave-policy';

/**
 * A new wave in setup. `copyFrom` takes an earlier wave's questionnaire and units (codes, names,
 * kinds), each unit's predecessor being the unit of the same code, so this year's indexes
 * compare with that wave's. Refusals name their form field (year, copyFrom).
 */
export async function createWave(
  trx: Executor,
  input: { year: number; name?: string; settings?: Partial<WaveSettings>; questionnaire?: Questionnaire; copyFrom?: number; actor: string | null },
): Promise<Wave> {
  if (!Number.isInteger(input.year) || input.year < 2000 || input.year > 2100) {
    throw fieldError('year', 'Năm khảo sát cần là một năm từ 2000 đến 2100, ví dụ 2025', 400);
  }
  if (await findWave(trx, input.year)) throw fieldError('year', `Đợt khảo sát năm ${input.year} đã có`, 409);
  const name = input.name?.normalize('NFC').trim() || `SIPAS ${input.year}`;
  if (name.length > MAX_NAME) throw fieldError('name', `Tên đợt dài ${name.length} ký tự, tối đa ${MAX_NAME}`, 400);
  let copied: { questionnaire: Questionnaire; units: Unit[] } | undefined;
  if (input.copyFrom !== undefined) {
    if (!Number.isInteger(input.copyFrom) || input.copyFrom >= input.year) throw fieldError('copyFrom', `Chỉ sao chép được từ một đợt trước năm ${input.year}`, 400);
    const source = await findQuestionnaire(trx, input.copyFrom);
    if (!(await findWave(trx, input.copyFrom)) || !source) throw fieldError('copyFrom', `Không có đợt khảo sát năm ${input.copyFrom} để sao chép`, 400);
    const units = (await listUnits(trx, input.copyFrom)).map((u) => ({ ...u, predecessors: [u.code] }));
    copied = { questionnaire: source, units };
  }
  const questionnaire = input.questionnaire ?? copied?.questionnaire ?? defaultQuestionnaire;
  const problems = validateQuestionnaire(questionnaire);
  if (problems.length > 0) throw new UserError('Phiếu khảo sát không hợp lệ', 400, problems);
  const wave = await insertWave(trx, { year: input.year, name, settings: input.settings });
  await insertQuestionnaireVersion(trx, wave.year, questionnaire);
  if (copied) await replaceUnits(trx, wave.year, copied.units);
  await recordAudit(trx, {
    actor: input.actor,
    action: 'wave.create',
    waveYear: wave.year,
    detail: { questionnaire: questionnaire.version, ...(copied ? { copiedFrom: input.copyFrom, units: copied.units.length } : {}) },
  });
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
