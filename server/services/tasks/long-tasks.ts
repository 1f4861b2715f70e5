import type { ReadProgress } from '../../../sampling';
import type { Db } from '../../db/connect';
import type { Executor } from '../../db/schema';
import { writeTransaction } from '../../db/unit-of-work';
import { UserError } from '../../errors';
import {
  deleteLongTask,
  failTasksSilentSince,
  finishTask,
  findLatestTask,
  findLongTask,
  findRunningTask,
  insertLongTask,
  updateTaskProgress,
  type LongTask,
  type LongTaskKind,
} from '../../repositories/long-tasks';
import { formatDateTime } from '../draw/draw-rules';
import { waveFor, type WaveAction } from '../waves/wave-policy';

/**
 * Long tasks started from the pages (a frame import, a draw): they run in the server process,
 * whether or not the browser that started them is still there, and their progress lives in the
 * database (long_tasks) so that any instance can show it and refuse a second one of the wave.
 */

/** How often a running task writes its progress (its heartbeat too): a page refreshing every 2 s sees it move. */
const PROGRESS_EVERY_MS = 1000;

/** A running task silent this long (30 heartbeats) was left by a process that died. */
export const SILENT_AFTER_MS = 30_000;

const KINDS: Record<LongTaskKind, { name: string; action: WaveAction; again: string }> = {
  'frame-import': { name: 'Nhập khung mẫu', action: 'import-frame', again: 'hãy nhập lại tệp khung mẫu' },
  draw: { name: 'Bốc mẫu', action: 'draw', again: 'hãy bốc mẫu lại' },
};

/** What a failure that is not a refusal says; the error itself goes to the server's log. */
export function systemFailure(kind: LongTaskKind): string {
  return `${KINDS[kind].name} gặp lỗi máy chủ (đã ghi lại) nên không xong: ${KINDS[kind].again}; nếu lỗi lặp lại, hãy báo người quản trị kỹ thuật.`;
}

/**
 * Marks failed the tasks left 'running' by a process that died: at an instance's start, and
 * before a new task of the wave starts. A live task writes every second, so one silent for
 * SILENT_AFTER_MS is not running anywhere.
 */
export async function failAbandonedTasks(db: Executor, now: Date): Promise<number> {
  const before = new Date(now.getTime() - SILENT_AFTER_MS).toISOString();
  let failed = 0;
  for (const kind of Object.keys(KINDS) as LongTaskKind[]) failed += await failTasksSilentSince(db, kind, before, abandonedOutcome(kind), now.toISOString());
  return failed;
}

function abandonedOutcome(kind: LongTaskKind): string {
  return `${KINDS[kind].name} bị dừng giữa chừng (máy chủ đã tắt hoặc khởi động lại trong lúc chạy), không có gì được ghi: ${KINDS[kind].again}.`;
}

/** Whether a task still marked running has gone silent (its process died; the next start sweep will say so). */
export function isAbandoned(task: LongTask, now: Date): boolean {
  return task.state === 'running' && now.getTime() - Date.parse(task.updatedAt) > SILENT_AFTER_MS;
}

/**
 * Records a new running task of the wave, after checking the wave allows it; refuses while one
 * of the same kind runs (the partial unique index stops two instances racing past this check
 * on PostgreSQL, where waveFor's row lock makes them take turns first).
 */
export async function startLongTask(
  db: Db,
  task: { year: number; kind: LongTaskKind; actor: string | null; rowsTotal: number | null; bytesTotal: number | null },
  now: Date,
): Promise<LongTask> {
  const { name } = KINDS[task.kind];
  return writeTransaction(db, async (trx) => {
    await waveFor(trx, task.year, KINDS[task.kind].action);
    await failAbandonedTasks(trx, now);
    const running = await findRunningTask(trx, task.year, task.kind);
    if (running) {
      throw new UserError(
        `${name} đợt ${task.year} đang chạy, do ${running.actor ?? 'một người không rõ tên'} bắt đầu lúc ${formatDateTime(running.startedAt)} (đã đọc ${running.rowsRead.toLocaleString('vi-VN')} dòng): hãy chờ việc đó xong rồi làm lại`,
        409,
      );
    }
    return insertLongTask(trx, { waveYear: task.year, kind: task.kind, rowsTotal: task.rowsTotal, bytesTotal: task.bytesTotal, startedAt: now.toISOString(), actor: task.actor });
  });
}

export interface TaskTracker {
  /** Give to the reader (sampling's FrameOptions.onProgress): keeps the latest figures in memory only. */
  onProgress: (progress: ReadProgress) => void;
  /** Resolves at the first progress: the task's checks passed and reading has begun. */
  started: Promise<void>;
  finish: (state: 'done' | 'failed', outcome: string) => Promise<void>;
  /** For a task refused before it began: removes its row, as if never started. */
  forget: () => Promise<void>;
}

/**
 * Writes the task's progress about once a second, each time in its own short statement outside
 * the write lock, never per row: the reader only hands its figures over. The write is also the
 * heartbeat that tells a live task from an abandoned one, so it goes on while nothing is read.
 */
export function trackTask(db: Db, task: LongTask): TaskTracker {
  let latest: ReadProgress = { pass: 1, rows: 0, bytes: 0 };
  let began: () => void = () => undefined;
  const started = new Promise<void>((resolve) => (began = resolve));
  let writing: Promise<void> | null = null;
  const timer = setInterval(() => {
    if (writing) return;
    // A failed write is retried at the next tick; the task's end is recorded by finish().
    writing = updateTaskProgress(db, task.id, latest, new Date().toISOString())
      .catch(() => undefined)
      .finally(() => (writing = null));
  }, PROGRESS_EVERY_MS);
  // A task in flight must not keep a stopping process alive.
  timer.unref();
  const stop = async () => {
    clearInterval(timer);
    await writing;
  };
  return {
    onProgress: (progress) => {
      latest = progress;
      began();
    },
    started,
    finish: async (state, outcome) => {
      await stop();
      await finishTask(db, task.id, { state, outcome, progress: latest }, new Date().toISOString());
    },
    forget: async () => {
      await stop();
      await deleteLongTask(db, task.id);
    },
  };
}

/** A running task as the pages show it (survey-web/task-progress.tsx). */
export interface TaskProgressView {
  state: LongTask['state'] | 'abandoned';
  pass: number;
  rowsRead: number;
  /** Of the current pass, 0–100, when the total is known. */
  percent: number | null;
  startedAt: string;
  actor: string | null;
  outcome: string | null;
}

export function taskProgressView(task: LongTask, now: Date): TaskProgressView {
  const total = task.rowsTotal ?? task.bytesTotal;
  const done = task.rowsTotal !== null ? task.rowsRead : task.bytesRead;
  const percent = total ? Math.min(100, Math.floor((100 * done) / total)) : null;
  const abandoned = isAbandoned(task, now);
  return {
    state: abandoned ? 'abandoned' : task.state,
    pass: task.pass,
    rowsRead: task.rowsRead,
    percent,
    startedAt: task.startedAt,
    actor: task.actor,
    outcome: abandoned ? abandonedOutcome(task.kind) : task.outcome,
  };
}

/** What a page shows of its wave's tasks of a kind: the one running, or how one ended. */
export interface PageTask {
  running: TaskProgressView | null;
  ended: { ok: boolean; text: string } | null;
}

/**
 * The running task if any; else the end of the task the page was sent to follow (`followed`,
 * from the redirect after starting it), else the latest task's failure: whoever started it may
 * have closed the page, and it stays in view until a later task of the kind succeeds.
 */
export async function pageTask(db: Executor, year: number, kind: LongTaskKind, followed: number | undefined, now: Date): Promise<PageTask> {
  const latest = await findLatestTask(db, year, kind);
  const latestView = latest && taskProgressView(latest, now);
  if (latestView?.state === 'running') return { running: latestView, ended: null };
  const asked = followed !== undefined ? await findLongTask(db, followed) : undefined;
  if (asked?.waveYear === year && asked.kind === kind) {
    const view = taskProgressView(asked, now);
    return { running: null, ended: view.outcome ? { ok: view.state === 'done', text: view.outcome } : null };
  }
  if (!latestView?.outcome || latestView.state === 'done') return { running: null, ended: null };
  const who = latestView.actor ? ` (do ${latestView.actor})` : '';
  return { running: null, ended: { ok: false, text: `Lần ${KINDS[kind].name.toLowerCase()} bắt đầu lúc ${formatDateTime(latestView.startedAt)}${who} không xong: ${latestView.outcome}` } };
}
