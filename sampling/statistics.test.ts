import { describe, expect, it } from 'vitest';
import { sum } from 'simple-statistics';
import { drawSample } from './draw-sample';
import { personsFrame, source } from './test-support';

// χ² quantile for 39 degrees of freedom at 0.999 (p = 0.001).
const CRITICAL_39_0001 = 72.055;

describe('selection probability', () => {
  it('draws each of 40 eligible persons with equal probability over 2000 seeds (χ², p = 0.001)', async () => {
    const persons = 40;
    const n = 10;
    const seeds = 2000;
    const bytes = new TextEncoder().encode(personsFrame(persons));
    const counts = new Map<string, number>();
    for (let s = 0; s < seeds; s++) {
      const result = await drawSample(() => source(bytes), {
        units: [{ code: 'CMO', name: 'Huyện Chợ Mới' }],
        seed: `seed-${s}`,
        allocation: { kind: 'fixed', perUnit: n },
        reservePercent: 0,
      });
      for (const e of result.entries) counts.set(e.dossierCode, (counts.get(e.dossierCode) ?? 0) + 1);
    }
    expect(counts.size).toBe(persons);
    const expected = (seeds * n) / persons;
    const statistic = sum([...counts.values()].map((o) => (o - expected) ** 2 / expected));
    expect(statistic).toBeLessThan(CRITICAL_39_0001);
  });
});
