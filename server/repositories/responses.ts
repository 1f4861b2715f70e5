import { reusableQuery } from '../db/connect';
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

// Every submission runs these, so they are built once (the answers insert once per row count).
const insertResponseRow = reusableQuery(
  (
    db,
    waveYear: number,
    questionnaireId: number | null,
    unitCode: string,
    channel: ResponseChannel,
    state: ResponseState,
    profile: string,
    answersJson: string,
    comment: string | null,
    createdAt: string,
    enteredBy: string | null,
    note: string | null,
  ) =>
    db
      .insertInto('responses')
      .values({
        wave_year: waveYear,
        questionnaire_id: questionnaireId,
        unit_code: unitCode,
        channel,
        state,
        profile,
        answers_json: answersJson,
        comment,
        created_at: createdAt,
        entered_by: enteredBy,
        note,
      })
      .returning('id'),
);

const insertAnswersByCount = new Map<number, ReturnType<typeof insertAnswersQuery>>();

/** Arguments: response id, item code and value for each row in turn. */
function insertAnswersQuery(rows: number) {
  return reusableQuery((db, ...values: unknown[]) =>
    db.insertInto('answers').values(
      Array.from({ length: rows }, (_, i) => ({ response_id: values[3 * i] as number, item_code: values[3 * i + 1] as string, value: values[3 * i + 2] as number | null })),
    ),
  );
}

/** Stores a response and its answers; call it inside the request's transaction. */
export async function insertResponse(db: Executor, response: NewResponse): Promise<number> {
  const { rows } = await insertResponseRow(
    db,
    response.waveYear,
    response.questionnaireId,
    response.unitCode,
    response.channel,
    response.state,
    JSON.stringify(response.profile),
    JSON.stringify(response.answers),
    response.comment,
    new Date().toISOString(),
    response.enteredBy,
    response.note ?? null,
  );
  if (rows.length !== 1) throw new Error('INSERT INTO responses returned no id');
  const id = rows[0].id;
  const answers = Object.entries(response.answers);
  if (answers.length > 0) {
    let insertAnswers = insertAnswersByCount.get(answers.length);
    if (!insertAnswers) insertAnswersByCount.set(answers.length, (insertAnswers = insertAnswersQuery(answers.length)));
    await insertAnswers(db, ...answers.flatMap(([itemCode, value]) => [id, itemCode, value]));
  }
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
