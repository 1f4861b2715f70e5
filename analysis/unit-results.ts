/** One unit's row of the results (SIPAS.md s.10–11), and the ranks within each kind. */
import type { PreviousLookup } from './previous.js';
import type { UnitCollection } from './samples.js';
import { criterionIndexes, type IndexCalculator, type Scoring } from './scoring.js';
import { UNIT_KINDS, type AnalysisSettings, type Band, type UnitResult } from './types.js';
import { confidenceInterval, deltaIsSignificant, finitePopulationCorrection, jackknifeSe } from './uncertainty.js';

/** Indexes that differ only by floating-point noise share a rank. */
const RANK_TIE = 1e-9;

export function bandOf(index: number, s: AnalysisSettings): Band {
  if (index >= s.bandLimits.high) return 'high';
  if (index >= s.bandLimits.mid) return 'mid';
  return 'low';
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
  const rawSe = index === null ? null : jackknifeSe(sample, calc);
  const se = rawSe === null ? null : rawSe * finitePopulationCorrection(n, unit.frameSize);
  const ci = index !== null && se !== null ? confidenceInterval(index, se, n, settings.confidence) : null;
  const elementValues = calc.elementIndexes(sample.counts);
  const criterionValues = criterionIndexes(sample.counts);
  const prev = previous ? previous.valueFor(unit) : null;
  const prevIndex = prev?.index ?? null;
  const delta = index !== null && prevIndex !== null ? index - prevIndex : null;
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
    elements: Object.fromEntries(scoring.elementCodes.map((c, e) => [c, elementValues[e]])),
    criteria: Object.fromEntries(scoring.criteria.map((c, i) => [c, criterionValues[i]])),
    prevIndex,
    prevSe: prev?.se ?? null,
    prevRespondents: prev?.respondents ?? null,
    prevElements: prev?.elements ?? null,
    predecessorsUsed: prev?.used ?? [],
    delta,
    isNew: previous !== null && prev === null,
    significant:
      delta !== null && se !== null
        ? deltaIsSignificant({
            delta,
            se,
            n,
            prevSe: prev?.se ?? null,
            prevN: prev?.respondents ?? null,
            confidence: settings.confidence,
          })
        : null,
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
