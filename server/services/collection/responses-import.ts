import type { Executor, ResponseState } from '../../db/schema';
import { UserError } from '../../errors';
import { checkCsvHeader, readCsvRow, type CsvRowContext } from '../../forms/csv-row';
import { recordAudit } from '../../repositories/audit';
import { mapQuestionnairesByCode } from '../../repositories/collection';
import { listUnits } from '../../repositories/units';
import { formatProblems, parseCsv, type RowProblem } from '../../forms/csv-text';
import { checkResponse, recordResponse, type CleanResponse, type ResponseInput } from './responses';
import { requireQuestionnaire } from '../waves/wave-questionnaire';
import { waveFor } from '../waves/wave-policy';

/**
 * Responses from a CSV (SIPAS.md section 11), read row by row by the file channel's codec
 * (forms/csv-row.ts). All or nothing: every bad row is listed and nothing is written until the
 * whole file is right. Rows go through the same response rules as every other channel, so a
 * second row for a code that already has a counted response is kept for review, and imported
 * responses count as they are (no double entry). Runs inside writeTransaction: the files are
 * small, and the codes and units they are checked against must be the ones written to.
 */

export interface ImportSummary {
  rows: number;
  byState: Record<ResponseState, number>;
  anonymous: number;
  /** Rows identical to a response already stored for their questionnaire (a file imported twice): not stored again. */
  repeated: number;
}

export async function importResponses(trx: Executor, year: number, bytes: Uint8Array, actor: string | null): Promise<ImportSummary> {
  const wave = await waveFor(trx, year, 'record-response');
  const questionnaire = await requireQuestionnaire(trx, year);

  const parsed = parseCsv(bytes);
  const headerProblems = checkCsvHeader(questionnaire, parsed.headers);
  if (headerProblems.length > 0) throw importError(headerProblems, 0);
  if (parsed.rows.length === 0 && parsed.problems.length === 0) throw new UserError('Tệp không có dòng phiếu trả lời nào');

  const context: CsvRowContext = {
    year,
    questionnaire,
    byCode: await mapQuestionnairesByCode(trx, year),
    unitCodes: new Set((await listUnits(trx, year)).map((u) => u.code)),
  };
  const problems: RowProblem[] = [...parsed.problems];
  const checkedRows: { row: number; input: ResponseInput; checked: CleanResponse }[] = [];
  for (const { row, values } of parsed.rows) {
    const read = readCsvRow(context, values);
    const checked = checkResponse(questionnaire, wave.settings, read.row.content);
    const rowProblems = [...read.problems, ...(checked.ok ? [] : checked.problems)];
    for (const p of rowProblems) problems.push({ row, ...p });
    if (rowProblems.length === 0 && checked.ok) {
      const { content, ...whose } = read.row;
      checkedRows.push({ row, input: { waveYear: year, ...whose, ...content, enteredBy: actor }, checked: checked.response });
    }
  }
  if (problems.length > 0) throw importError(problems.sort((a, b) => a.row - b.row), parsed.rows.length + new Set(parsed.problems.map((p) => p.row)).size);

  const byState: Record<ResponseState, number> = { counted: 0, review: 0, invalid: 0, pending: 0 };
  let repeated = 0;
  for (const { row, input, checked } of checkedRows) {
    let recorded;
    try {
      recorded = await recordResponse(trx, input, { wave, questionnaire, checked });
    } catch (error) {
      // Refused by the rules that need the stored responses (too many kept for one questionnaire): name the row; nothing is written.
      if (error instanceof UserError) throw new UserError(`Tệp phiếu trả lời, dòng ${row}: ${error.message}; chưa nhập phiếu nào`, error.status, [`dòng ${row}: ${error.message}`]);
      throw error;
    }
    if (recorded.repeated) repeated++;
    else byState[recorded.state]++;
  }
  const anonymous = checkedRows.filter((r) => r.input.questionnaireId === null).length;
  await recordAudit(trx, { actor, action: 'responses.import', waveYear: year, detail: { rows: checkedRows.length, ...byState, anonymous, repeated } });
  return { rows: checkedRows.length, byState, anonymous, repeated };
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
