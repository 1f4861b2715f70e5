import { describe, expect, it } from 'vitest';
import { response, settings, unit } from './fixtures/builders.js';
import { defaultQuestionnaire } from './questionnaire.js';
import {
  clopperPearson,
  deltaInterval,
  designEffect,
  effectiveSampleSize,
  excludesZero,
  finitePopulationCorrection,
  indexInterval,
  studentTCdf,
  studentTQuantile,
} from './uncertainty.js';
import { computeWaveResults } from './wave-results.js';

/*
 * Reference values computed independently with pure Python 3 (no numpy/scipy) by
 * fixtures/uncertainty-reference.py (run: python3 analysis/fixtures/uncertainty-reference.py): the index is recomputed from scratch for every
 * deleted respondent (no count subtraction), Var = (n−1)/n Σ(θ_(i) − θ̄)², and Student t
 * quantiles come from Simpson integration of the t density (20,000 steps) plus bisection.
 * The 12 respondents were drawn with random.seed(5). The interval and MOVER references at the end of
 * the script use scipy.stats.beta.ppf for the Clopper–Pearson limits.
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
  // Korn–Graubard-type interval: design effect with the guard pseudo-respondent, Clopper–Pearson
  // from scipy.stats.beta.ppf (same script).
  deff: 0.17607568197734563,
  ci: [60.671505056504415, 82.88513302096484],
  ciFpc40: [62.84931947919654, 81.33478729029375],
  allSatisfied25: [85.77373156459929, 100],
  moverPublished: [-20.612109157322774, 4.966145183877089],
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

  it('applies the finite population correction sqrt(1 − n/N) to the standard error', () => {
    expect(wave(ROWS, 40).se).toBeCloseTo(REF.seFpc40, 10);
    expect(finitePopulationCorrection(12, 40)).toBeCloseTo(Math.sqrt(28 / 40), 15);
    expect(finitePopulationCorrection(12, undefined)).toBe(1);
    expect(finitePopulationCorrection(50, 40)).toBe(0);
  });
});

describe('Korn–Graubard-type interval of the unit index', () => {
  it('matches a scipy Clopper–Pearson on the effective sample size, with and without a frame size', () => {
    expect(designEffect(REF.index, REF.se, 12)).toBeCloseTo(REF.deff, 12);
    const u = wave(ROWS);
    expect(u.ciLow).toBeCloseTo(REF.ci[0], 8);
    expect(u.ciHigh).toBeCloseTo(REF.ci[1], 8);
    const f = wave(ROWS, 40);
    expect(f.ciLow).toBeCloseTo(REF.ciFpc40[0], 8);
    expect(f.ciHigh).toBeCloseTo(REF.ciFpc40[1], 8);
  });

  it('gives a unit at 100 % with 25 answers a real interval, not [100, 100]', () => {
    const u = wave(Array.from({ length: 25 }, () => ROWS[0].map(() => 5)));
    expect(u.index).toBe(100);
    expect(u.ciLow).toBeCloseTo(REF.allSatisfied25[0], 8);
    expect(u.ciHigh).toBe(100);
    expect(u.wideInterval).toBe(true);
  });

  it('is never zero-width from a sample, even when every score is the same', () => {
    const same = wave(Array.from({ length: 25 }, () => ROWS[0].map((_, c) => (c % 2 === 0 ? 4 : 2))));
    expect(same.se).toBe(0);
    expect(same.ciHigh! - same.ciLow!).toBeGreaterThan(5);
  });

  it('has no interval for a single respondent and zero width for a census', () => {
    expect(wave([ROWS[0]]).ciLow).toBeNull();
    const census = wave(ROWS, 12);
    expect(census.ciLow).toBe(census.index);
    expect(census.ciHigh).toBe(census.index);
  });

  it('shrinks the effective sample size by (t_{n−1}/t_df)² when strata cost degrees of freedom', () => {
    const base = { n: 20, deff: 1, confidence: 0.95 };
    expect(effectiveSampleSize(base)).toBe(20);
    expect(effectiveSampleSize({ ...base, df: 17 })).toBeCloseTo(20 * (studentTQuantile(0.975, 19) / studentTQuantile(0.975, 17)) ** 2, 12);
    expect(effectiveSampleSize({ ...base, frameSize: 40 })).toBeCloseTo(40, 12);
  });

  it('stays inside [0, 100] at the edges', () => {
    expect(clopperPearson(0, 25, 0.95).low).toBe(0);
    expect(clopperPearson(100, 25, 0.95)).toEqual({ low: 100 * 0.025 ** (1 / 25), high: 100 });
    const ci = indexInterval({ index: 99, srsSe: 0.5, n: 25, confidence: 0.95 });
    expect(ci.low).toBeGreaterThan(80);
    expect(ci.high).toBeLessThanOrEqual(100);
  });
});

describe('interval and significance of a delta (MOVER)', () => {
  it('combines the two years’ intervals: scipy reference against a published 80 % from 30 answers', () => {
    const ci = { low: REF.ci[0], high: REF.ci[1] };
    const prev = clopperPearson(80, 30 / REF.deff, 0.95);
    const d = deltaInterval(REF.index, ci, 80, prev);
    expect(d.low).toBeCloseTo(REF.moverPublished[0], 7);
    expect(d.high).toBeCloseTo(REF.moverPublished[1], 7);
    expect(excludesZero(REF.index - 80, d)).toBe(false);
  });

  it('is the sum of squared half-widths on each side (hand computation)', () => {
    // Δ = 10; low side: 5 below this year, 3 above last year → √34; high side: 4 and 2 → √20.
    const d = deltaInterval(90, { low: 85, high: 94 }, 80, { low: 78, high: 83 });
    expect(d.low).toBeCloseTo(10 - Math.sqrt(34), 12);
    expect(d.high).toBeCloseTo(10 + Math.sqrt(20), 12);
    expect(excludesZero(10, d)).toBe(true);
    expect(excludesZero(-10, { low: -15, high: 1 })).toBe(false);
    // A change shown as 0,00 is never starred, whatever the interval.
    expect(excludesZero(0.001, { low: 0.0005, high: 0.002 })).toBe(false);
  });

  it('is untestable against a published index without a respondent count, with this year’s interval shifted', () => {
    const r = computeWaveResults({
      year: 2024,
      questionnaire: defaultQuestionnaire,
      units: [unit('X'), unit('Y')],
      responses: [...ROWS.map((row) => response('X', row)), ...ROWS.map((row) => response('Y', row))],
      previous: {
        source: 'published',
        year: 2023,
        rows: [
          { unitCode: 'X', unitName: 'X', index: 50, respondents: null },
          { unitCode: 'Y', unitName: 'Y', index: 80, respondents: 30 },
        ],
      },
      settings: settings(),
    });
    const [x, y] = r.units;
    expect([x.deltaTest, x.significant]).toEqual(['untestable', null]);
    expect(x.deltaLow).toBeCloseTo(REF.ci[0] - 50, 8);
    expect(x.deltaHigh).toBeCloseTo(REF.ci[1] - 50, 8);
    expect([y.deltaTest, y.significant]).toEqual(['published', false]);
    expect(y.deltaLow).toBeCloseTo(REF.moverPublished[0], 7);
    expect(y.deltaHigh).toBeCloseTo(REF.moverPublished[1], 7);
  });
});
