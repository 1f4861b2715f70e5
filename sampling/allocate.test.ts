import { describe, expect, it } from 'vitest';
import { allocate, plannedUpperBound } from './allocate';
import { seededRandom } from './test-support';

const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

describe('allocate', () => {
  it('fixed: the same n everywhere, including units with no one eligible', () => {
    expect(allocate({ A: 100, B: 3, C: 0 }, { kind: 'fixed', perUnit: 25 })).toEqual({ A: 25, B: 25, C: 25 });
  });

  it('proportional: largest remainder, sum exactly the total', () => {
    // Shares 33.33, 33.33, 33.33 → 34, 33, 33 with the tie going to the first code.
    expect(allocate({ A: 100, B: 100, C: 100 }, { kind: 'proportional', total: 100 })).toEqual({ A: 34, B: 33, C: 33 });
    // Shares 50, 30, 20 exactly.
    expect(allocate({ A: 500, B: 300, C: 200 }, { kind: 'proportional', total: 100 })).toEqual({ A: 50, B: 30, C: 20 });
    // Shares 14.6, 7.9, 2.5 → floors 14, 7, 2 and the one left goes to the largest remainder (B).
    const r = allocate({ A: 146, B: 79, C: 25 }, { kind: 'proportional', total: 25 });
    expect(r).toEqual({ A: 15, B: 8, C: 2 });
    expect(sum(r)).toBe(25);
  });

  it('proportional: n_u = clamp(λ·N_u, min, max, N_u) with λ meeting the total, pinned units released', () => {
    // Shares 50, 5, 5: the rule of version 1 pinned B and C at 15, then A at 20, and planned 50.
    expect(allocate({ A: 1000, B: 100, C: 100 }, { kind: 'proportional', total: 60, min: 15, max: 20 })).toEqual({ A: 20, B: 20, C: 20 });
    // A unit with fewer people than the minimum gives everyone it has, and the others make up the total.
    expect(allocate({ A: 1000, B: 50, C: 4, D: 0 }, { kind: 'proportional', total: 100, min: 10, max: 60 })).toEqual({ A: 60, B: 36, C: 4, D: 0 });
    const r = allocate({ A: 1000, B: 50, C: 10 }, { kind: 'proportional', total: 100, min: 10 });
    expect(r).toEqual({ A: 80, B: 10, C: 10 });
    expect(sum(r)).toBe(100);
  });

  it('proportional: refuses a total the bounds cannot reach, naming the reachable range', () => {
    const eligible = Object.fromEntries(Array.from({ length: 28 }, (_, i) => [`U${i}`, 30 + i]));
    expect(() => allocate(eligible, { kind: 'proportional', total: 700, min: 10, max: 20 })).toThrow(
      'Không chia được tổng 700 phiếu: với tối thiểu 10, tối đa 20 phiếu mỗi đơn vị (và không quá số người đủ điều kiện), 28 đơn vị có người đủ điều kiện chỉ cho tổng từ 280 đến 560 phiếu. Hãy chọn tổng trong khoảng này hoặc đổi mức tối thiểu, tối đa.',
    );
    expect(() => allocate(eligible, { kind: 'proportional', total: 300, min: 15 })).toThrow(/chỉ cho tổng từ 420 đến 1\.218 phiếu/);
    expect(() => allocate({ A: 0, B: 3 }, { kind: 'proportional', total: 5 })).toThrow(
      'Không chia được tổng 5 phiếu: khi không đơn vị nào nhận quá số người đủ điều kiện, 1 đơn vị có người đủ điều kiện chỉ cho tổng từ 0 đến 3 phiếu.',
    );
    expect(allocate({ A: 5, B: 5 }, { kind: 'proportional', total: 6, min: 3 })).toEqual({ A: 3, B: 3 });
  });

  it('proportional, seeded property test: total met exactly, bounds kept, monotone in N, within one of the exact share, refusal range right', () => {
    const random = seededRandom(20231);
    const int = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
    let feasible = 0;
    let refused = 0;
    const failures: string[] = [];
    for (let trial = 0; trial < 400; trial++) {
      const units = int(1, 30);
      const eligible: Record<string, number> = {};
      for (let u = 0; u < units; u++) eligible[`U${String(u).padStart(2, '0')}`] = random() < 0.1 ? int(0, 5) : Math.floor(Math.exp(random() * 9));
      const min = random() < 0.3 ? undefined : int(0, 30);
      const max = random() < 0.3 ? undefined : (min ?? 0) + int(0, 60);
      const lo = (n: number) => Math.min(min ?? 0, n);
      const hi = (n: number) => Math.min(max ?? Infinity, n);
      const ns = Object.values(eligible);
      const low = ns.reduce((s, n) => s + lo(n), 0);
      const high = ns.reduce((s, n) => s + hi(n), 0);
      const total = int(Math.max(0, low - 20), high + 20);
      const allocation = { kind: 'proportional' as const, total, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
      const what = `lần ${trial}: ${JSON.stringify({ eligible, allocation })}`;
      if (total < low || total > high) {
        refused++;
        const range = `chỉ cho tổng từ ${low.toLocaleString('vi-VN')} đến ${high.toLocaleString('vi-VN')} phiếu`;
        let message = '';
        try {
          allocate(eligible, allocation);
        } catch (error) {
          message = (error as Error).message;
        }
        if (!message.includes(range)) failures.push(`${what}: không từ chối đúng khoảng (${message})`);
        continue;
      }
      feasible++;
      const r = allocate(eligible, allocation);
      if (sum(r) !== total) failures.push(`${what}: tổng ${sum(r)}`);
      // The exact share, found independently by bisection on λ in floating point.
      const share = (lambda: number, n: number) => Math.min(hi(n), Math.max(lo(n), lambda * n));
      let a = 0;
      let b = 1e7;
      for (let i = 0; i < 200; i++) {
        const mid = (a + b) / 2;
        if (ns.reduce((s, n) => s + share(mid, n), 0) < total) a = mid;
        else b = mid;
      }
      for (const [code, n] of Object.entries(eligible)) {
        if (r[code] < lo(n) || r[code] > hi(n)) failures.push(`${what}: ${code} = ${r[code]} ngoài giới hạn`);
        if (Math.abs(r[code] - share(b, n)) >= 1 + 1e-6) failures.push(`${what}: ${code} = ${r[code]}, phần chính xác ${share(b, n)}`);
        for (const [other, m] of Object.entries(eligible)) {
          if (n > m && r[code] < r[other]) failures.push(`${what}: ${code} (N=${n}) được ${r[code]} < ${other} (N=${m}) được ${r[other]}`);
        }
      }
    }
    expect(failures.slice(0, 3)).toEqual([]);
    expect(feasible).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(20);
  });

  it('proportional: a merged province (13 departments, 102 communes of very different sizes) shares a budget of 5,000 within 30–60', () => {
    // ~300,000 dossiers: departments of 4,000–16,000 people, communes from 40 (an island) to 6,000.
    const random = seededRandom(2025);
    const eligible: Record<string, number> = {};
    for (let i = 0; i < 13; i++) eligible[`S${i}`] = Math.round(4000 + 12000 * random());
    for (let i = 0; i < 102; i++) eligible[`${30292 + i * 3}`] = i === 101 ? 40 : Math.round(300 + 5700 * random() ** 2);
    const n = allocate(eligible, { kind: 'proportional', total: 5000, min: 30, max: 60 });
    expect(Object.keys(n)).toHaveLength(115);
    expect(sum(n)).toBe(5000);
    for (const [code, size] of Object.entries(n)) {
      expect(size).toBeLessThanOrEqual(Math.min(60, eligible[code]));
      expect(size).toBeGreaterThanOrEqual(Math.min(30, eligible[code]));
    }
    // Every department (thousands of people) gets the maximum; the smallest communes, the island of 40 among them, the minimum.
    expect(Object.keys(n).filter((c) => c.startsWith('S')).every((c) => n[c] === 60)).toBe(true);
    expect(n['30595']).toBe(30);
    const codes = Object.keys(eligible).sort((a, b) => eligible[a] - eligible[b]);
    // Monotone in N (units of equal N may differ by one: the remainder's tie goes to the first code).
    for (let i = 1; i < codes.length; i++) if (eligible[codes[i]] > eligible[codes[i - 1]]) expect(n[codes[i]]).toBeGreaterThanOrEqual(n[codes[i - 1]]);
    // Between the bounds the sizes follow N: the budget is spread, not piled at the bounds.
    expect(new Set(Object.values(n)).size).toBeGreaterThan(10);
  });

  it('proportional, version 1 (draws recorded before version 2): the old pinning rule, kept so those draws still verify', () => {
    expect(allocate({ A: 1000, B: 100, C: 100 }, { kind: 'proportional', total: 60, min: 15, max: 20, version: 1 })).toEqual({ A: 20, B: 15, C: 15 });
    expect(allocate({ A: 5, B: 5 }, { kind: 'proportional', total: 4, min: 3, version: 1 })).toEqual({ A: 3, B: 3 });
  });

  it('proportional: the total is met when the bounds allow it', () => {
    expect(sum(allocate({ A: 7, B: 13, C: 29, D: 51 }, { kind: 'proportional', total: 37, min: 2, max: 20 }))).toBe(37);
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
