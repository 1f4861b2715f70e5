/**
 * The one pass over a wave's responses that the results are computed from, in batches, keeping
 * none of them: a wave of a million responses never sits in memory whole. A pass can be carried
 * on later from where it stopped (kept-tally.ts), since responses are only ever added.
 */
import type { Questionnaire } from '../../../analysis/questionnaire';
import type { ResponseRecord } from '../../../analysis/types';
import type { Executor } from '../../db/schema';
import { responseBatches, type StoredResponse } from '../../repositories/responses';

/**
 * Responses the collection side marked counted or invalid. Both go to analysis, which applies
 * the wave's validity rule itself, so a rule changed after entry takes effect everywhere.
 * Duplicates kept for review and pending double-entry forms are not results.
 */
export const ANALYSED_STATES = ['counted', 'invalid'] as const;

/** Per unit: responses from the drawn list and anonymous ones (imported rows naming only the unit). */
export type AnsweredCounts = Map<string, { drawn: number; anonymous: number }>;

/** What a pass over a wave's responses tells the service besides the tables. */
export interface ResponsePass {
  answered: AnsweredCounts;
  /** Stored as counted, invalid under the wave's rule now; and the other way round. */
  countedButInvalid: number;
  invalidButValid: number;
  /** The greatest response id read (0 before any), and how many responses were read. */
  lastId: number;
  responses: number;
}

export function newPass(): ResponsePass {
  return { answered: new Map(), countedButInvalid: 0, invalidButValid: 0, lastId: 0, responses: 0 };
}

/**
 * Only the questionnaire's choice items reach analysis: anything else stored with the answers
 * (free text from older forms, the comment) may name people.
 */
function toRecord(r: StoredResponse, choiceItems: Set<string>): ResponseRecord {
  const profile: ResponseRecord['profile'] = {};
  for (const [code, value] of Object.entries(r.profile)) if (choiceItems.has(code)) profile[code] = value;
  return { unitCode: r.unitCode, channel: r.channel, answers: r.answers, profile };
}

/**
 * Reads the wave's analysed responses after `pass.lastId` in id order and hands each to
 * `onRecord` as the analysis library's record, counting into `pass`. `onRecord` returns whether
 * the response is valid under the wave's rule when it applies it.
 */
export async function passResponses(
  db: Executor,
  year: number,
  q: Questionnaire,
  pass: ResponsePass,
  onRecord: (r: ResponseRecord) => boolean | void,
): Promise<void> {
  const choiceItems = new Set(q.profile.map((p) => p.code));
  for await (const batch of responseBatches(db, year, [...ANALYSED_STATES], { afterId: pass.lastId })) {
    for (const r of batch) {
      let counts = pass.answered.get(r.unitCode);
      if (!counts) pass.answered.set(r.unitCode, (counts = { drawn: 0, anonymous: 0 }));
      if (r.questionnaireId === null) counts.anonymous++;
      else counts.drawn++;
      const valid = onRecord(toRecord(r, choiceItems));
      if (r.state === 'counted' && valid === false) pass.countedButInvalid++;
      if (r.state === 'invalid' && valid === true) pass.invalidButValid++;
      pass.lastId = r.id;
      pass.responses++;
    }
  }
}
