import { describe, expect, it } from 'vitest';
import { FingerprintSet } from './fingerprint-set';

describe('FingerprintSet', () => {
  it('adds once, finds every member after many tables have grown, and handles the zero fingerprint', () => {
    const set = new FingerprintSet();
    const hi = (i: number) => Math.imul(i, 0x9e3779b1);
    const lo = (i: number) => i ^ 0x5bd1e995;
    // One expect per case would cost seconds: collect the failing cases and assert once.
    const failures: string[] = [];
    for (let i = 0; i < 200_000; i++) if (set.add(hi(i), lo(i)) !== true) failures.push(`first add of ${i} did not return true`);
    expect(failures.slice(0, 20), `${failures.length} failures, the first`).toEqual([]);
    expect(set.size).toBe(200_000);
    for (let i = 0; i < 200_000; i += 97) {
      if (set.add(hi(i), lo(i)) !== false) failures.push(`second add of ${i} did not return false`);
      if (set.has(hi(i), lo(i)) !== true) failures.push(`member ${i} not found`);
      if (set.has(hi(i), lo(i) + 1) !== false) failures.push(`non-member next to ${i} found`);
    }
    expect(failures.slice(0, 20), `${failures.length} failures, the first`).toEqual([]);
    expect(set.has(0, 0)).toBe(false);
    expect(set.add(0, 0)).toBe(true);
    expect(set.add(0, 0)).toBe(false);
    expect(set.has(0, 0)).toBe(true);
    expect(set.size).toBe(200_001);
  });

  it('once cleared, holds nothing and takes as many new fingerprints in the memory it had', () => {
    const set = new FingerprintSet();
    for (let i = 1; i <= 50_000; i++) set.add(Math.imul(i, 0x9e3779b1), i);
    const bytes = set.bytes;
    set.clear();
    expect([set.size, set.has(Math.imul(7, 0x9e3779b1), 7)]).toEqual([0, false]);
    let added = 0;
    for (let i = 1; i <= 50_000; i++) if (set.add(Math.imul(i, 0x85ebca6b), i + 1)) added++;
    expect([added, set.size, set.has(Math.imul(7, 0x85ebca6b), 8), set.has(Math.imul(7, 0x9e3779b1), 7)]).toEqual([50_000, 50_000, true, false]);
    // The same number of slots, give or take the few tables the new fingerprints fill more.
    expect(set.bytes).toBeLessThan(bytes * 1.1);
  });

  it('holds 8 bytes per slot at 53–80 % use once grown', () => {
    const set = new FingerprintSet();
    for (let i = 1; i <= 500_000; i++) set.add(Math.imul(i, 0x9e3779b1), Math.imul(i, 0x85ebca6b));
    const perEntry = set.bytes / set.size;
    expect(perEntry).toBeGreaterThan(8 / 0.8);
    expect(perEntry).toBeLessThan(8 / 0.5);
  });

  it('lists every fingerprint it holds once, as (hi, lo) pairs another set can be rebuilt from', () => {
    const set = new FingerprintSet();
    const added = new Set<string>();
    for (let i = 0; i < 30_000; i++) {
      const hi = Math.imul(i % 7_000, 0x9e3779b1);
      const lo = i % 7_000 === 3 ? 0 : i % 7_000;
      set.add(hi, lo);
      added.add(`${hi},${lo === 0 && hi === 0 ? 1 : lo}`);
    }
    const entries = set.entries();
    expect(entries.length).toBe(set.size * 2);
    const listed = new Set<string>();
    for (let k = 0; k < entries.length; k += 2) listed.add(`${entries[k]},${entries[k + 1]}`);
    expect(listed.size).toBe(set.size);
    expect([...listed].sort()).toEqual([...added].sort());
  });
});
