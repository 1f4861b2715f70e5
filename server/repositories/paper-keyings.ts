import type { Selectable } from 'kysely';
import { z } from 'zod';
import { byteOrder } from '../db/dialect';
import { jsonColumn } from '../db/json-column';
import type { Executor, PaperKeyingTable } from '../db/schema';
import { fetchPage, questionnaireCodeMatches, type ListFilter, type Paged } from './list-page';

/** One keying of a returned paper form: no personal data, only codes and the keyed answers. */
export interface PaperKeying {
  id: number;
  waveYear: number;
  questionnaireId: number;
  pass: 1 | 2;
  enteredBy: string;
  answers: Record<string, number | null>;
  profile: Record<string, string | string[] | null>;
  comment: string | null;
  corrections: number;
  startedAt: string;
  endedAt: string;
  responseId: number | null;
}

export type NewPaperKeying = Omit<PaperKeying, 'id' | 'responseId'>;

/** Criterion code → 1..5, or null for blank. */
const answersColumn = jsonColumn('paper_keyings.answers', z.record(z.string(), z.number().int().min(1).max(5).nullable()));
/** Profile item code → option code (single) or codes (multi). */
const profileColumn = jsonColumn('paper_keyings.profile', z.record(z.string(), z.union([z.string(), z.array(z.string())]).nullable()));

function toKeying(row: Selectable<PaperKeyingTable>): PaperKeying {
  return {
    id: row.id,
    waveYear: row.wave_year,
    questionnaireId: row.questionnaire_id,
    pass: row.pass === 2 ? 2 : 1,
    enteredBy: row.entered_by,
    answers: answersColumn.read(row.answers),
    profile: profileColumn.read(row.profile),
    comment: row.comment,
    corrections: row.corrections,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    responseId: row.response_id,
  };
}

export async function insertPaperKeying(db: Executor, keying: NewPaperKeying): Promise<number> {
  const { id } = await db
    .insertInto('paper_keyings')
    .values({
      wave_year: keying.waveYear,
      questionnaire_id: keying.questionnaireId,
      pass: keying.pass,
      entered_by: keying.enteredBy,
      answers: answersColumn.write(keying.answers),
      profile: profileColumn.write(keying.profile),
      comment: keying.comment,
      corrections: keying.corrections,
      started_at: keying.startedAt,
      ended_at: keying.endedAt,
      response_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/** The keyings of one questionnaire, pass 1 first. */
export async function listKeyingsOf(db: Executor, questionnaireId: number): Promise<PaperKeying[]> {
  const rows = await db.selectFrom('paper_keyings').selectAll().where('questionnaire_id', '=', questionnaireId).orderBy('pass').execute();
  return rows.map(toKeying);
}

export async function linkKeyingsToResponse(db: Executor, questionnaireId: number, responseId: number): Promise<void> {
  await db.updateTable('paper_keyings').set({ response_id: responseId }).where('questionnaire_id', '=', questionnaireId).execute();
}

/** Keyings not yet turned into a response, with their questionnaire's code and unit. */
export async function listOpenKeyings(db: Executor, waveYear: number): Promise<(PaperKeying & { code: string; unitCode: string })[]> {
  const rows = await db
    .selectFrom('paper_keyings')
    .innerJoin('questionnaires', 'questionnaires.id', 'paper_keyings.questionnaire_id')
    .selectAll('paper_keyings')
    .select(['questionnaires.code', 'questionnaires.unit_code'])
    .where('paper_keyings.wave_year', '=', waveYear)
    .where('paper_keyings.response_id', 'is', null)
    .orderBy(byteOrder(db, 'questionnaires.code'))
    .orderBy('paper_keyings.pass')
    .execute();
  return rows.map((r) => ({ ...toKeying(r), code: r.code, unitCode: r.unit_code }));
}

/**
 * One page of the forms keyed twice whose keyings wait for a supervisor (two open keyings of one
 * questionnaire), by questionnaire code: the unit asked for, or the codes matching the search.
 * Their keyings, pass 1 first.
 */
export async function pageMismatchedKeyings(
  db: Executor,
  waveYear: number,
  filter: ListFilter,
  page: number,
  pageSize: number,
): Promise<Paged<(PaperKeying & { code: string; unitCode: string })[]>> {
  let forms = db
    .selectFrom('paper_keyings')
    .innerJoin('questionnaires', 'questionnaires.id', 'paper_keyings.questionnaire_id')
    .select(['paper_keyings.questionnaire_id', 'questionnaires.code'])
    .where('paper_keyings.wave_year', '=', waveYear)
    .where('paper_keyings.response_id', 'is', null)
    .groupBy(['paper_keyings.questionnaire_id', 'questionnaires.code'])
    .having((eb) => eb.fn.countAll(), '>=', 2);
  if (filter.unitCode) forms = forms.where('questionnaires.unit_code', '=', filter.unitCode);
  if (filter.code) forms = forms.where(questionnaireCodeMatches('questionnaires.code', filter.code));
  return fetchPage(
    page,
    async () => Number((await db.selectFrom(forms.as('forms')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    async (limit, offset) => {
      const ids = (await forms.orderBy(byteOrder(db, 'questionnaires.code')).limit(limit).offset(offset).execute()).map((f) => f.questionnaire_id);
      if (ids.length === 0) return [];
      const rows = await db
        .selectFrom('paper_keyings')
        .innerJoin('questionnaires', 'questionnaires.id', 'paper_keyings.questionnaire_id')
        .selectAll('paper_keyings')
        .select(['questionnaires.code', 'questionnaires.unit_code'])
        .where('paper_keyings.questionnaire_id', 'in', ids)
        .where('paper_keyings.response_id', 'is', null)
        .orderBy(byteOrder(db, 'questionnaires.code'))
        .orderBy('paper_keyings.pass')
        .execute();
      const byForm = new Map<number, (PaperKeying & { code: string; unitCode: string })[]>();
      for (const r of rows) byForm.set(r.questionnaire_id, [...(byForm.get(r.questionnaire_id) ?? []), { ...toKeying(r), code: r.code, unitCode: r.unit_code }]);
      return [...byForm.values()];
    },
    pageSize,
  );
}

/** What operator figures are computed from: who keyed, how long it took, how much was corrected. */
export interface KeyingTiming {
  enteredBy: string;
  corrections: number;
  startedAt: string;
  endedAt: string;
}

export async function listKeyingTimings(db: Executor, waveYear: number, enteredBy?: string): Promise<KeyingTiming[]> {
  let query = db
    .selectFrom('paper_keyings')
    .select(['entered_by', 'corrections', 'started_at', 'ended_at'])
    .where('wave_year', '=', waveYear);
  if (enteredBy !== undefined) query = query.where('entered_by', '=', enteredBy);
  const rows = await query.orderBy('ended_at').execute();
  return rows.map((r) => ({ enteredBy: r.entered_by, corrections: r.corrections, startedAt: r.started_at, endedAt: r.ended_at }));
}
