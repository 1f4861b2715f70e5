import { describe, expect, it } from 'vitest';
import { AttemptLimiter } from './attempt-limiter';

describe('AttemptLimiter', () => {
  it('blocks a key after the maximum failures within the window, and frees it afterwards', () => {
    const limiter = new AttemptLimiter(3, 60_000);
    for (const t of [0, 1000, 2000]) {
      expect(limiter.isBlocked('1.2.3.4', t)).toBe(false);
      limiter.recordFailure('1.2.3.4', t);
    }
    expect(limiter.isBlocked('1.2.3.4', 3000)).toBe(true);
    expect(limiter.isBlocked('5.6.7.8', 3000)).toBe(false);
    expect(limiter.isBlocked('1.2.3.4', 60_500)).toBe(false);
  });

  it('forgets the least recently failed keys beyond its size bound', () => {
    const limiter = new AttemptLimiter(1, 60_000, 2);
    limiter.recordFailure('a', 0);
    limiter.recordFailure('b', 1);
    limiter.recordFailure('c', 2);
    expect(limiter.isBlocked('a', 3)).toBe(false);
    expect(limiter.isBlocked('b', 3)).toBe(true);
    expect(limiter.isBlocked('c', 3)).toBe(true);
  });
});
