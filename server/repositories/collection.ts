import { reusableQuery } from '../db/connect';
import { lockingRead } from '../db/dialect';
import type { Executor, QuestionnaireStatus, ResponseChannel, ResponseState } from '../db/schema';

/** A drawn person's questionnaire as collection sees it: codes and status, no personal data. */
export interface CollectionQuestionnaire {
  id: number;
  waveYear: number;
  unitCode: string;
  code: string;
  token: string;
  status: QuestionnaireStatus;
  /** May be printed and sent: primaries at publish, reserves once they replace someone. */
  released: boolean;
}

const columns = ['id', 'wave_year', 'unit_code', 'code', 'token', 'status', 'released'] as const;

function toQuestionnaire(row: { id: number; wave_year: number; unit_code: string; code: string; token: string; status: QuestionnaireStatus; released: number }): CollectionQuestionnaire {
  return { id: row.id, waveYear: row.wave_year, unitCode: row.unit_code, code: row.code, token: row.token, status: row.status, released: row.released === 1 };
}

// The queries every citizen's page view or submission runs are built once (see reusableQuery).
const selectByToken = reusableQuery((db, token: string) => db.selectFrom('questionnaires').select(columns).where('token', '=', token));

export async function findQuestionnaireByToken(db: Executor, token: string): Promise<CollectionQuestionnaire | undefined> {
  const [row] = (await selectByToken(db, token)).rows;
  return row && toQuestionnaire(row);
}

export async function findQuestionnaireByCode(db: Executor, code: string): Promise<CollectionQuestionnaire | undefined> {
  const row = await db.selectFrom('questionnaires').select(columns).where('code', '=', code).executeTakeFirst();
  return row && toQuestionnaire(row);
}

/** Every questionnaire of a wave by printed code, for checking a whole import file at once. */
export async function mapQuestionnairesByCode(db: Executor, waveYear: number): Promise<Map<string, CollectionQuestionnaire>> {
  const rows = await db.selectFrom('questionnaires').select(columns).where('wave_year', '=', waveYear).execute();
  return new Map(rows.map((r) => [r.code, toQuestionnaire(r)]));
}

const lockById = reusableQuery((db, id: number) => db.updateTable('questionnaires').set((eb) => ({ status: eb.ref('status') })).where('id', '=', id).returning(columns));

/**
 * Takes the write lock on one questionnaire before reading its responses. The UPDATE changes
 * nothing, but SQLite grants the database write lock to its transaction (waiting out another
 * writer under busy_timeout instead of failing on a stale snapshot), and PostgreSQL locks the
 * row: either way the check for an earlier counted response and the insert that follows cannot
 * interleave with another submission for the same questionnaire.
 */
export async function lockQuestionnaire(db: Executor, id: number): Promise<CollectionQuestionnaire | undefined> {
  const [row] = (await lockById(db, id)).rows;
  return row && toQuestionnaire(row);
}

const lockByToken = reusableQuery((db, token: string) => lockingRead(db, db.selectFrom('questionnaires').select(columns).where('token', '=', token)));

/**
 * lockQuestionnaire for a QR submission, which knows only the token: finding and locking is one
 * statement. Only inside a transaction that began with takeWriteLock.
 */
export async function lockQuestionnaireByToken(db: Executor, token: string): Promise<CollectionQuestionnaire | undefined> {
  const [row] = (await lockByToken(db, token)).rows;
  return row && toQuestionnaire(row);
}

export interface ResponseSummary {
  id: number;
  channel: ResponseChannel;
  state: ResponseState;
  createdAt: string;
}

const selectCounted = reusableQuery((db, questionnaireId: number) =>
  db.selectFrom('responses').select(['id', 'channel', 'state', 'created_at']).where('questionnaire_id', '=', questionnaireId).where('state', '=', 'counted'),
);

/** The questionnaire's counted response, if any. */
export async function findCountedResponse(db: Executor, questionnaireId: number): Promise<ResponseSummary | undefined> {
  const [row] = (await selectCounted(db, questionnaireId)).rows;
  return row && { id: row.id, channel: row.channel, state: row.state, createdAt: row.created_at };
}

const updateStatus = reusableQuery((db, id: number, status: QuestionnaireStatus, at: string) =>
  db.updateTable('questionnaires').set({ status, status_changed_at: at }).where('id', '=', id),
);

export async function setQuestionnaireStatus(db: Executor, id: number, status: QuestionnaireStatus): Promise<void> {
  await updateStatus(db, id, status, new Date().toISOString());
}

export async function findUnitName(db: Executor, waveYear: number, unitCode: string): Promise<string | undefined> {
  const row = await db.selectFrom('units').select('name').where('wave_year', '=', waveYear).where('code', '=', unitCode).executeTakeFirst();
  return row?.name;
}
