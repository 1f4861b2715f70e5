import type { Executor, ResponseChannel, ResponseState } from '../db/schema';

export interface NewResponse {
  waveYear: number;
  questionnaireId: number | null;
  unitCode: string;
  channel: ResponseChannel;
  state: ResponseState;
  /** item code → 1..5, or null for blank / "không ý kiến" */
  answers: Record<string, number | null>;
  /** profile item code → option code(s); the free-text comment goes in `comment` */
  profile: Record<string, string | string[] | null>;
  comment: string | null;
  enteredBy: string | null;
  note?: string | null;
}

/** Stores a response and its answers; call it inside the request's transaction. */
export async function insertResponse(db: Executor, response: NewResponse): Promise<number> {
  const { id } = await db
    .insertInto('responses')
    .values({
      wave_year: response.waveYear,
      questionnaire_id: response.questionnaireId,
      unit_code: response.unitCode,
      channel: response.channel,
      state: response.state,
      profile: JSON.stringify(response.profile),
      answers_json: JSON.stringify(response.answers),
      comment: response.comment,
      created_at: new Date().toISOString(),
      entered_by: response.enteredBy,
      note: response.note ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const answers = Object.entries(response.answers).map(([item_code, value]) => ({ response_id: id, item_code, value }));
  if (answers.length > 0) await db.insertInto('answers').values(answers).execute();
  return id;
}

export interface StoredResponse {
  id: number;
  questionnaireId: number | null;
  unitCode: string;
  channel: ResponseChannel;
  state: ResponseState;
  answers: Record<string, number | null>;
  profile: Record<string, string | string[] | null>;
}

/**
 * The responses of a wave in the given states, with their answers, for analysis. Comments are
 * left out: free text may name people. Answers come from the JSON copy on the response row, so
 * a wave of 100,000 respondents is 100,000 rows, not 1.6 million.
 */
export async function listResponses(db: Executor, waveYear: number, states: ResponseState[] = ['counted']): Promise<StoredResponse[]> {
  const rows = await db
    .selectFrom('responses')
    .select(['id', 'questionnaire_id', 'unit_code', 'channel', 'state', 'profile', 'answers_json'])
    .where('wave_year', '=', waveYear)
    .where('state', 'in', states)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    questionnaireId: r.questionnaire_id,
    unitCode: r.unit_code,
    channel: r.channel,
    state: r.state,
    answers: JSON.parse(r.answers_json) as StoredResponse['answers'],
    profile: JSON.parse(r.profile) as StoredResponse['profile'],
  }));
}
