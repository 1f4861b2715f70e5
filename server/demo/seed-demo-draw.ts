import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/connect';
import { writeTransaction } from '../db/unit-of-work';
import { findWave, updateWaveSettings } from '../repositories/waves';
import { commitDraw } from '../services/draw/commitment';
import { runDraw } from '../services/draw/draw';
import { publishDraw } from '../services/draw/draw-publish';
import { importFrame, localUpload } from '../services/draw/frame-import';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The demo's commit–reveal, dated so the drawn list is the same on every machine: the record
 * "signed" on Monday 8 January 2024 names Thursday's lottery, whose special prize (invented
 * here) is the seed. A real wave commits on the day it does so, and draws after the drawing.
 */
export const DEMO_COMMITMENT = {
  seedSource: 'Xổ số kiến thiết An Giang, giải đặc biệt',
  seedDate: '2024-01-11',
  seedDigits: 6,
  committedAt: new Date('2024-01-08T09:00:00+07:00'),
  lotteryNumber: '318264',
};

/**
 * The demo wave's frame and published draw, so a new user sees an import report (with the
 * fixture's traps: unknown units, duplicated dossier codes, 2022 rows, missing addresses) and
 * a drawn list at once: 25 per unit plus 20 % reserve, over dossiers returned in 2023, drawn
 * under a commitment like every published draw.
 */
export async function seedDemoDraw(db: Db, dataDir: string, year: number): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const wave = await findWave(trx, year);
    if (!wave) throw new Error(`demo wave ${year} missing`);
    await updateWaveSettings(trx, year, { ...wave.settings, period: { from: '2023-01-01', to: '2023-12-31' } });
  });
  const file = path.join(here, 'frame-2023-sample.csv');
  const imported = await importFrame({ db, dataDir }, year, localUpload(file, false), 'demo');
  if (!imported.ok) throw imported.error;
  const { committedAt, lotteryNumber, ...rule } = DEMO_COMMITMENT;
  const terms = { ...rule, allocation: { kind: 'fixed' as const, perUnit: 25 }, reservePercent: 20 };
  await writeTransaction(db, (trx) => commitDraw(trx, year, terms, 'demo', committedAt));
  await runDraw(db, year, { seed: lotteryNumber }, 'demo', { dataDir });
  await writeTransaction(db, (trx, afterCommit) => publishDraw(trx, afterCommit, year, {}, 'demo'));
}
