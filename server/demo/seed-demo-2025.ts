import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PublishedRow } from '../../analysis/types';
import { seededRandom } from '../../sampling/seeded-random';
import type { Db } from '../db/connect';
import type { Executor } from '../db/schema';
import { writeTransaction } from '../db/unit-of-work';
import { recordAudit } from '../repositories/audit';
import { mapQuestionnairesByCode } from '../repositories/collection';
import { listReleasedPrimaries } from '../repositories/released-questionnaires';
import type { Unit } from '../repositories/units';
import { markWaveDispatched } from '../services/collection/mailing';
import { recordResponse } from '../services/collection/responses';
import { commitDraw } from '../services/draw/commitment';
import { runDraw } from '../services/draw/draw';
import { publishDraw } from '../services/draw/draw-publish';
import { importFrame } from '../services/draw/frame-import';
import { recordNoForm } from '../services/entry/no-form-outcomes';
import { importBoundaries } from '../services/results/boundaries-import';
import { importPreviousIndexes } from '../services/results/previous-import';
import { requireQuestionnaire } from '../services/waves/wave-questionnaire';
import { createWave, importUnits } from '../services/waves/waves';
import { unitAnswers } from './answers-2025';
import { frame2025 } from './frame-2025';

const folder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'an-giang-2025');
export const DEMO_2025_YEAR = 2025;
const SEED = 2025_07_01;

/**
 * Commit–reveal dated like the 2023 demo's, so the drawn list is the same on every machine:
 * signed on Monday 12 January 2026 for Thursday's lottery (its number invented here).
 */
export const DEMO_2025_COMMITMENT = {
  seedSource: 'Xổ số kiến thiết An Giang, giải đặc biệt',
  seedDate: '2026-01-15',
  seedDigits: 6,
  committedAt: new Date('2026-01-12T09:00:00+07:00'),
  lotteryNumber: '570913',
  allocation: { kind: 'proportional' as const, total: 5000, min: 30, max: 60 },
  reservePercent: 10,
};

/**
 * Each department's change from last year's value pooled over its predecessors, in index
 * points: mostly within sampling error, one clear rise and one clear fall. The new department
 * (Dân tộc và Tôn giáo, no predecessor) gets a level instead.
 */
const DEPARTMENT_CHANGE: Record<string, number> = {
  SNV: 1.5, STP: 2.4, STC: -1.2, SCT: -0.6, SNNMT: 1.0, SXD: 0.8, SKHCN: -8, SVHTTDL: 3.0,
  SGDDT: -1.8, SYT: 2.2, SNGV: 0.5, BQLKKT: 7.5,
};
const NEW_DEPARTMENT_LEVEL = 88.4;

/** Respondent-weighted mean of last year's published indexes of the unit's predecessors (analysis/previous.ts). */
function pooledPrevious(unit: Unit, rows: Map<string, PublishedRow>): number | null {
  const found = (unit.predecessors ?? [unit.code]).flatMap((code) => rows.get(code) ?? []);
  const weight = found.reduce((s, r) => s + (r.respondents ?? 0), 0);
  return weight > 0 ? found.reduce((s, r) => s + r.index * (r.respondents ?? 0), 0) / weight : null;
}

/** Communes spread over the three bands: about a fifth at 90 % or more, a fifth below 80 %. */
function communeTarget(random: () => number): number {
  const r = random();
  return r < 0.2 ? 90.5 + 4.5 * random() : r < 0.8 ? 80.5 + 9 * random() : 73 + 6.5 * random();
}

/**
 * What `bench/pages.ts` changes to make the same wave bigger: more communes (lines of the units
 * CSV, after the file's) and a larger draw. The demo itself passes nothing.
 */
export interface Demo2025Scale {
  extraUnitsCsv?: string;
  allocation?: { kind: 'proportional'; total: number; min: number; max: number };
}

/**
 * The second demo wave: An Giang after the 1 July 2025 merger with Kiên Giang. Units and
 * lineage from `an-giang-2025/`, both old provinces' published 2024 indexes, a generated
 * export of ~300,000 dossiers, a proportional draw of 5,000 (30–60 per unit, 10 % reserve)
 * under a dated commitment, the letters sent, and answers from about 70 % of them.
 */
export async function seedDemo2025(db: Db, dataDir: string, scale: Demo2025Scale = {}): Promise<void> {
  const year = DEMO_2025_YEAR;
  const { units, previous } = await writeTransaction(db, async (trx) => {
    await createWave(trx, {
      year,
      name: 'SIPAS 2025 — An Giang sau sáp nhập (dữ liệu mẫu)',
      // The communes exist from 1 July 2025: the survey covers dossiers returned since then.
      settings: { period: { from: '2025-07-01', to: '2025-12-31' } },
      actor: 'demo',
    });
    const unitsCsv = Buffer.concat([fs.readFileSync(path.join(folder, 'units-2025-an-giang.csv')), Buffer.from(scale.extraUnitsCsv ?? '')]);
    const units = await importUnits(trx, year, unitsCsv, 'demo');
    const previous = await importPreviousIndexes(trx, year, fs.readFileSync(path.join(folder, 'published-2024-an-giang-kien-giang.csv')), 'demo');
    // The communes' boundaries, so the dashboard and the report show the map.
    const boundaries = 'an-giang-2025-communes.geojson';
    await importBoundaries(trx, year, { bytes: fs.readFileSync(path.join(folder, boundaries)), fileName: boundaries }, 'demo');
    return { units, previous: previous.rows };
  });
  const imported = await importFrame({ db, dataDir }, year, { fileName: 'mot-cua-an-giang-2025-h2.csv', bytes: frame2025(units, SEED), strict: false }, 'demo');
  if (!imported.ok) throw imported.error;
  const { committedAt, lotteryNumber, ...terms } = DEMO_2025_COMMITMENT;
  await writeTransaction(db, (trx) => commitDraw(trx, year, { ...terms, allocation: scale.allocation ?? terms.allocation }, 'demo', committedAt));
  await runDraw(db, year, { seed: lotteryNumber }, 'demo', { dataDir });
  await writeTransaction(db, (trx, afterCommit) => publishDraw(trx, afterCommit, year, {}, 'demo'));
  await writeTransaction(db, async (trx) => {
    await markWaveDispatched(trx, { year, actor: 'demo' });
    await seedAnswers2025(trx, units, new Map(previous.map((r) => [r.unitCode, r])));
  });
}

/**
 * About 70 % of each unit's letters come back (a quarter of them through the QR code); in a
 * few units one letter is returned undeliverable or refused, and a reserve replaces it.
 */
async function seedAnswers2025(trx: Executor, units: Unit[], previous: Map<string, PublishedRow>): Promise<void> {
  const year = DEMO_2025_YEAR;
  const random = seededRandom(SEED + 2);
  const questionnaire = await requireQuestionnaire(trx, year);
  const released = await listReleasedPrimaries(trx, year);
  const codeOf = new Map([...(await mapQuestionnairesByCode(trx, year)).values()].map((q) => [q.id, q.code]));
  let answered = 0;
  let noForm = 0;
  for (const [k, unit] of units.entries()) {
    const ids = released.get(unit.code) ?? [];
    const pooled = pooledPrevious(unit, previous);
    const target = unit.kind === 'commune' ? communeTarget(random) : pooled === null ? NEW_DEPARTMENT_LEVEL : pooled + (DEPARTMENT_CHANGE[unit.code] ?? 0);
    const n = Math.round(ids.length * (0.62 + 0.16 * random()));
    for (const [i, content] of unitAnswers(questionnaire, n, target, random).entries()) {
      const qr = random() < 0.25;
      await recordResponse(trx, { waveYear: year, questionnaireId: ids[i], unitCode: unit.code, channel: qr ? 'qr' : 'paper', ...content, enteredBy: qr ? null : 'demo' });
      answered++;
    }
    const outcome = k % 5 === 2 ? 'undeliverable' : k % 9 === 4 ? 'refused' : null;
    if (outcome && ids.length > n) {
      await recordNoForm(trx, { year, typedCode: codeOf.get(ids[ids.length - 1])!, outcome, actor: 'demo' });
      noForm++;
    }
  }
  await recordAudit(trx, { actor: 'demo', action: 'responses.demo', waveYear: year, detail: { answered, noForm } });
}
