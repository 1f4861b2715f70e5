import { allocate, withVersion, type Allocation } from '../../../sampling';
import type { Executor } from '../../db/schema';
import { UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { insertCommitment, type DrawCommitment } from '../../repositories/draw-commitments';
import type { Draw } from '../../repositories/draws';
import { findLatestFrameImport } from '../../repositories/frame-imports';
import { describeAllocation } from './allocation-input';
import { commitmentTooLate, dayInVietnam, isCalendarDate, seedFollowingRule, vietnameseDate } from './seed-rule';
import { waveFor } from '../waves/wave-policy';

/**
 * Commit–reveal. The administrator first fixes the frame (its SHA-256), the allocation, the
 * reserve and the rule that will give the seed: a public source named in advance, drawn on a
 * stated later day. The record is printed and signed (Fatherland Front); only then does the
 * seed exist, and the draw takes it only if it follows the rule. Nobody can redraw privately
 * until a liked sample appears, because the seed is no longer theirs to choose.
 */

export interface CommitRequest {
  seedSource: string;
  /** yyyy-mm-dd */
  seedDate: string;
  seedDigits: number;
  allocation: Allocation;
  reservePercent: number;
}

export async function commitDraw(trx: Executor, year: number, request: CommitRequest, actor: string | null, now = new Date()): Promise<DrawCommitment> {
  await waveFor(trx, year, 'draw');
  const source = request.seedSource.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (source === '') throw new UserError('Cần ghi nguồn công khai của hạt giống (ô "Nguồn", --seed-rule), ví dụ "Xổ số kiến thiết An Giang, giải đặc biệt"');
  if (!isCalendarDate(request.seedDate)) {
    throw new UserError(`Ngày quay phải là một ngày có thật dạng yyyy-mm-dd (nhận được "${request.seedDate}")`);
  }
  if (!(Number.isInteger(request.seedDigits) && request.seedDigits >= 1 && request.seedDigits <= 20)) {
    throw new UserError(`Số chữ số của kết quả phải là số nguyên từ 1 đến 20 (nhận được "${request.seedDigits}")`);
  }
  const seedRule = { source, date: request.seedDate, digits: request.seedDigits };
  const late = commitmentTooLate(seedRule, now);
  if (late) throw new UserError(late);
  const frame = await findLatestFrameImport(trx, year);
  if (!frame || !frame.storedFile) throw new UserError(`Đợt ${year} chưa có khung mẫu để cam kết: hãy nhập khung mẫu trước`, 409);
  // The allocation rules' version is fixed with the rest: a commitment read back without one
  // would be drawn under version 1's rules.
  const allocation = withVersion(request.allocation);
  plannedSizes(frame.report.eligibleByUnit, allocation);
  const commitment = await insertCommitment(trx, {
    waveYear: year,
    frameImportId: frame.id,
    frameSha256: frame.fileSha256,
    allocation,
    reservePercent: request.reservePercent,
    seedRule,
    createdAt: now.toISOString(),
    createdBy: actor,
  });
  await recordAudit(trx, {
    actor,
    action: 'draw.commit',
    waveYear: year,
    detail: { commitmentId: commitment.id, frameSha256: frame.fileSha256, allocation, reservePercent: request.reservePercent, seedRule },
  });
  return commitment;
}

/** n per unit under the allocation, for the record; an impossible allocation is refused before anything is signed. */
export function plannedSizes(eligibleByUnit: Record<string, number>, allocation: Allocation): Record<string, number> {
  try {
    return allocate(eligibleByUnit, allocation);
  } catch (error) {
    if (error instanceof RangeError) throw new UserError(error.message);
    throw error;
  }
}

/**
 * What a draw made under a commitment must satisfy, as `draw verify` re-checks it: the
 * commitment came before the public drawing, the draw not before it, the seed follows the
 * rule, and the frame, allocation and reserve are the committed ones. Empty when all hold.
 */
export function commitmentProblems(commitment: DrawCommitment, draw: Pick<Draw, 'seed' | 'frameSha256' | 'allocation' | 'reservePercent' | 'createdAt'>): string[] {
  const problems: string[] = [];
  const late = commitmentTooLate(commitment.seedRule, new Date(commitment.createdAt));
  if (late) problems.push(late);
  if (dayInVietnam(new Date(draw.createdAt)) < commitment.seedRule.date) {
    problems.push(`Lần bốc lúc ${vietnameseDate(dayInVietnam(new Date(draw.createdAt)))} diễn ra trước ngày quay ${vietnameseDate(commitment.seedRule.date)}`);
  }
  if (seedFollowingRule(commitment.seedRule, draw.seed) !== draw.seed) problems.push(`Hạt giống "${draw.seed}" không theo quy tắc đã cam kết`);
  if (draw.frameSha256 !== commitment.frameSha256) problems.push(`Khung mẫu của lần bốc (SHA-256 ${draw.frameSha256}) không phải khung mẫu đã cam kết (${commitment.frameSha256})`);
  if (describeAllocation(draw.allocation) !== describeAllocation(commitment.allocation) || draw.reservePercent !== commitment.reservePercent) {
    problems.push(`Phân bổ của lần bốc (${describeAllocation(draw.allocation)}, dự phòng ${draw.reservePercent} %) khác phân bổ đã cam kết (${describeAllocation(commitment.allocation)}, dự phòng ${commitment.reservePercent} %)`);
  }
  return problems;
}
