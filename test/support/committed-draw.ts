import type { Allocation } from '../../sampling';
import type { Db } from '../../server/db/connect';
import { writeTransaction } from '../../server/db/unit-of-work';
import type { DrawCommitment } from '../../server/repositories/draw-commitments';
import type { Draw } from '../../server/repositories/draws';
import { commitDraw } from '../../server/services/draw/commitment';
import { runDraw } from '../../server/services/draw/draw';
import { dayInVietnam } from '../../server/services/draw/seed-rule';

export const LOTTERY = 'Xổ số kiến thiết An Giang, giải đặc biệt';
const DAY = 86_400_000;

/**
 * The record signed two days ago for a public drawing held yesterday, over the wave's latest
 * frame: what an administrator has in hand on the morning of the draw. Only a draw under a
 * commitment can be published (draw-rules.ts), so every test that publishes goes through here.
 */
export function commitTwoDaysAgo(db: Db, year: number, terms: { allocation: Allocation; reservePercent: number }): Promise<DrawCommitment> {
  const now = Date.now();
  const request = { seedSource: LOTTERY, seedDate: dayInVietnam(new Date(now - DAY)), seedDigits: 6, ...terms };
  return writeTransaction(db, (trx) => commitDraw(trx, year, request, 'test', new Date(now - 2 * DAY)));
}

/** Commits (two days ago) and draws with yesterday's public number: a draft that may be published. */
export async function drawUnderCommitment(
  db: Db,
  year: number,
  terms: { allocation: Allocation; reservePercent: number; number?: string; redraw?: { reason: string } },
): Promise<Draw> {
  await commitTwoDaysAgo(db, year, terms);
  const redraw = terms.redraw ? { redraw: true, reason: terms.redraw.reason } : {};
  return runDraw(db, year, { seed: terms.number ?? '123456', ...redraw }, 'test');
}
