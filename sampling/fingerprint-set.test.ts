import { describe, expect, it } from 'vitest';
import { FingerprintSet } from './fingerprint-set';

describe('FingerprintSet', () => {
  it('stores values, finds repeats after growing, and handles the zero fingerprint', () => {
    const set = new FingerprintSet(16, true);
    for (let i = 0; i < 10_000; i++) expect(set.insert(i * 7919, i ^ 0x5bd1e995, i)).toBe(-1);
    expect(set.size).toBe(10_000);
    for (let i = 0; i < 10_000; i += 97) {
      const slot = set.insert(i * 7919, i ^ 0x5bd1e995, -1);
      expect(slot).toBeGreaterThanOrEqual(0);
      expect(set.valueAt(slot)).toBe(i);
    }
    expect(set.find(0, 0)).toBe(-1);
    expect(set.insert(0, 0, 5)).toBe(-1);
    const zero = set.insert(0, 0, 6);
    expect(set.valueAt(zero)).toBe(5);
    expect(set.find(0, 0)).toBe(zero);
    expect(set.valueAt(set.find(7919 * 42, 42 ^ 0x5bd1e995))).toBe(42);
    expect(set.find(7919 * 42, 43)).toBe(-1);
  });

  it('works as a plain set without values', () => {
    const set = new FingerprintSet(16, false);
    for (let i = 0; i < 5_000; i++) expect(set.insert(i, ~i, 0)).toBe(-1);
    for (let i = 0; i < 5_000; i += 7) expect(set.insert(i, ~i, 0)).toBeGreaterThanOrEqual(0);
    expect(set.size).toBe(5_000);
  });
});
