/**
 * Open-addressing hash set of 64-bit fingerprints, optionally with one 32-bit value per entry,
 * held in typed arrays: 8 or 12 bytes per slot instead of the ~80 a JavaScript Set of strings
 * costs, which is what keeps de-duplication of a multi-million-row frame within the budget.
 */
export class FingerprintSet {
  private keys: Int32Array;
  private vals: Int32Array;
  private mask: number;
  size = 0;

  constructor(
    initialCapacity: number,
    private readonly withValues: boolean,
  ) {
    let capacity = 16;
    while (capacity < initialCapacity) capacity *= 2;
    this.keys = new Int32Array(capacity * 2);
    this.vals = new Int32Array(withValues ? capacity : 0);
    this.mask = capacity - 1;
  }

  /**
   * Inserts the fingerprint with `value` if absent and returns -1; if present, returns its slot
   * (read with `valueAt`). The all-zero fingerprint is the empty marker, so it is
   * stored as (0, 1).
   */
  insert(hi: number, lo: number, value: number): number {
    if (hi === 0 && lo === 0) lo = 1;
    const keys = this.keys;
    let slot = hi & this.mask;
    for (;;) {
      const k = slot * 2;
      const khi = keys[k];
      const klo = keys[k + 1];
      if (khi === 0 && klo === 0) break;
      if (khi === hi && klo === lo) return slot;
      slot = (slot + 1) & this.mask;
    }
    keys[slot * 2] = hi;
    keys[slot * 2 + 1] = lo;
    if (this.withValues) this.vals[slot] = value;
    this.size++;
    if (this.size * 10 > (this.mask + 1) * 7) this.grow();
    return -1;
  }

  /** The slot holding the fingerprint, or -1 when absent. */
  find(hi: number, lo: number): number {
    if (hi === 0 && lo === 0) lo = 1;
    const keys = this.keys;
    let slot = hi & this.mask;
    for (;;) {
      const k = slot * 2;
      const khi = keys[k];
      const klo = keys[k + 1];
      if (khi === hi && klo === lo) return slot;
      if (khi === 0 && klo === 0) return -1;
      slot = (slot + 1) & this.mask;
    }
  }

  valueAt(slot: number): number {
    return this.vals[slot];
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldVals = this.vals;
    const capacity = (this.mask + 1) * 2;
    const keys = new Int32Array(capacity * 2);
    const vals = new Int32Array(this.withValues ? capacity : 0);
    const mask = capacity - 1;
    for (let s = 0; s < oldKeys.length / 2; s++) {
      const hi = oldKeys[s * 2];
      const lo = oldKeys[s * 2 + 1];
      if (hi === 0 && lo === 0) continue;
      let slot = hi & mask;
      while (keys[slot * 2] !== 0 || keys[slot * 2 + 1] !== 0) slot = (slot + 1) & mask;
      keys[slot * 2] = hi;
      keys[slot * 2 + 1] = lo;
      if (this.withValues) vals[slot] = oldVals[s];
    }
    this.keys = keys;
    this.vals = vals;
    this.mask = mask;
  }
}
