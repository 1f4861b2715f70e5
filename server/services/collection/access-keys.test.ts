import { describe, expect, it } from 'vitest';
import { accessKeyFor, accessKeyMatches, formatAccessKey, normaliseAccessKey } from './access-keys';

describe('access keys for the short URL', () => {
  it('are 8 unambiguous symbols, the same for the same token', () => {
    const token = 'kq3V9m2xT0b7ZpWc1sYfAe8R';
    expect(accessKeyFor(token)).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(accessKeyFor(token)).toBe(accessKeyFor(token));
    expect(formatAccessKey('ABCD2345')).toBe('ABCD-2345');
  });

  it('differ between tokens (no collisions among 20,000 tokens)', () => {
    const keys = new Set(Array.from({ length: 20_000 }, (_, i) => accessKeyFor(`token-${i}`)));
    expect(keys.size).toBe(20_000);
  });

  it('accept what people type: any case, spaces, hyphens, O for 0 and I or L for 1', () => {
    expect(normaliseAccessKey(' ab0d-1l2z ')).toBe('AB0D112Z');
    expect(normaliseAccessKey('abod i12z')).toBe('AB0D112Z');
    expect(normaliseAccessKey('ABCD234')).toBeNull();
    expect(normaliseAccessKey('ABCD234U')).toBeNull();
    const token = 'Zx4q0Jm7uRr2LhE9cVb1Na5T';
    const key = accessKeyFor(token);
    expect(accessKeyMatches(token, formatAccessKey(key).toLowerCase())).toBe(true);
    const wrong = key.slice(0, 7) + (key[7] === 'A' ? 'B' : 'A');
    expect(accessKeyMatches(token, wrong)).toBe(false);
    expect(accessKeyMatches(token, '')).toBe(false);
  });
});
