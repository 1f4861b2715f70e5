import { sql, type Selectable } from 'kysely';
import { z } from 'zod';
import { reusableQuery } from '../db/connect';
import { jsonColumn } from '../db/json-column';
import type { Executor, ResponseChannel, ResponseState, ResponseTable } from '../db/schema';

type Answers = Record<string, number | null>;
type Profile = Record<string, string | string[] | null>;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Analysis reads every response of a wave (100,000 rows) through these: the checks are plain
// loops (z.custom) because z.record would cost more than reading the rows themselves.
const answersColumn = jsonColumn(
  'responses.answers_json',
  z.custom<Answers>(
    (value) => isPlainObject(value) && Object.values(value).every((v) => v === null || v === 1 || v === 2 || v === 3 || v === 4 || v === 5),
    'cần một đối tượng mã tiêu chí → 1–5 hoặc null',
  ),
);
const profileColumn = jsonColumn(
  'responses.profile',
  z.custom<Profile>(
    (value) => isPlainObject(value) && Object.values(value).every((v) => v === null || typeof v === 'string' || (Array.isArray(v) && v.every((c) => typeof c === 'string'))),
    'cần một đối tượng mã câu hỏi → mã lựa chọn, danh sách mã hoặc null',
  ),
);

export interface NewResponse {
  waveYear: number;
  questionnaireId: number | null;
  unitCode: string;
  channel: ResponseChannel;
  state: ResponseState;
  /** item code → 1..5, or null for blank / "không ý kiến" */
  answers: Answers;
  /** profile item code → option code(s); the free-text comment goes in `comment` */
  profile: Profile;
  comment: string | null;
  enteredBy: string | null;
  note?: string | null;
}

type ResponseRowArgs = [
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
];

function responseRow(...[waveYear, questionnaireId, unitCode, channel, state, profile, answersJson, comment, createdAt, enteredBy, note]: ResponseRowArgs) {
  return { wave_year: waveYear, questionnaire_id: questionnaireId, unit_code: unitCode, channel, state, profile, answers_json: answersJson, comment, created_at: createdAt, entered_by: enteredBy, note };
}

function responseRowArgs(response: NewResponse): ResponseRowArgs {
  return [
    response.waveYear,
    response.questionnaireId,
    response.unitCode,
    response.channel,
    response.state,
    profileColumn.write(response.profile),
    answersColumn.write(response.answers),
    response.comment,
    new Date().toISOString(),
    response.enteredBy,
    response.note ?? null,
  ];
}

// Every submission runs these, so they are built once.
const insertResponseRow = reusableQuery((db, ...row: ResponseRowArgs) => db.insertInto('responses').values(responseRow(...row)).returning('id'));

// The conflict target names the partial unique index responses_one_counted (a literal, so both
// SQLite and PostgreSQL can match it to the index's own WHERE).
const insertFirstCountedRow = reusableQuery((db, ...row: ResponseRowArgs) =>
  db
    .insertInto('responses')
    .values(responseRow(...row))
    .onConflict((oc) => oc.column('questionnaire_id').where(sql.ref('state'), '=', sql.lit('counted')).doNothing())
    .returning('id'),
);

/** Stores a response and its answers; call it inside the request's transaction. */
export async function insertResponse(db: Executor, response: NewResponse): Promise<number> {
  const [row] = (await insertResponseRow(db, ...responseRowArgs(response))).rows;
  if (!row) throw new Error('INSERT INTO responses returned no id');
  return row.id;
}

/**
 * Stores the questionnaire's counted response and its answers, unless it already has one: then
 * nothing is written and the result is undefined. The partial unique index decides, so the
 * common case needs no separate look-up for an earlier counted response.
 */
export async function insertFirstCountedResponse(db: Executor, response: Omit<NewResponse, 'state' | 'note'>): Promise<number | undefined> {
  const [row] = (await insertFirstCountedRow(db, ...responseRowArgs({ ...response, state: 'counted', note: null }))).rows;
  return row?.id;
}

export interface StoredResponse {
  id: number;
  questionnaireId: number | null;
  unitCode: string;
  channel: ResponseChannel;
  state: ResponseState;
  answers: Answers;
  profile: Profile;
}

type StoredRow = Pick<Selectable<ResponseTable>, 'id' | 'questionnaire_id' | 'unit_code' | 'channel' | 'state' | 'profile' | 'answers_json'>;

function selectResponses(db: Executor, waveYear: number, states: ResponseState[], afterId = 0) {
  return db
    .selectFrom('responses')
    .select(['id', 'questionnaire_id', 'unit_code', 'channel', 'state', 'profile', 'answers_json'])
    .where('wave_year', '=', waveYear)
    .where('state', 'in', states)
    .$if(afterId > 0, (q) => q.where('id', '>', afterId))
    .orderBy('id');
}

function storedResponse(r: StoredRow): StoredResponse {
  return {
    id: r.id,
    questionnaireId: r.questionnaire_id,
    unitCode: r.unit_code,
    channel: r.channel,
    state: r.state,
    answers: answersColumn.read(r.answers_json),
    profile: profileColumn.read(r.profile),
  };
}

/**
 * The responses of a wave in the given states, with their answers, for analysis. Comments are
 * left out: free text may name people. Answers come from the JSON copy on the response row, so
 * a wave of 100,000 respondents is 100,000 rows, not 1.6 million.
 */
export async function listResponses(db: Executor, waveYear: number, states: ResponseState[] = ['counted']): Promise<StoredResponse[]> {
  return (await selectResponses(db, waveYear, states).execute()).map(storedResponse);
}

/**
 * Rows per batch of `responseBatches` (and per round trip of the PostgreSQL cursor): small enough
 * that each batch's objects die young. With 10,000 a 200,000-response wave spent 36 % of its
 * analysis in the garbage collector (rows outlived a young-generation collection), with 1,000 15 %.
 */
export const RESPONSE_BATCH = 1000;

/**
 * The same responses, in the same order (by id), as batches of at most `batchSize`: a country's
 * wave (a million responses) is read from one query (one snapshot) without ever holding all its
 * rows. The query holds its connection until the last batch is taken or the loop stops: run
 * nothing else on the same executor meanwhile (on SQLite a write would fail, the statement
 * still being read). With `afterId`, only the responses with a greater id.
 */
export async function* responseBatches(
  db: Executor,
  waveYear: number,
  states: ResponseState[],
  { batchSize = RESPONSE_BATCH, afterId = 0 }: { batchSize?: number; afterId?: number } = {},
): AsyncGenerator<StoredResponse[]> {
  let batch: StoredResponse[] = [];
  for await (const row of selectResponses(db, waveYear, states, afterId).stream(batchSize)) {
    batch.push(storedResponse(row));
    if (batch.length === batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

export interface KeptResponse {
  id: number;
  channel: ResponseChannel;
  state: ResponseState;
  answers: Answers;
  profile: Profile;
  comment: string | null;
  createdAt: string;
}

/** Every response stored for one questionnaire (a handful at most: recordResponse bounds them). */
export async function listQuestionnaireResponses(db: Executor, questionnaireId: number): Promise<KeptResponse[]> {
  const rows = await db
    .selectFrom('responses')
    .select(['id', 'channel', 'state', 'profile', 'answers_json', 'comment', 'created_at'])
    .where('questionnaire_id', '=', questionnaireId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    channel: r.channel,
    state: r.state,
    answers: answersColumn.read(r.answers_json),
    profile: profileColumn.read(r.profile),
    comment: r.comment,
    createdAt: r.created_at,
  }));
}
