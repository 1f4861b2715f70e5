/**
 * Counts failed attempts per key (a client address, a questionnaire code) in a sliding time
 * window and says when a key has had too many. Kept in memory: losing the counts on restart
 * only gives a guesser a fresh, still tiny, budget.
 */
export class AttemptLimiter {
  readonly #failures = new Map<string, number[]>();

  constructor(
    readonly maxFailures: number,
    readonly windowMs: number,
    /** Beyond this many tracked keys the oldest are forgotten, so memory stays bounded. */
    readonly maxKeys = 50_000,
  ) {}

  isBlocked(key: string, now = Date.now()): boolean {
    return this.#recent(key, now).length >= this.maxFailures;
  }

  recordFailure(key: string, now = Date.now()): void {
    const recent = this.#recent(key, now);
    recent.push(now);
    this.#failures.delete(key);
    this.#failures.set(key, recent);
    if (this.#failures.size > this.maxKeys) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
  }

  #recent(key: string, now: number): number[] {
    return (this.#failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
  }
}
