import type { Db } from '../../db/connect';
import { UserError } from '../../errors';
import { findLatestFrameImport } from '../../repositories/frame-imports';
import type { Draw } from '../../repositories/draws';
import { startLongTask, systemFailure, trackTask } from '../tasks/long-tasks';
import { drawTotals, runDraw, type DrawRequest } from './draw';

/**
 * A draw started from the page: it runs in the server process, detached from the request, so
 * closing the browser changes nothing; the page follows it through its task (long_tasks).
 */

/** What the page says once the draw is recorded. */
export function drawnMessage(draw: Draw): string {
  const next = draw.commitmentId !== null ? 'Kiểm tra rồi công bố.' : 'Đây là lần bốc thử (không theo biên bản cam kết): xem được, không công bố được.';
  return `Đã bốc mẫu (bản nháp số ${draw.id}): ${drawTotals(draw).drawn} người chính thức. ${next}`;
}

/**
 * Starts the draw and returns its task id once the answer is known to the person waiting: a
 * refusal (before reading the frame, or one found by reading it — an allocation the frame's
 * units cannot meet — while the person still waits) is thrown and leaves no task, as when the
 * draw ran inside the request; otherwise it returns when the draw has ended or has read for
 * `patienceMs`, and the draw goes on (a small frame is thus drawn by the time the page opens).
 * Whatever ends the draw after that is recorded in its task, including an error, which never
 * reaches the request.
 */
export async function startDraw(
  deps: { db: Db; dataDir: string },
  year: number,
  request: DrawRequest,
  actor: string | null,
  now: Date,
  patienceMs = 1000,
): Promise<number> {
  const { db, dataDir } = deps;
  const frame = await findLatestFrameImport(db, year);
  // The task's times tell a live process from a dead one: the machine's time, not the draw's `now`.
  const task = await startLongTask(db, { year, kind: 'draw', actor, rowsTotal: frame?.report.rowsRead ?? null, bytesTotal: null }, new Date());
  const tracker = trackTask(db, task);
  let reading = false;
  // Who answers the request, decided once: a refusal while the person waits, or the patience
  // running out (from then on the draw's end goes to its task).
  let answered = false;
  const claimAnswer = () => !answered && (answered = true);
  const ended: Promise<{ refused: unknown } | null> = runDraw(db, year, request, actor, {
    now,
    dataDir,
    onProgress: (progress) => {
      reading = true;
      tracker.onProgress(progress);
    },
  }).then(
    async (draw) => {
      await tracker.finish('done', drawnMessage(draw));
      return null;
    },
    async (error: unknown) => {
      if (!reading || (error instanceof UserError && claimAnswer())) {
        await tracker.forget();
        return { refused: error };
      }
      if (!(error instanceof UserError)) console.error(`Lỗi bốc mẫu đợt ${year}:`, error);
      await tracker.finish('failed', error instanceof UserError ? error.message : systemFailure('draw'));
      return null;
    },
  );
  // Recording the end failed too (the database went away): the task is left to the start sweep.
  ended.catch((error: unknown) => console.error(`Lỗi ghi kết quả bốc mẫu đợt ${year}:`, error));
  const patience = tracker.started.then(() => new Promise<null>((resolve) => setTimeout(() => claimAnswer() && resolve(null), patienceMs).unref()));
  const first = await Promise.race([ended, patience]);
  if (first) throw first.refused;
  return task.id;
}
