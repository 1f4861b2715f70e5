import { describe, expect, it } from 'vitest';
import { response, settings, unit } from './fixtures/builders.js';
import { defaultQuestionnaire } from './questionnaire.js';
import {
  confidenceInterval,
  deltaIsSignificant,
  finitePopulationCorrection,
  studentTCdf,
  studentTQuantile,
} from './uncertainty.js';
import { computeWaveResults } from './wave-results.js';

/*
 * Reference values computed independently with pure Python 3 (no numpy/scipy) by
 * fixtures/uncertainty-reference.py (run: python3 analysis/fixtures/uncertainty-reference.py): the index is recomputed from scratch for every
 * deleted respondent (no count subtraction), Var = (n−1)/n Σ(θ_(i) − θ̄)², and Student t
 * quantiles come from Simpson integration of the t density (20,000 steps) plus bisection.
 * The 12 respondents were drawn with random.seed(5).
 */
const ROWS: (number | null)[][] = [
  [3, 1, 4, 5, 4, 5, 4, 5, 5, null, 5, 2, 5, 4, 5, 4],
  [4, 4, 5, 1, 4, 5, 4, 4, null, null, 4, 2, 4, 2, 5, 5],
  [4, 4, 5, null, 1, 5, 4, 4, 5, 2, 5, 2, null, 5, 4, 2],
  [5, 5, 5, 5, 1, null, 2, null, 5, 5, 5, 4, 2, 4, 5, 5],
  [4, 2, 5, 5, 5, 4, 4, null, 5, 4, 5, 4, 5, 4, 5, 1],
  [4, 4, 4, 4, 4, null, 4, 4, 1, 2, 4, 4, null, 4, 4, 4],
  [4, 1, 2, 5, 1, 5, 4, 4, 1, 4, 2, 1, null, 3, 4, 4],
  [3, 5, 4, 4, 4, 4, 3, 2, 4, 4, 1, 4, null, 4, null, 4],
  [4, 2, 4, 4, null, 5, null, 1, null, null, 4, 4, 2, 2, null, 4],
  [4, 5, null, 5, null, 5, 5, 4, 5, 2, 5, null, 1, 5, 5, 2],
  [2, 4, 4, null, null, 4, 4, 2, 4, 5, 4, 2, 5, 2, 2, 2],
  [4, 5, 5, 4, 4, 4, 3, 4, 1, null, 4, 5, null, 1, 4, 5],
];
const REF = {
  index: 72.80952380952382,
  se: 3.216131639063328,
  seFpc40: 2.690808782475804,
  t11: 2.200985160091582,
  ciFpc40: [66.88709361065048, 78.73195400839717],
  // Same rows with blanks replaced by 4: index = mean of per-respondent scores, and the
  // jackknife SE equals statistics.stdev(scores)/sqrt(n).
  fullIndex: 76.52777777777779,
  fullSe: 2.8608168918055474,
};

function wave(rows: (number | null)[][], frameSize?: number) {
  return computeWaveResults({
    year: 2024,
    questionnaire: defaultQuestionnaire,
    units: [unit('X', 'department', null, frameSize)],
    responses: rows.map((r) => response('X', r)),
    previous: null,
    settings: settings(),
  }).units[0];
}

describe('Student t quantiles', () => {
  it('match Simpson-integration references', () => {
    expect(studentTQuantile(0.975, 24)).toBeCloseTo(2.063898561628024, 9);
    expect(studentTQuantile(0.975, 48)).toBeCloseTo(2.010634757624266, 9);
    expect(studentTQuantile(0.975, 9)).toBeCloseTo(2.2621571627409915, 9);
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736174698, 8);
    expect(studentTQuantile(0.975, 11)).toBeCloseTo(REF.t11, 9);
    expect(studentTQuantile(0.025, 11)).toBeCloseTo(-REF.t11, 9);
  });

  it('is the inverse of the CDF, also for fractional (Welch) degrees of freedom', () => {
    for (const df of [2.5, 17.3, 300]) expect(studentTCdf(studentTQuantile(0.9, df), df)).toBeCloseTo(0.9, 12);
  });
});

describe('jackknife standard error of the unit index', () => {
  it('matches a from-scratch Python jackknife on data with blanks', () => {
    const u = wave(ROWS);
    expect(u.index).toBeCloseTo(REF.index, 10);
    expect(u.se).toBeCloseTo(REF.se, 10);
  });

  it('reduces to stdev/√n of per-respondent scores when nothing is blank', () => {
    const u = wave(ROWS.map((r) => r.map((v) => v ?? 4)));
    expect(u.index).toBeCloseTo(REF.fullIndex, 10);
    expect(u.se).toBeCloseTo(REF.fullSe, 10);
  });

  it('applies the finite population correction sqrt(1 − n/N) and a t interval with n − 1 df', () => {
    const u = wave(ROWS, 40);
    expect(u.se).toBeCloseTo(REF.seFpc40, 10);
    expect(u.ciLow).toBeCloseTo(REF.ciFpc40[0], 8);
    expect(u.ciHigh).toBeCloseTo(REF.ciFpc40[1], 8);
    expect(finitePopulationCorrection(12, 40)).toBeCloseTo(Math.sqrt(28 / 40), 15);
    expect(finitePopulationCorrection(12, undefined)).toBe(1);
    expect(finitePopulationCorrection(50, 40)).toBe(0);
  });

  it('has no interval for a single respondent and zero width for a census', () => {
    expect(wave([ROWS[0]]).ciLow).toBeNull();
    const census = wave(ROWS, 12);
    expect(census.se).toBe(0);
    expect(census.ciLow).toBe(census.index);
  });

  it('clips the interval to [0, 100]', () => {
    const ci = confidenceInterval(98, 3, 25, 0.95);
    expect(ci.high).toBe(100);
    expect(ci.low).toBeCloseTo(98 - 3 * 2.063898561628024, 9);
    expect(confidenceInterval(1, 3, 25, 0.95).low).toBe(0);
  });
});

describe('significance of a delta', () => {
  // Hand computation: SE_diff = sqrt(2² + 2²) = 2.828; Welch df = 8² / (16/24 + 16/24) = 48;
  // t_{0.975,48} = 2.0106 (reference above). 5/2.828 = 1.77 → no; 6/2.828 = 2.12 → yes.
  it('uses both years’ standard errors with Welch degrees of freedom', () => {
    const base = { se: 2, n: 25, prevSe: 2, prevN: 25, confidence: 0.95 };
    expect(deltaIsSignificant({ ...base, delta: 5 })).toBe(false);
    expect(deltaIsSignificant({ ...base, delta: -6 })).toBe(true);
    expect(deltaIsSignificant({ ...base, delta: 2.0106 * Math.SQRT2 * 2 + 0.001 })).toBe(true);
    expect(deltaIsSignificant({ ...base, delta: 2.0106 * Math.SQRT2 * 2 - 0.001 })).toBe(false);
  });

  it('with published figures only, tests against last year as a fixed value (SE_t alone, n − 1 df)', () => {
    // 5 / 2 = 2.5 > t_{0.975,24} = 2.064; 4 / 2 = 2.0 < 2.064.
    expect(deltaIsSignificant({ delta: 5, se: 2, n: 25, prevSe: null, prevN: null, confidence: 0.95 })).toBe(true);
    expect(deltaIsSignificant({ delta: 4, se: 2, n: 25, prevSe: null, prevN: null, confidence: 0.95 })).toBe(false);
  });

  it('counts any visible change as significant when there is no sampling error (census)', () => {
    expect(deltaIsSignificant({ delta: 0.5, se: 0, n: 25, prevSe: 0, prevN: 25, confidence: 0.95 })).toBe(true);
    expect(deltaIsSignificant({ delta: 0.001, se: 0, n: 25, prevSe: 0, prevN: 25, confidence: 0.95 })).toBe(false);
  });
});
