import type { Executor, QuestionnaireStatus } from '../db/schema';

/**
 * A questionnaire marked undeliverable or refused at the post office keeps the status it had
 * before, so the marking can be undone, and the reserve released in its place can be taken back
 * while its letter has not gone out.
 */

export async function markNoForm(db: Executor, id: number, outcome: 'undeliverable' | 'refused', before: QuestionnaireStatus): Promise<void> {
  await db.updateTable('questionnaires').set({ status: outcome, status_before_no_form: before, status_changed_at: new Date().toISOString() }).where('id', '=', id).execute();
}

/** The status before the marking; null when the questionnaire is not marked (or was marked before this was kept). */
export async function findStatusBeforeNoForm(db: Executor, id: number): Promise<QuestionnaireStatus | null> {
  const row = await db.selectFrom('questionnaires').select('status_before_no_form').where('id', '=', id).executeTakeFirst();
  return row?.status_before_no_form ?? null;
}

export async function unmarkNoForm(db: Executor, id: number, status: QuestionnaireStatus): Promise<void> {
  await db.updateTable('questionnaires').set({ status, status_before_no_form: null, status_changed_at: new Date().toISOString() }).where('id', '=', id).execute();
}

/** The reserve released to replace `replacedId`, if any. */
export async function findReplacement(db: Executor, replacedId: number): Promise<{ id: number; code: string; status: QuestionnaireStatus } | undefined> {
  return db.selectFrom('questionnaires').select(['id', 'code', 'status']).where('replaces_id', '=', replacedId).where('released', '=', 1).executeTakeFirst();
}

/** Back among the unreleased reserves: the next release (lowest rank first) may pick it again. */
export async function withdrawReserve(db: Executor, id: number): Promise<void> {
  await db.updateTable('questionnaires').set({ released: 0, replaces_id: null, status_changed_at: new Date().toISOString() }).where('id', '=', id).execute();
}
