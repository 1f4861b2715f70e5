import type { Executor, WaveStatus } from '../../db/schema';
import { UserError } from '../../errors';
import { findWaveForUpdate, type Wave } from '../../repositories/waves';

/**
 * Every "is this allowed in the wave's state?" rule, in one place, each with one Vietnamese
 * message. Services call `waveFor(trx, year, action)` inside the transaction that does the work
 * (writeTransaction), so the state checked is the state the writes land on.
 */

export type WaveAction =
  | 'edit-units'
  | 'change-eligibility'
  | 'import-frame'
  | 'draw'
  | 'publish-draw'
  | 'record-response'
  | 'change-rules'
  | 'import-previous'
  | 'import-boundaries'
  | 'close'
  | 'purge-personal-data'
  | 'send-mailing';

const OPEN: readonly WaveStatus[] = ['setup', 'drawn', 'collecting'];
const ANY: readonly WaveStatus[] = [...OPEN, 'closed'];

/** The states an action is allowed in, and what the refusal calls the action. */
const RULES: Record<WaveAction, { allowed: readonly WaveStatus[]; what: string }> = {
  // The draw's strata and eligibility are fixed once people are drawn.
  'edit-units': { allowed: ['setup'], what: 'thay danh sách đơn vị' },
  'change-eligibility': { allowed: ['setup'], what: 'đổi kỳ hồ sơ hay quy tắc chọn tổ chức' },
  'import-frame': { allowed: OPEN, what: 'nhập khung mẫu' },
  'draw': { allowed: OPEN, what: 'bốc mẫu' },
  'publish-draw': { allowed: OPEN, what: 'công bố mẫu' },
  'record-response': { allowed: OPEN, what: 'nhận thêm phiếu trả lời' },
  // A closed wave's results are final: a rule change would change its published figures.
  'change-rules': { allowed: OPEN, what: 'đổi quy tắc' },
  'import-previous': { allowed: OPEN, what: 'thay chỉ số năm trước' },
  // The map only draws the figures: a closed wave's map may still get its communes' outlines.
  'import-boundaries': { allowed: ANY, what: 'nhập ranh giới xã, phường' },
  'close': { allowed: OPEN, what: 'khóa đợt' },
  // Personal data goes only once nothing more can be sent or received.
  'purge-personal-data': { allowed: ['closed'], what: 'xóa dữ liệu cá nhân' },
  // Letters and the post-office list need the contacts: possible in any state until they are purged.
  'send-mailing': { allowed: ANY, what: 'in thư hay xuất danh sách gửi' },
};

/** Why `action` is not allowed in the wave's state, or null when it is. */
export function refusal(wave: Pick<Wave, 'year' | 'status'> & Partial<Pick<Wave, 'personalDataPurgedAt'>>, action: WaveAction): string | null {
  const rule = RULES[action];
  if (action === 'send-mailing' && wave.personalDataPurgedAt) return `Dữ liệu cá nhân của đợt ${wave.year} đã được xóa: không thể ${rule.what}`;
  if (rule.allowed.includes(wave.status)) return null;
  const year = wave.year;
  switch (action) {
    case 'record-response':
      return `Đợt khảo sát ${year} đã kết thúc, không nhận thêm phiếu trả lời`;
    case 'close':
      return `Đợt ${year} đã khóa từ trước`;
    case 'purge-personal-data':
      return `Đợt ${year} chưa khóa: hãy khóa đợt (wave close) trước khi xóa dữ liệu cá nhân`;
    default:
      return wave.status === 'closed' ? `Đợt ${year} đã khóa: không ${rule.what} được nữa` : `Đợt ${year} đã bốc mẫu: không ${rule.what} được nữa`;
  }
}

/** Throws the refusal as a 409 when `action` is not allowed. */
export function assertAllowed(wave: Pick<Wave, 'year' | 'status'> & Partial<Pick<Wave, 'personalDataPurgedAt'>>, action: WaveAction): void {
  const reason = refusal(wave, action);
  if (reason) throw new UserError(reason, 409);
}

export function waveNotFound(year: number | string): UserError {
  return new UserError(`Không có đợt khảo sát năm ${year}`, 404);
}

/**
 * The wave, read (and on PostgreSQL row-locked) inside the caller's transaction, after checking
 * that `action` is allowed in its state. A missing wave is a 404.
 */
export async function waveFor(trx: Executor, year: number, action: WaveAction): Promise<Wave> {
  const wave = await findWaveForUpdate(trx, year);
  if (!wave) throw waveNotFound(year);
  assertAllowed(wave, action);
  return wave;
}
