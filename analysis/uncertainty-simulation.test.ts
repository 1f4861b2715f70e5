/**
 * The targets of issue 11 measured by simulation through computeWaveResults (seeded, a few
 * seconds): coverage ≥ 94 % at n = 10, 25 and 50 for typical, high (90–99 %) and "a few very
 * dissatisfied people" populations; false stars ≤ 6 % with no real change, last year raw or
 * published. `npx tsx bench/uncertainty.ts` prints the same figures and the power.
 */
import { describe, expect, it } from 'vitest';
import { coverage, population, POPULATIONS, starRate } from './fixtures/simulation.js';

const SAMPLES = 400;
const FRAME = 2000;

describe('coverage of the 95 % interval of a unit index', () => {
  Object.entries(POPULATIONS).forEach(([name, mood], p) => {
    it(`≥ 94 % in population "${name}" at n = 10, 25, 50`, () => {
      const pop = population(FRAME, 100 + p, mood);
      const measured = [10, 25, 50].map((n) => coverage(pop, n, SAMPLES, 7 * n + p).coverage);
      for (const c of measured) expect(c).toBeGreaterThanOrEqual(0.94);
    });
  });

  it('holds with a large finite population correction (25 of 60 eligible)', () => {
    const pop = population(60, 3, POPULATIONS['cao ~95 %']);
    expect(coverage(pop, 25, SAMPLES, 11).coverage).toBeGreaterThanOrEqual(0.94);
  });
});

describe('false stars with no real change (n = 25)', () => {
  for (const source of ['raw', 'published'] as const) {
    it(`≤ 6 % with last year ${source}`, () => {
      for (const [p, name] of ['điển hình ~85 %', '3 % rất không hài lòng'].entries()) {
        const pop = population(FRAME, 200 + p, POPULATIONS[name]);
        expect(starRate(pop, pop, 25, SAMPLES, 31 + p, source)).toBeLessThanOrEqual(0.06);
      }
    });
  }

  it('stars a real 10-point rise at n = 50 most of the time', () => {
    const before = population(FRAME, 300, POPULATIONS['điển hình ~85 %']);
    const after = population(FRAME, 301, POPULATIONS['cao ~95 %']);
    expect(starRate(before, after, 50, SAMPLES, 41, 'raw')).toBeGreaterThan(0.8);
  });
});
