import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/connect';
import { writeTransaction } from '../db/unit-of-work';
import { findWave, updateWaveSettings } from '../repositories/waves';
import { runDraw } from '../services/draw/draw';
import { publishDraw } from '../services/draw/draw-publish';
import { importFrame } from '../services/draw/frame-import';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Fixed so the demo's drawn list is the same on every machine. A real wave uses a seed
 * announced in public after the frame is imported (see the draw page).
 */
export const DEMO_DRAW_SEED = 'SIPAS An Giang 2023 - du lieu mau';

/**
 * The demo wave's frame and published draw, so a new user sees an import report (with the
 * fixture's traps: unknown units, duplicated dossier codes, 2022 rows, missing addresses) and
 * a drawn list at once: 25 per unit plus 20 % reserve, over dossiers returned in 2023.
 */
export async function seedDemoDraw(db: Db, dataDir: string, year: number): Promise<void> {
  await writeTransaction(db, async (trx) => {
    const wave = await findWave(trx, year);
    if (!wave) throw new Error(`demo wave ${year} missing`);
    await updateWaveSettings(trx, year, { ...wave.settings, period: { from: '2023-01-01', to: '2023-12-31' } });
  });
  const file = path.join(here, 'frame-2023-sample.csv');
  const imported = await importFrame({ db, dataDir }, year, { fileName: 'frame-2023-sample.csv', bytes: fs.createReadStream(file), strict: false }, 'demo');
  if (!imported.ok) throw imported.error;
  await runDraw(db, year, { seed: DEMO_DRAW_SEED, allocation: { kind: 'fixed', perUnit: 25 }, reservePercent: 20 }, 'demo');
  await writeTransaction(db, (trx, afterCommit) => publishDraw(trx, afterCommit, year, {}, 'demo'));
}
