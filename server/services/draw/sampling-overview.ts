import type { Executor } from '../../db/schema';
import { findCurrentDraw, listDrawnLines, listDraws } from '../../repositories/draws';
import { findLatestFrameImport } from '../../repositories/frame-imports';
import { listUnits } from '../../repositories/units';
import { describeAllocation } from './allocation-input';
import { drawTotals } from './draw';

/** What the frame and draw pages show of a wave; no personal data (contacts stay in their table). */

async function unitNames(db: Executor, year: number): Promise<Record<string, string>> {
  return Object.fromEntries((await listUnits(db, year)).map((u) => [u.code, u.name]));
}

export async function frameOverview(db: Executor, year: number) {
  return { frameImport: await findLatestFrameImport(db, year), unitNames: await unitNames(db, year) };
}

export async function drawOverview(db: Executor, year: number) {
  const frame = await findLatestFrameImport(db, year);
  const draw = await findCurrentDraw(db, year);
  return {
    frame: frame && { fileName: frame.fileName, fileSha256: frame.fileSha256, stored: frame.storedPath !== null },
    draw: draw && { ...draw, allocationText: describeAllocation(draw.allocation), totals: drawTotals(draw) },
    lines: draw ? await listDrawnLines(db, draw.id) : [],
    history: await listDraws(db, year),
    unitNames: await unitNames(db, year),
  };
}
