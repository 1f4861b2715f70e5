import type { Selectable } from 'kysely';
import type { Executor, LongTaskTable } from '../db/schema';

export type LongTaskKind = LongTaskTable['kind'];

/** A frame import or draw started from a page (services/tasks/long-tasks.ts). */
export interface LongTask {
  id: number;
  waveYear: number;
  kind: LongTaskKind;
  state: LongTaskTable['state'];
  pass: number;
  rowsRead: number;
  rowsTotal: number | null;
  bytesRead: number;
  bytesTotal: number | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  outcome: string | null;
  actor: string | null;
}

function toTask(row: Selectable<LongTaskTable>): LongTask {
  return {
    id: row.id,
    waveYear: row.wave_year,
    kind: row.kind,
    state: row.state,
    pass: row.pass,
    rowsRead: row.rows_read,
    rowsTotal: row.rows_total,
    bytesRead: row.bytes_read,
    bytesTotal: row.bytes_total,
    startedAt: row.started_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    actor: row.actor,
  };
}

export async function insertLongTask(
  db: Executor,
  task: { waveYear: number; kind: LongTaskKind; rowsTotal: number | null; bytesTotal: number | null; startedAt: string; actor: string | null },
): Promise<LongTask> {
  const row = {
    wave_year: task.waveYear,
    kind: task.kind,
    state: 'running' as const,
    pass: 1,
    rows_read: 0,
    rows_total: task.rowsTotal,
    bytes_read: 0,
    bytes_total: task.bytesTotal,
    started_at: task.startedAt,
    updated_at: task.startedAt,
    finished_at: null,
    outcome: null,
    actor: task.actor,
  };
  const { id } = await db.insertInto('long_tasks').values(row).returning('id').executeTakeFirstOrThrow();
  return toTask({ id, ...row });
}

export async function findLongTask(db: Executor, id: number): Promise<LongTask | undefined> {
  const row = await db.selectFrom('long_tasks').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toTask(row);
}

/** The wave's latest task of a kind, running or ended. */
export async function findLatestTask(db: Executor, waveYear: number, kind: LongTaskKind): Promise<LongTask | undefined> {
  const row = await db.selectFrom('long_tasks').selectAll().where('wave_year', '=', waveYear).where('kind', '=', kind).orderBy('id', 'desc').executeTakeFirst();
  return row && toTask(row);
}

export async function findRunningTask(db: Executor, waveYear: number, kind: LongTaskKind): Promise<LongTask | undefined> {
  const row = await db.selectFrom('long_tasks').selectAll().where('wave_year', '=', waveYear).where('kind', '=', kind).where('state', '=', 'running').executeTakeFirst();
  return row && toTask(row);
}

/** How far a running task has read; also its heartbeat. A task that ended is left as it ended. */
export async function updateTaskProgress(db: Executor, id: number, progress: { pass: number; rows: number; bytes: number }, at: string): Promise<void> {
  await db
    .updateTable('long_tasks')
    .set({ pass: progress.pass, rows_read: progress.rows, bytes_read: progress.bytes, updated_at: at })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .execute();
}

/** Ends a running task with its last figures. */
export async function finishTask(
  db: Executor,
  id: number,
  end: { state: 'done' | 'failed'; outcome: string; progress: { pass: number; rows: number; bytes: number } },
  at: string,
): Promise<void> {
  const { state, outcome, progress } = end;
  await db
    .updateTable('long_tasks')
    .set({ state, outcome, pass: progress.pass, rows_read: progress.rows, bytes_read: progress.bytes, finished_at: at, updated_at: at })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .execute();
}

/** Marks failed, with `outcome`, the running tasks of a kind whose last heartbeat is before `before`; returns how many. */
export async function failTasksSilentSince(db: Executor, kind: LongTaskKind, before: string, outcome: string, at: string): Promise<number> {
  const result = await db
    .updateTable('long_tasks')
    .set({ state: 'failed', outcome, finished_at: at, updated_at: at })
    .where('kind', '=', kind)
    .where('state', '=', 'running')
    .where('updated_at', '<', before)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** A task refused before it started is no task: it leaves no row. */
export async function deleteLongTask(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('long_tasks').where('id', '=', id).execute();
}
