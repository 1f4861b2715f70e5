import type { FlashMessage } from './layout';
import { formatDateTime } from './pages/frame-page';

/** A frame import or draw running on the server, as its page shows it (server/services/tasks/). */
export interface RunningTaskView {
  pass: number;
  rowsRead: number;
  /** Of the current pass, 0–100, when the total is known. */
  percent: number | null;
  startedAt: string;
  actor: string | null;
}

/** Seconds between the reloads of a page following a running task. */
export const TASK_REFRESH_SECONDS = 2;

/** "Đang bốc mẫu… đã đọc N dòng (P %)", who started it and when, and that the browser may be closed. */
export function TaskProgress({ doing, task }: { doing: string; task: RunningTaskView }) {
  const percent = task.percent !== null ? ` (${task.percent} %)` : '';
  const pass = task.pass > 1 ? ' — đã đọc hết tệp, đang đối chiếu mã hồ sơ trùng và người nộp nhiều hồ sơ' : '';
  return (
    <div class="ok" id="task-progress" role="status">
      <p style="margin:0">
        <strong>{doing}…</strong> đã đọc {task.rowsRead.toLocaleString('vi-VN')} dòng{percent}
        {pass}.
      </p>
      <p style="margin:0">
        Bắt đầu lúc {formatDateTime(task.startedAt)}
        {task.actor ? `, do ${task.actor}` : ''}. Việc chạy trên máy chủ: có thể đóng trình duyệt, kết quả vẫn được ghi. Trang tự cập nhật sau mỗi {TASK_REFRESH_SECONDS} giây.
      </p>
    </div>
  );
}

/** How a task ended, as the page's message: its result, or why it failed. */
export function endedFlash(ended: { ok: boolean; text: string } | null): FlashMessage | undefined {
  return ended ? { kind: ended.ok ? 'ok' : 'error', text: ended.text } : undefined;
}
