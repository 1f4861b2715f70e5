import { criterionCodes, type Questionnaire } from '../../analysis/questionnaire';
import { fold } from '../../sampling';
import type { ResponseChannel } from '../db/schema';
import type { FieldProblem } from '../errors';
import type { CollectionQuestionnaire } from '../repositories/collection';
import type { RowProblem } from './csv-text';
import { normaliseQuestionnaireCode } from './questionnaire-codes';
import type { ResponseContent } from './response-content';

/**
 * The file channel (SIPAS.md section 11): one CSV row per response, `questionnaire_code` (or
 * `unit_code` for anonymous rows from other tools), `channel`, one column per criterion (1–5 or
 * empty), the profile items (option codes or labels; several choices separated by `;`) and the
 * comment. Headers arrive lower-cased (parseCsv), so codes are matched lower-cased too. Turns a
 * row into the response shape every channel produces, plus whose response it is.
 */

/** The columns a response file may have: lower-cased header → questionnaire code. */
function columnsOf(questionnaire: Questionnaire): Map<string, string> {
  return new Map(
    ['questionnaire_code', 'unit_code', 'channel', ...criterionCodes(questionnaire), ...questionnaire.profile.map((p) => p.code), questionnaire.comment.code].map(
      (code): [string, string] => [code.toLowerCase(), code],
    ),
  );
}

/** Everything wrong with the header row (row 1). */
export function checkCsvHeader(questionnaire: Questionnaire, headers: string[]): RowProblem[] {
  const columns = columnsOf(questionnaire);
  const problems: RowProblem[] = [];
  for (const header of headers) {
    if (!columns.has(header)) problems.push({ row: 1, field: header, message: 'cột không có trong mẫu (mã phiếu, đơn vị, kênh, mã tiêu chí, thông tin chung)' });
  }
  if (!headers.includes('questionnaire_code') && !headers.includes('unit_code')) problems.push({ row: 1, message: 'cần cột questionnaire_code hoặc unit_code' });
  const missing = criterionCodes(questionnaire).filter((c) => !headers.includes(c.toLowerCase()));
  if (missing.length > 0) problems.push({ row: 1, message: `thiếu cột tiêu chí ${missing.join(', ')}` });
  return problems;
}

/** What a row is checked against besides the questionnaire: the wave's printed codes and units. */
export interface CsvRowContext {
  year: number;
  questionnaire: Questionnaire;
  byCode: ReadonlyMap<string, CollectionQuestionnaire>;
  unitCodes: ReadonlySet<string>;
}

export interface CsvRow {
  /** null for an anonymous row that names only its unit. */
  questionnaireId: number | null;
  unitCode: string;
  channel: ResponseChannel;
  content: ResponseContent;
}

const MULTI_SEPARATOR = /[;|]/;

export function readCsvRow(context: CsvRowContext, values: Record<string, string | undefined>): { row: CsvRow; problems: FieldProblem[] } {
  const { year, questionnaire } = context;
  const problems: FieldProblem[] = [];
  const problem = (field: string, message: string) => problems.push({ field, message });

  const typedCode = values.questionnaire_code ?? '';
  const typedUnit = (values.unit_code ?? '').toUpperCase();
  let questionnaireId: number | null = null;
  let unitCode = typedUnit;
  if (typedCode !== '') {
    const code = normaliseQuestionnaireCode(typedCode);
    const target = code ? context.byCode.get(code) : undefined;
    if (!code) problem('questionnaire_code', `mã phiếu "${typedCode}" sai (ký tự kiểm tra không khớp)`);
    else if (!target) problem('questionnaire_code', `mã phiếu "${code}" không có trong đợt ${year}`);
    else if (typedUnit !== '' && typedUnit !== target.unitCode) problem('unit_code', `phiếu ${code} thuộc đơn vị ${target.unitCode}, không phải ${typedUnit}`);
    else {
      questionnaireId = target.id;
      unitCode = target.unitCode;
    }
  } else if (typedUnit === '') {
    problem('questionnaire_code', 'cần mã phiếu, hoặc mã đơn vị (unit_code) cho phiếu không gắn mã');
  } else if (!context.unitCodes.has(typedUnit)) {
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
  for (const code of criterionCodes(questionnaire)) {
    const raw = values[code.toLowerCase()] ?? '';
    if (raw === '') answers[code] = null;
    else if (/^[1-5]$/.test(raw)) answers[code] = Number(raw);
    else problem(code, `giá trị "${raw}" không hợp lệ: chỉ nhận 1–5 hoặc để trống`);
  }

  const profile: Record<string, string | string[] | null> = {};
  for (const item of questionnaire.profile) {
    const raw = values[item.code.toLowerCase()] ?? '';
    if (raw === '') continue;
    const chosen = (item.kind === 'multi' ? raw.split(MULTI_SEPARATOR) : [raw]).map((v) => v.trim()).filter((v) => v !== '');
    // An option may be written by its code or its label, accents and case aside.
    const codes = chosen.map((v) => item.options.find((o) => o.code === v || fold(o.label) === fold(v))?.code ?? v);
    profile[item.code] = item.kind === 'multi' ? codes : codes[0];
  }
  const comment = values[questionnaire.comment.code.toLowerCase()] || null;

  return { row: { questionnaireId, unitCode, channel, content: { answers, profile, comment } }, problems };
}
