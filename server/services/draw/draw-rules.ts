import type { Draw } from '../../repositories/draws';

/**
 * The rules about the draw itself (the wave's state is wave-policy's): when a draw may replace
 * the current one, and when a draft may be published. Evaluated inside the transaction that
 * records the draw or the publication; a route or command only passes the request on.
 */

type CurrentDraw = Pick<Draw, 'id' | 'waveYear' | 'status' | 'publishedAt' | 'commitmentId'>;

export function formatDateTime(iso: string): string {
  return new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
}

/** What a person asked for along with a new draw: whether it may replace a published one, and why. */
export interface RedrawRequest {
  redraw: boolean;
  /** Trimmed; '' when none was given. */
  reason: string;
}

/**
 * Why a new draw may not replace `current`, or null. A draft is simply replaced; a published
 * draw only on an explicit redraw with a reason, and never once responses exist (they answer
 * the published sample).
 */
export function redrawRefusal(year: number, current: CurrentDraw | undefined, request: RedrawRequest, responseCount: number): string | null {
  if (request.redraw && request.reason === '') return `Bốc lại mẫu của đợt ${year} cần ghi lý do (ô "Lý do" trên trang, hoặc --reason "…" ở dòng lệnh)`;
  if (current?.status !== 'published') return null;
  if (!request.redraw) {
    return `Mẫu của đợt ${year} đã công bố lúc ${formatDateTime(current.publishedAt!)} và không thể bốc lại ngầm; muốn bốc lại phải chọn "bốc lại" (--redraw) và ghi lý do (--reason)`;
  }
  if (responseCount > 0) return `Đợt ${year} đã có ${responseCount} phiếu trả lời: không thể bốc lại mẫu`;
  return null;
}

/**
 * Why `current` may not be published, or null. `expectedDrawId` is the draft the person looked
 * at (the draw page sends it): if another was drawn since, publishing it unseen would be wrong.
 * Only a draw made under a commitment is published: its seed came from a public source named
 * before it existed, so nobody could redraw privately until a liked sample appeared. A free
 * draw is a trial (to see what an allocation gives), never the sample.
 */
export function publishRefusal(year: number, current: CurrentDraw | undefined, expectedDrawId?: number): string | null {
  if (!current) return `Đợt ${year} chưa bốc mẫu: không có gì để công bố`;
  if (expectedDrawId !== undefined && current.id !== expectedDrawId) {
    return `Lần bốc đang xem (số ${expectedDrawId}) không còn là bản nháp hiện tại; hãy xem lại trang`;
  }
  if (current.status === 'published') return `Mẫu của đợt ${year} đã công bố lúc ${formatDateTime(current.publishedAt!)}`;
  if (current.commitmentId === null) return trialDrawRefusal(current.id);
  return null;
}

export function trialDrawRefusal(drawId: number): string {
  return `Lần bốc số ${drawId} là bốc thử, không theo biên bản cam kết nào, nên không công bố được: hãy lập biên bản cam kết (bước 1 trên trang bốc mẫu, hoặc lệnh draw commit), chờ ngày quay số công khai đã ghi, rồi bốc bằng số kết quả`;
}
