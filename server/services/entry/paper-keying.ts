import type { Executor, QuestionnaireStatus, ResponseChannel } from '../../db/schema';
import { readKeyedForm, type FormBody } from '../../forms/keyed-form';
import { recordAudit } from '../../repositories/audit';
import { findCountedResponse, lockQuestionnaire } from '../../repositories/collection';
import { insertPaperKeying, linkKeyingsToResponse, listKeyingsOf, listKeyingTimings } from '../../repositories/paper-keyings';
import { isPrefixOfAnotherCode } from '../../repositories/reserves';
import { listUnits } from '../../repositories/units';
import type { Wave } from '../../repositories/waves';
import { findCounterForm } from './counter-form';
import { compareKeyings } from './double-entry';
import { keyedFormRefusal, keyingMessage, openedFormWarning, type KeyingOutcome } from './entry-messages';
import { nextPass } from './keying-pass';
import { keyingStart, operatorFigures, type OperatorFigures } from './operator-figures';
import { checkResponse, recordResponse } from '../collection/responses';
import { assertAllowed, waveFor } from '../waves/wave-policy';
import { requireQuestionnaire } from '../waves/wave-questionnaire';

/**
 * Post-office data entry (SIPAS.md section 8): a clerk keys a returned paper form, found by its
 * printed code. With double entry off, one keying records the response at once. With it on,
 * a form is keyed twice, blind, by two different accounts; two agreeing keyings record the
 * response, differing ones wait for a supervisor (mismatches.ts). Every response goes through
 * recordResponse, which applies the one-response-per-questionnaire and validity rules. Clerks
 * see only the code and the unit, never the person.
 */

/**
 * What the clerk is told next to the code of a form that opens: nothing special, or that its
 * paper answers will be kept for review (an answer already counts) or that it was marked as not
 * coming back (its answers are still taken).
 */
export type OpenedState = 'ready' | 'answered' | 'undeliverable' | 'refused';

function openedState(status: QuestionnaireStatus, countedChannel: ResponseChannel | null): OpenedState {
  if (countedChannel) return 'answered';
  return status === 'undeliverable' || status === 'refused' ? status : 'ready';
}

/** Who keys: the account and the units it keys for (User.unitCodes; null = every unit). */
export interface Clerk {
  username: string;
  unitCodes: readonly string[] | null;
}

/** The form a clerk is about to key. */
export interface OpenedForm {
  questionnaireId: number;
  code: string;
  unitCode: string;
  unitName: string;
  /** 1 or 2 under double entry; null when one keying is enough. */
  pass: 1 | 2 | null;
  /** Server time the form was opened: keying time is measured from it. */
  openedAt: string;
  /** Another code starts with this one: the page waits for Enter instead of opening at once. */
  prefixOfAnother: boolean;
  state: OpenedState;
  /** Shown next to the code when the state is not 'ready'. */
  warning: string | null;
}

/**
 * Finds the typed form and says which keying it would be, or why it cannot be keyed now (an
 * EntryRefusal naming the reason, or the wave's refusal). Reads only.
 */
export async function openForKeying(db: Executor, wave: Wave, typed: string, clerk: Clerk, now: Date): Promise<OpenedForm> {
  assertAllowed(wave, 'record-response');
  const q = await findCounterForm(db, wave, typed, clerk.unitCodes);
  const pass = nextPass(wave.settings.doubleEntry, q.code, await listKeyingsOf(db, q.id), clerk.username);
  const counted = await findCountedResponse(db, q.id);
  return {
    questionnaireId: q.id,
    code: q.code,
    unitCode: q.unitCode,
    unitName: q.unitName,
    pass,
    openedAt: now.toISOString(),
    prefixOfAnother: await isPrefixOfAnotherCode(db, wave.year, q.code),
    state: openedState(q.status, counted?.channel ?? null),
    warning: openedFormWarning(q.code, q.status, counted?.channel ?? null),
  };
}

export interface KeyingResult {
  code: string;
  unitName: string;
  outcome: KeyingOutcome;
  message: string;
}

export interface KeyingInput {
  year: number;
  typedCode: string;
  user: string;
  /** The clerk's units (User.unitCodes); null or omitted = every unit. */
  unitCodes?: readonly string[] | null;
  body: FormBody;
  /** Backspaces that removed an answer while keying. */
  corrections: number;
  /** When the page opened the form, as it reports it. */
  openedAt: string | null;
  now: Date;
}

/** Stores one keying of a paper form and, when it completes the form, records the response. */
export async function submitKeying(trx: Executor, input: KeyingInput): Promise<KeyingResult> {
  const wave = await waveFor(trx, input.year, 'record-response');
  const questionnaire = await requireQuestionnaire(trx, wave.year);
  const { form, problems } = readKeyedForm(questionnaire, input.body);
  // The shared rules (comment length…) are checked even when some digits were refused, so every problem shows at once.
  const checked = checkResponse(questionnaire, wave.settings, form);
  if (problems.length > 0 || !checked.ok) throw keyedFormRefusal(questionnaire, [...problems, ...(checked.ok ? [] : checked.problems)], 'save');
  const q = await findCounterForm(trx, wave, input.typedCode, input.unitCodes ?? null);
  // Serialises keyings of one form, so two clerks cannot both become pass 1.
  await lockQuestionnaire(trx, q.id);
  const earlier = await listKeyingsOf(trx, q.id);
  const pass = nextPass(wave.settings.doubleEntry, q.code, earlier, input.user);
  const endedAt = input.now.toISOString();
  await insertPaperKeying(trx, {
    waveYear: wave.year,
    questionnaireId: q.id,
    pass: pass ?? 1,
    enteredBy: input.user,
    answers: form.answers,
    profile: form.profile,
    comment: form.comment,
    corrections: input.corrections,
    startedAt: keyingStart(input.openedAt, endedAt),
    endedAt,
  });
  let outcome: KeyingOutcome;
  const differences = pass === 2 ? compareKeyings(questionnaire, earlier[0], form) : [];
  if (pass === 1) {
    outcome = { kind: 'awaiting-second-pass' };
  } else if (differences.length > 0) {
    outcome = { kind: 'mismatch', fields: differences.length };
  } else {
    const recorded = await recordResponse(trx, { waveYear: wave.year, questionnaireId: q.id, unitCode: q.unitCode, channel: 'paper', ...form, enteredBy: input.user });
    await linkKeyingsToResponse(trx, q.id, recorded.responseId);
    outcome = { kind: 'recorded', state: recorded.state, note: recorded.note, pass };
  }
  await recordAudit(trx, {
    actor: input.user,
    action: 'paper.keyed',
    waveYear: wave.year,
    detail: { code: q.code, pass, outcome: outcome.kind === 'recorded' ? outcome.state : outcome.kind, corrections: input.corrections },
  });
  return { code: q.code, unitName: q.unitName, outcome, message: keyingMessage(q.code, q.unitName, outcome) };
}

/**
 * The wave's unit codes (the entry page's script reads typed codes against them) and the units
 * the clerk keys for, named; null when the clerk keys for every unit.
 */
export async function keyingUnits(db: Executor, year: number, clerk: Clerk): Promise<{ unitCodes: string[]; clerkUnits: { code: string; name: string }[] | null }> {
  const units = await listUnits(db, year);
  const names = new Map(units.map((u) => [u.code, u.name]));
  return {
    unitCodes: units.map((u) => u.code),
    // A unit of the clerk's that this wave does not have is still listed, by its code.
    clerkUnits: clerk.unitCodes && clerk.unitCodes.map((code) => ({ code, name: names.get(code) ?? code })),
  };
}

/** Every operator's figures in the wave, or one operator's when `enteredBy` is given. */
export async function keyingFigures(db: Executor, year: number, now: Date, enteredBy?: string): Promise<OperatorFigures[]> {
  return operatorFigures(await listKeyingTimings(db, year, enteredBy), now);
}
