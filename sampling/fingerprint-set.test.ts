import { describe, expect, it } from 'vitest';
import { FingerprintSet } from './fingerprint-set';

describe('FingerprintSet', () => {
  it('adds once, finds every member after many tables have grown, and handles the zero fingerprint', () => {
    const set = new FingerprintSet();
    const hi = (i: number) => Math.imul(i, 0x9e3779b1);
    const lo = (i: number) => i ^ 0x5bd1e995;
    for (let i = 0; i < 200_000; i++) expect(set.add(hi(i), lo(i))).toBe(true);
    expect(set.size).toBe(200_000);
    for (let i = 0; i < 200_000; i += 97) {
      expect(set.add(hi(i), lo(i))).toBe(false);
      expect(set.has(hi(i), lo(i))).toBe(true);
      expect(set.has(hi(i), lo(i) + 1)).toBe(false);
    }
    expect(set.has(0, 0)).toBe(false);
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 0)).toBe(false);
    expect(set.has(0, 0)).toBe(true);
    expect(set.size).toBe(200_001);
  });

  it('holds 8 bytes per slot at 53–80 % use once grown', () => {
    const set = new FingerprintSet();
    for (let i = 1; i <= 500_000; i++) set.add(Math.imul(i, 0x9e3779b1), Math.imul(i, 0x85ebca6b));
    const perEntry = set.bytes / set.size;
    expect(perEntry).toBeGreaterThan(8 / 0.8);
    expect(perEntry).toBeLessThan(8 / 0.5);
  });
});
