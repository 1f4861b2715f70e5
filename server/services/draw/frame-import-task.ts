import { UserError } from '../../errors';
import type { FrameImport } from '../../repositories/frame-imports';
import type { Db } from '../../db/connect';
import { startLongTask, systemFailure, trackTask } from '../tasks/long-tasks';
import { importFrame, type FrameImportOutcome, type FrameUpload } from './frame-import';

/**
 * A frame import started from the page, followed through its task (long_tasks): the rows read
 * while the file arrives, then while repeats and links are decided, shown to whoever opens the frame page.
 * The upload needs the browser until its last byte; from then on nothing here depends on the
 * connection, so the import ends and is recorded even if the browser has gone.
 */

export function importedMessage(frameImport: FrameImport): string {
  const { fileName, report } = frameImport;
  return `Đã nhập khung mẫu ${fileName}: ${report.rowsAccepted.toLocaleString('vi-VN')} dòng hợp lệ, ${report.rowsRejected.toLocaleString('vi-VN')} dòng bị từ chối`;
}

/** `bytesTotal`: the upload's announced size, for a percentage (null when not announced). */
export async function importFrameFollowed(
  deps: { db: Db; dataDir: string },
  year: number,
  upload: FrameUpload,
  actor: string | null,
  bytesTotal: number | null,
): Promise<FrameImportOutcome> {
  const task = await startLongTask(deps.db, { year, kind: 'frame-import', actor, rowsTotal: null, bytesTotal }, new Date());
  const tracker = trackTask(deps.db, task);
  try {
    const outcome = await importFrame(deps, year, upload, actor, tracker.onProgress);
    await tracker.finish(outcome.ok ? 'done' : 'failed', outcome.ok ? importedMessage(outcome.frameImport) : outcome.error.message);
    return outcome;
  } catch (error) {
    await tracker.finish('failed', error instanceof UserError ? error.message : systemFailure('frame-import'));
    throw error;
  }
}
