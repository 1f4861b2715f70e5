import type { Executor } from '../../db/schema';
import { UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { findUnitName, lockQuestionnaire } from '../../repositories/collection';
import type { ListFilter, Paged } from '../../repositories/list-page';
import { linkKeyingsToResponse, listKeyingsOf, pageMismatchedKeyings } from '../../repositories/paper-keyings';
import { listUnits } from '../../repositories/units';
import { compareKeyings, settleKeyings, type FieldChoice, type FieldDifference } from './double-entry';
import { settledMessage, type KeyingOutcome } from './entry-messages';
import type { KeyingResult } from './paper-keying';
import { recordResponse } from '../collection/responses';
import { waveFor } from '../waves/wave-policy';
import { requireQuestionnaire } from '../waves/wave-questionnaire';

/**
 * Double-entry forms whose two keyings differ (SIPAS.md section 8): listed for the supervisor,
 * who settles each differing field; only the settled form is recorded.
 */

export interface Mismatch {
  questionnaireId: number;
  code: string;
  unitCode: string;
  unitName: string;
  pass1By: string;
  pass2By: string;
  differences: FieldDifference[];
}

/** Forms per page: each is a form of its own to read against the paper, so fewer than a list's rows. */
export const MISMATCHES_PER_PAGE = 25;

/** One page of the forms whose two keyings differ and that no supervisor has settled yet, by code. */
export async function listMismatches(db: Executor, year: number, filter: ListFilter = {}, page = 1): Promise<Paged<Mismatch>> {
  const questionnaire = await requireQuestionnaire(db, year);
  const units = new Map((await listUnits(db, year)).map((u) => [u.code, u.name]));
  const forms = await pageMismatchedKeyings(db, year, filter, page, MISMATCHES_PER_PAGE);
  return {
    ...forms,
    rows: forms.rows.map(([first, second]) => ({
      questionnaireId: first.questionnaireId,
      code: first.code,
      unitCode: first.unitCode,
      unitName: units.get(first.unitCode) ?? first.unitCode,
      pass1By: first.enteredBy,
      pass2By: second.enteredBy,
      differences: compareKeyings(questionnaire, first, second),
    })),
  };
}

/**
 * Settles a double-entry mismatch: every differing field takes the chosen keying's value or
 * the supervisor's own; agreeing fields stay as keyed. The settled form is then recorded.
 */
export async function settleMismatch(
  trx: Executor,
  input: { year: number; questionnaireId: number; choices: Record<string, FieldChoice | undefined>; actor: string },
): Promise<KeyingResult> {
  const wave = await waveFor(trx, input.year, 'record-response');
  const questionnaire = await requireQuestionnaire(trx, wave.year);
  const target = await lockQuestionnaire(trx, input.questionnaireId);
  if (!target || target.waveYear !== wave.year) throw new UserError(`Không có phiếu số ${input.questionnaireId} trong đợt ${wave.year}`, 404);
  const keyings = await listKeyingsOf(trx, target.id);
  const [first, second] = keyings;
  if (!first || !second || keyings.some((k) => k.responseId !== null)) {
    throw new UserError(`Phiếu ${target.code} không còn chờ đối chiếu (đã được xử lý hoặc chưa đủ hai lần nhập)`, 409);
  }
  const { settled, picks, differences } = settleKeyings(questionnaire, first, second, input.choices);
  const recorded = await recordResponse(trx, {
    waveYear: wave.year,
    questionnaireId: target.id,
    unitCode: target.unitCode,
    channel: 'paper',
    ...settled,
    enteredBy: input.actor,
  });
  await linkKeyingsToResponse(trx, target.id, recorded.responseId);
  await recordAudit(trx, { actor: input.actor, action: 'paper.settled', waveYear: wave.year, detail: { code: target.code, fields: picks, state: recorded.state } });
  const unitName = (await findUnitName(trx, wave.year, target.unitCode)) ?? target.unitCode;
  const outcome: KeyingOutcome = { kind: 'recorded', state: recorded.state, note: recorded.note, pass: null };
  return { code: target.code, unitName, outcome, message: settledMessage(differences.length, target.code, unitName, outcome) };
}
