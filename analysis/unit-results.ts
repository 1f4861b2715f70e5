/** One unit's row of the results (SIPAS.md s.10–11), and the ranks within each kind. */
import type { PreviousLookup, PreviousValue } from './previous.js';
import type { UnitCollection } from './samples.js';
import { criterionIndexes, type IndexCalculator, type Scoring } from './scoring.js';
import { UNIT_KINDS, type AnalysisSettings, type Band, type DeltaTest, type UnitResult } from './types.js';
import {
  clopperPearson,
  deltaInterval,
  designEffect,
  effectiveSampleSize,
  excludesZero,
  finitePopulationCorrection,
  indexInterval,
  jackknifeSe,
  type Interval,
} from './uncertainty.js';

/** Indexes that differ only by floating-point noise share a rank. */
const RANK_TIE = 1e-9;

export function bandOf(index: number, s: AnalysisSettings): Band {
  if (index >= s.bandLimits.high) return 'high';
  if (index >= s.bandLimits.mid) return 'mid';
  return 'low';
}

/** Wider than one band: the interval can hold a whole band, so band and rank are not reliable (docs/khoang-tin-cay-va-kiem-dinh.md). */
export function isTooWide(ci: Interval, s: AnalysisSettings): boolean {
  return ci.high - ci.low > s.bandLimits.high - s.bandLimits.mid;
}

interface DeltaFigures {
  low: number;
  high: number;
  test: DeltaTest;
  significant: boolean | null;
}

/**
 * The delta's interval and test. Last year's interval: its own from raw answers; from a published
 * index, Clopper–Pearson on last year's respondents divided by this year's design effect; from a
 * published index without respondents none, so the interval is this year's index's minus last year's value.
 */
function deltaFigures(
  index: number,
  ci: Interval,
  deff: number,
  prev: PreviousValue,
  prevIndex: number,
  settings: AnalysisSettings,
): DeltaFigures {
  const delta = index - prevIndex;
  const prevCi =
    prev.interval ??
    (prev.respondents !== null && prev.respondents > 0
      ? clopperPearson(prevIndex, effectiveSampleSize({ n: prev.respondents, deff, confidence: settings.confidence }), settings.confidence)
      : null);
  if (prevCi === null) return { low: ci.low - prevIndex, high: ci.high - prevIndex, test: 'untestable', significant: null };
  const interval = deltaInterval(index, ci, prevIndex, prevCi);
  return { ...interval, test: prev.interval ? 'raw' : 'published', significant: excludesZero(delta, interval) };
}

/** The unit's figures from its valid respondents, compared with last year's through lineage; unranked. */
export function unitResult(
  col: UnitCollection,
  previous: PreviousLookup | null,
  scoring: Scoring,
  calc: IndexCalculator,
  settings: AnalysisSettings,
): UnitResult {
  const { unit, sample } = col;
  const n = sample.n;
  const index = calc.unitIndex(sample.counts);
  const srsSe = index === null ? null : jackknifeSe(sample, calc);
  const se = srsSe === null ? null : srsSe * finitePopulationCorrection(n, unit.frameSize);
  const ci =
    index !== null && srsSe !== null
      ? indexInterval({ index, srsSe, n, frameSize: unit.frameSize, confidence: settings.confidence })
      : null;
  const elementValues = calc.elementIndexes(sample.counts);
  const criterionValues = criterionIndexes(sample.counts);
  const prev = previous ? previous.valueFor(unit) : null;
  const prevIndex = prev?.index ?? null;
  const delta = index !== null && prevIndex !== null ? index - prevIndex : null;
  const change =
    prev && index !== null && prevIndex !== null && ci !== null && srsSe !== null
      ? deltaFigures(index, ci, designEffect(index, srsSe, n), prev, prevIndex, settings)
      : null;
  return {
    code: unit.code,
    name: unit.name,
    kind: unit.kind,
    respondents: n,
    invalidResponses: col.invalid,
    frameSize: unit.frameSize ?? null,
    index,
    se,
    ciLow: ci?.low ?? null,
    ciHigh: ci?.high ?? null,
    wideInterval: ci !== null && isTooWide(ci, settings),
    elements: Object.fromEntries(scoring.elementCodes.map((c, e) => [c, elementValues[e]])),
    criteria: Object.fromEntries(scoring.criteria.map((c, i) => [c, criterionValues[i]])),
    prevIndex,
    prevSe: prev?.se ?? null,
    prevRespondents: prev?.respondents ?? null,
    prevElements: prev?.elements ?? null,
    predecessorsUsed: prev?.used ?? [],
    delta,
    deltaLow: change?.low ?? null,
    deltaHigh: change?.high ?? null,
    deltaTest: delta === null ? null : (change?.test ?? 'untestable'),
    isNew: previous !== null && prev === null,
    significant: change?.significant ?? null,
    band: index === null ? null : bandOf(index, settings),
    rank: null,
    belowMinimum: n < settings.minRespondents,
    parPoints: index === null ? null : (index * settings.parMaxPoints) / 100,
  };
}

/** Standard competition ranking (1, 2, 2, 4) within each kind; below-minimum units get none. */
export function assignRanks(results: UnitResult[]): void {
  for (const kind of UNIT_KINDS) {
    const ranked = results
      .filter((u) => u.kind === kind && u.index !== null && !u.belowMinimum)
      .sort((a, b) => b.index! - a.index!);
    ranked.forEach((u, i) => {
      const before = ranked[i - 1];
      u.rank = before && before.index! - u.index! <= RANK_TIE ? before.rank : i + 1;
    });
  }
}
