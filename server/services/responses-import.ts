import { criterionCodes } from '../../analysis/questionnaire';
import { fold } from '../../sampling';
import type { Db } from '../db/connect';
import type { ResponseChannel, ResponseState } from '../db/schema';
import { UserError } from '../errors';
import { recordAudit } from '../repositories/audit';
import { takeWriteLock } from '../db/dialect';
import { mapQuestionnairesByCode } from '../repositories/collection';
import { findQuestionnaire } from '../repositories/questionnaire-versions';
import { listUnits } from '../repositories/units';
import { CsvError, formatProblems, parseCsv, type RowProblem } from './csv-text';
import { normaliseQuestionnaireCode } from './questionnaire-codes';
import { checkResponse, recordResponse, type ResponseInput } from './responses';
import { requireWave } from './waves';

/**
 * Responses from a CSV (SIPAS.md section 11): `questionnaire_code` (or `unit_code` for anonymous
 * rows from other tools), `channel`, one column per criterion (1–5 or empty), then the profile
 * items (option codes or labels; several choices separated by `;`) and `comment`. All or
 * nothing: every bad row is listed and nothing is written until the whole file is right. Rows
 * go through the same response rules as every other channel, so a second row for a code that
 * already has a counted response is kept for review, and imported responses count as they are
 * (no double entry).
 */

export interface ImportSummary {
  rows: number;
  byState: Record<ResponseState, number>;
  anonymous: number;
}

const MULTI_SEPARATOR = /[;|]/;

export async function importResponses(db: Db, year: number, bytes: Uint8Array, actor: string | null): Promise<ImportSummary> {
  const wave = await requireWave(db, year);
  if (wave.status === 'closed') throw new UserError(`Đợt khảo sát ${year} đã kết thúc, không nhận thêm phiếu trả lời`, 409);
  const questionnaire = await findQuestionnaire(db, year);
  if (!questionnaire) throw new UserError(`Đợt ${year} chưa có phiếu khảo sát`, 409);

  let parsed: ReturnType<typeof parseCsv>;
  try {
    parsed = parseCsv(bytes);
  } catch (error) {
    if (error instanceof CsvError) throw new UserError(error.message);
    throw error;
  }

  const criteria = criterionCodes(questionnaire);
  const profileItems = questionnaire.profile;
  // parseCsv lower-cases headers; item codes are matched the same way.
  const known = new Map<string, string>([
    ['questionnaire_code', 'questionnaire_code'],
    ['unit_code', 'unit_code'],
    ['channel', 'channel'],
    ...criteria.map((c): [string, string] => [c.toLowerCase(), c]),
    ...profileItems.map((p): [string, string] => [p.code.toLowerCase(), p.code]),
  ]);
  const headerProblems: RowProblem[] = [];
  for (const header of parsed.headers) {
    if (!known.has(header)) headerProblems.push({ row: 1, field: header, message: 'cột không có trong mẫu (mã phiếu, đơn vị, kênh, mã tiêu chí, thông tin chung)' });
  }
  if (!parsed.headers.includes('questionnaire_code') && !parsed.headers.includes('unit_code')) {
    headerProblems.push({ row: 1, message: 'cần cột questionnaire_code hoặc unit_code' });
  }
  const missing = criteria.filter((c) => !parsed.headers.includes(c.toLowerCase()));
  if (missing.length > 0) headerProblems.push({ row: 1, message: `thiếu cột tiêu chí ${missing.join(', ')}` });
  if (headerProblems.length > 0) throw importError(headerProblems, 0);
  if (parsed.rows.length === 0) throw new UserError('Tệp không có dòng phiếu trả lời nào');

  const byCode = await mapQuestionnairesByCode(db, year);
  const unitCodes = new Set((await listUnits(db, year)).map((u) => u.code));
  const problems: RowProblem[] = [];
  const inputs: ResponseInput[] = [];

  for (const { row, values } of parsed.rows) {
    const before = problems.length;
    const problem = (field: string, message: string) => problems.push({ row, field, message });
    const typedCode = values.questionnaire_code ?? '';
    const typedUnit = (values.unit_code ?? '').toUpperCase();
    let questionnaireId: number | null = null;
    let unitCode = typedUnit;
    if (typedCode !== '') {
      const code = normaliseQuestionnaireCode(typedCode);
      const target = code ? byCode.get(code) : undefined;
      if (!code) problem('questionnaire_code', `mã phiếu "${typedCode}" sai (ký tự kiểm tra không khớp)`);
      else if (!target) problem('questionnaire_code', `mã phiếu "${code}" không có trong đợt ${year}`);
      else if (typedUnit !== '' && typedUnit !== target.unitCode) problem('unit_code', `phiếu ${code} thuộc đơn vị ${target.unitCode}, không phải ${typedUnit}`);
      else {
        questionnaireId = target.id;
        unitCode = target.unitCode;
      }
    } else if (typedUnit === '') {
      problem('questionnaire_code', 'cần mã phiếu, hoặc mã đơn vị (unit_code) cho phiếu không gắn mã');
    } else if (!unitCodes.has(typedUnit)) {
      problem('unit_code', `đơn vị "${typedUnit}" không có trong đợt ${year}`);
    }

    const channelText = (values.channel ?? '').toLowerCase();
    let channel: ResponseChannel = 'import';
    if (typedCode !== '') {
      if (channelText === 'paper' || channelText === 'qr') channel = channelText;
      else problem('channel', `kênh "${values.channel ?? ''}" không hợp lệ: phiếu có mã cần paper hoặc qr`);
    } else if (!['', 'paper', 'qr', 'import'].includes(channelText)) {
      problem('channel', `kênh "${values.channel}" không hợp lệ: paper, qr, import hoặc để trống`);
    }

    const answers: Record<string, number | null> = {};
    for (const code of criteria) {
      const raw = values[code.toLowerCase()] ?? '';
      if (raw === '') answers[code] = null;
      else if (/^[1-5]$/.test(raw)) answers[code] = Number(raw);
      else problem(code, `giá trị "${raw}" không hợp lệ: chỉ nhận 1–5 hoặc để trống`);
    }

    const profile: Record<string, string | string[] | null> = {};
    let comment: string | null = null;
    for (const item of profileItems) {
      const raw = values[item.code.toLowerCase()] ?? '';
      if (raw === '') continue;
      if (item.kind === 'text') {
        comment = raw;
        continue;
      }
      const chosen = (item.kind === 'multi' ? raw.split(MULTI_SEPARATOR) : [raw]).map((v) => v.trim()).filter((v) => v !== '');
      const codes = chosen.map((v) => item.options.find((o) => o.code === v || fold(o.label) === fold(v))?.code ?? v);
      profile[item.code] = item.kind === 'multi' ? codes : codes[0];
    }

    const checked = checkResponse(questionnaire, wave.settings, { answers, profile, comment });
    if (!checked.ok) for (const p of checked.problems) problem(p.field, p.message);
    if (problems.length === before) inputs.push({ waveYear: year, questionnaireId, unitCode, channel, answers, profile, comment, enteredBy: actor });
  }
  if (problems.length > 0) throw importError(problems, parsed.rows.length);

  return db.transaction().execute(async (trx) => {
    await takeWriteLock(trx);
    const byState: Record<ResponseState, number> = { counted: 0, review: 0, invalid: 0, pending: 0 };
    for (const input of inputs) byState[(await recordResponse(trx, input)).state]++;
    const anonymous = inputs.filter((i) => i.questionnaireId === null).length;
    await recordAudit(trx, { actor, action: 'responses.import', waveYear: year, detail: { rows: inputs.length, ...byState, anonymous } });
    return { rows: inputs.length, byState, anonymous };
  });
}

function importError(problems: RowProblem[], rows: number): UserError {
  const badRows = new Set(problems.map((p) => p.row)).size;
  const where = rows > 0 ? `${badRows}/${rows} dòng có lỗi` : 'dòng tiêu đề có lỗi';
  return new UserError(
    `Tệp phiếu trả lời: ${where}, chưa nhập phiếu nào: ${formatProblems(problems.slice(0, 3)).replace(/\n/g, '; ')}`,
    400,
    formatProblems(problems).split('\n'),
  );
}
