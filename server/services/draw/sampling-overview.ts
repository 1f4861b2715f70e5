import type { Executor } from '../../db/schema';
import { findCommitment, listCommitments } from '../../repositories/draw-commitments';
import { findCurrentDraw, listDraws, pageDrawnLines, type Draw } from '../../repositories/draws';
import { findFrameImport, findLatestFrameImport } from '../../repositories/frame-imports';
import type { ListFilter } from '../../repositories/list-page';
import { listUnits } from '../../repositories/units';
import { describeAllocation } from './allocation-input';
import { UserError } from '../../errors';
import { plannedSizes } from './commitment';
import { drawTotals } from './draw';
import { visibleDrawnLines } from './draw-export';
import { describeSeedRule } from './seed-rule';

/** What the frame and draw pages show of a wave; no personal data (contacts stay in their table). */

async function unitNames(db: Executor, year: number): Promise<Record<string, string>> {
  return Object.fromEntries((await listUnits(db, year)).map((u) => [u.code, u.name]));
}

export async function frameOverview(db: Executor, year: number) {
  return { frameImport: await findLatestFrameImport(db, year), unitNames: await unitNames(db, year) };
}

/** `list` picks the page of the drawn list to show (`?page=`, `?q=`, `?unit=`). */
export async function drawOverview(db: Executor, year: number, list: { filter: ListFilter; page: number } = { filter: {}, page: 1 }) {
  const frame = await findLatestFrameImport(db, year);
  const draw = await findCurrentDraw(db, year);
  const commitments = (await listCommitments(db, year)).map((c) => ({ ...c, ruleText: describeSeedRule(c.seedRule), allocationText: describeAllocation(c.allocation) }));
  // The latest commitment binds a new draw when it was made for the frame waiting to be drawn.
  const binding = commitments[0] && frame?.storedFile && commitments[0].frameImportId === frame.id ? commitments[0] : undefined;
  return {
    frame: frame && { fileName: frame.fileName, fileSha256: frame.fileSha256, stored: frame.storedFile !== null },
    draw: draw && { ...draw, allocationText: describeAllocation(draw.allocation), totals: drawTotals(draw) },
    lines: await drawnListPage(db, draw, list),
    history: await listDraws(db, year),
    commitments,
    binding,
    unitNames: await unitNames(db, year),
  };
}

async function drawnListPage(db: Executor, draw: Draw | undefined, list: { filter: ListFilter; page: number }) {
  if (!draw) return { rows: [], total: 0, page: 1, pageCount: 1 };
  const paged = await pageDrawnLines(db, draw, list.filter, list.page);
  return { ...paged, rows: visibleDrawnLines(draw, paged.rows) };
}

/** What the printed commitment record shows: the commitment, its frame file's name and n per unit. */
export async function commitmentRecord(db: Executor, year: number, id: number) {
  const commitment = await findCommitment(db, id);
  if (!commitment || commitment.waveYear !== year) throw new UserError(`Đợt ${year} không có biên bản cam kết số ${id}`, 404);
  const frame = await findFrameImport(db, commitment.frameImportId);
  const eligible = frame?.report.eligibleByUnit ?? {};
  const planned = plannedSizes(eligible, commitment.allocation);
  const units = (await listUnits(db, year)).map((u) => ({ code: u.code, name: u.name, eligible: eligible[u.code] ?? 0, planned: planned[u.code] ?? 0 }));
  return {
    commitment: { ...commitment, ruleText: describeSeedRule(commitment.seedRule), allocationText: describeAllocation(commitment.allocation) },
    frameFileName: frame?.fileName ?? null,
    units,
  };
}
