import { criterionCodes, type Questionnaire } from '../../../analysis/questionnaire';
import type { Executor, QuestionnaireStatus, ResponseState } from '../../db/schema';
import { UserError, type FieldProblem } from '../../errors';
import { readQrForm, type QrFormValues } from '../../forms/qr-form';
import { findQuestionnaireByToken, findUnitName, lockQuestionnaireByToken, type CollectionQuestionnaire } from '../../repositories/collection';
import { findQuestionnaire } from '../../repositories/questionnaire-versions';
import { findWave, findWaveForUpdate, type Wave } from '../../repositories/waves';
import type { BatchScope } from './group-commit';
import { checkResponse, minAnswered, recordResponse } from './responses';
import { refusal } from '../waves/wave-policy';

/**
 * A citizen's answer by QR (`/q/<token>`): the token is the only key, so a token that does not
 * exist and one never sent look the same. Submissions run as GroupCommitter jobs: the write lock
 * is held, and the wave and its questionnaire are read once per batch.
 */

export interface OpenQuestionnaire {
  questionnaire: CollectionQuestionnaire;
  wave: Wave;
  definition: Questionnaire;
}

/** Statuses after which the token is closed: the form gives way to "already answered". */
const ANSWERED: readonly QuestionnaireStatus[] = ['answered-qr', 'returned-paper', 'invalid'];

export function isAnswered(open: OpenQuestionnaire): boolean {
  return ANSWERED.includes(open.questionnaire.status);
}

/** Whether the wave still takes answers (the wave policy's 'record-response'). */
export function takesAnswers(open: OpenQuestionnaire): boolean {
  return refusal(open.wave, 'record-response') === null;
}

type WaveContext = Pick<OpenQuestionnaire, 'wave' | 'definition'> | undefined;

async function waveContext(db: Executor, year: number, readWave: typeof findWave): Promise<WaveContext> {
  const wave = await readWave(db, year);
  const definition = wave && (await findQuestionnaire(db, wave.year));
  return wave && definition ? { wave, definition } : undefined;
}

/** For a page view: the questionnaire behind a token, or undefined when it does not exist or was never sent. */
export async function openByToken(db: Executor, token: string): Promise<OpenQuestionnaire | undefined> {
  const questionnaire = await findQuestionnaireByToken(db, token);
  if (!questionnaire?.released) return undefined;
  const context = await waveContext(db, questionnaire.waveYear, findWave);
  return context && { questionnaire, ...context };
}

/** Whether a token exists and was sent: the one look-up a QR post costs before its body is read. */
export async function isOpenToken(db: Executor, token: string): Promise<boolean> {
  return (await findQuestionnaireByToken(db, token))?.released === true;
}

/** Read only for pages that show it: the common path (a 303 after a counted answer) needs no name. */
export async function unitNameOf(db: Executor, open: OpenQuestionnaire): Promise<string> {
  return (await findUnitName(db, open.wave.year, open.questionnaire.unitCode)) ?? open.questionnaire.unitCode;
}

export type SubmitOutcome =
  | { kind: 'not-found' }
  | { kind: 'closed' }
  | { kind: 'problems'; open: OpenQuestionnaire; problems: FieldProblem[] }
  | { kind: 'too-few'; open: OpenQuestionnaire; answered: number; need: number }
  | { kind: 'recorded'; open: OpenQuestionnaire; state: ResponseState }
  /** The questionnaire already keeps as many uncounted responses as it may: nothing stored. */
  | { kind: 'full'; open: OpenQuestionnaire };

/**
 * One posted QR form, as a GroupCommitter job. Bad values come back as problems to show on the
 * form; a response below the validity threshold is held back once (`incomplete_ok` posts it anyway).
 */
export async function submitQrForm(trx: Executor, batch: BatchScope, token: string, values: QrFormValues): Promise<SubmitOutcome> {
  const found = await findQuestionnaireByToken(trx, token);
  if (!found?.released) return { kind: 'not-found' };
  // The batch holds the write lock (and on PostgreSQL the wave's row), so the wave stays as read for every job in it.
  const year = found.waveYear;
  const context = await batch.once(`wave ${year}`, () => waveContext(trx, year, findWaveForUpdate));
  if (!context) return { kind: 'not-found' };
  // Locked only now, after the wave: every writer (paper entry, no-form marks, imports) locks the
  // wave's row before a questionnaire's, and PostgreSQL ends one of two transactions that take
  // them in opposite orders (a deadlock, seen with two instances in test/two-instances.test.ts).
  // recordResponse then needs no second statement to lock it.
  const questionnaire = await lockQuestionnaireByToken(trx, token);
  if (!questionnaire?.released) return { kind: 'not-found' };
  const opened: OpenQuestionnaire = { questionnaire, ...context };
  if (!takesAnswers(opened)) return { kind: 'closed' };
  const { definition, wave } = opened;
  const read = readQrForm(definition, values);
  const checked = checkResponse(definition, wave.settings, read.content);
  const problems = [...read.problems, ...(checked.ok ? [] : checked.problems)];
  if (!checked.ok || problems.length > 0) return { kind: 'problems', open: opened, problems };
  if (!checked.response.valid && values.incomplete_ok !== '1') {
    return { kind: 'too-few', open: opened, answered: checked.response.answered, need: minAnswered(criterionCodes(definition).length, wave.settings) };
  }
  try {
    const input = { waveYear: wave.year, questionnaireId: questionnaire.id, unitCode: questionnaire.unitCode, channel: 'qr' as const, ...read.content, enteredBy: null };
    const result = await recordResponse(trx, input, { wave, questionnaire: definition, locked: questionnaire, checked: checked.response });
    return { kind: 'recorded', open: opened, state: result.state };
  } catch (error) {
    if (error instanceof UserError && error.fields.length > 0) return { kind: 'problems', open: opened, problems: error.fields };
    // Answered here rather than thrown: a throw would roll back every submission batched with this one.
    if (error instanceof UserError && error.status === 409) return { kind: 'full', open: opened };
    throw error;
  }
}
