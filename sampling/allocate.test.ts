import { describe, expect, it } from 'vitest';
import { allocate, plannedUpperBound } from './allocate';

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

describe('allocate', () => {
  it('fixed: the same n everywhere, including units with no one eligible', () => {
    expect(allocate({ A: 100, B: 3, C: 0 }, { kind: 'fixed', perUnit: 25 })).toEqual({ A: 25, B: 25, C: 25 });
  });

  it('proportional: largest remainder, sum exactly the total', () => {
    // Shares 33.33, 33.33, 33.33 → 34, 33, 33 with the tie going to the first code.
    expect(allocate({ A: 10, B: 10, C: 10 }, { kind: 'proportional', total: 100 })).toEqual({ A: 34, B: 33, C: 33 });
    // Shares 50, 30, 20 exactly.
    expect(allocate({ A: 500, B: 300, C: 200 }, { kind: 'proportional', total: 100 })).toEqual({ A: 50, B: 30, C: 20 });
    // Shares 14.6, 7.9, 2.5 → floors 14, 7, 2 and the one left goes to the largest remainder (B).
    const r = allocate({ A: 146, B: 79, C: 25 }, { kind: 'proportional', total: 25 });
    expect(r).toEqual({ A: 15, B: 8, C: 2 });
    expect(sum(r)).toBe(25);
  });

  it('proportional: min and max pin units and the rest is re-split', () => {
    const r = allocate({ A: 1000, B: 50, C: 10, D: 0 }, { kind: 'proportional', total: 100, min: 10, max: 60 });
    // C (share 0.9) and B (4.7) are pinned at 10; A gets the other 80 but is capped at 60.
    expect(r).toEqual({ A: 60, B: 10, C: 10, D: 0 });
    const r2 = allocate({ A: 1000, B: 50, C: 10 }, { kind: 'proportional', total: 100, min: 10 });
    expect(r2).toEqual({ A: 80, B: 10, C: 10 });
    expect(sum(r2)).toBe(100);
  });

  it('proportional: the total is met when the bounds allow it, exceeded only when the minimums force it', () => {
    expect(sum(allocate({ A: 7, B: 13, C: 29, D: 51 }, { kind: 'proportional', total: 37, min: 2, max: 20 }))).toBe(37);
    expect(allocate({ A: 5, B: 5 }, { kind: 'proportional', total: 4, min: 3 })).toEqual({ A: 3, B: 3 });
  });

  it('margin: n = ceil(N / (1 + N e²)), capped', () => {
    const r = allocate({ A: 400, B: 100, C: 10_000, D: 0, E: 1 }, { kind: 'margin', margin: 0.05 });
    // 400/2 = 200 exactly (no float push to 201); 100/1.25 = 80; 10000/26 = 384.6 → 385.
    expect(r).toEqual({ A: 200, B: 80, C: 385, D: 0, E: 1 });
    expect(allocate({ A: 400, C: 10_000 }, { kind: 'margin', margin: 0.05, max: 150 })).toEqual({ A: 150, C: 150 });
  });

  it('refuses meaningless allocations with a Vietnamese message', () => {
    expect(() => allocate({ A: 1 }, { kind: 'fixed', perUnit: -1 })).toThrow(/số nguyên không âm/);
    expect(() => allocate({ A: 1 }, { kind: 'proportional', total: 10, min: 5, max: 2 })).toThrow(/tối thiểu/);
    expect(() => allocate({ A: 1 }, { kind: 'margin', margin: 5 })).toThrow(/Sai số/);
  });

  it('bounds every possible size for the streaming draw', () => {
    expect(plannedUpperBound({ kind: 'fixed', perUnit: 25 })).toBe(25);
    expect(plannedUpperBound({ kind: 'proportional', total: 500, max: 40 })).toBe(40);
    expect(plannedUpperBound({ kind: 'proportional', total: 500 })).toBe(500);
    expect(plannedUpperBound({ kind: 'margin', margin: 0.05 })).toBe(400);
    expect(plannedUpperBound({ kind: 'margin', margin: 0.05, max: 100 })).toBe(100);
  });
});
