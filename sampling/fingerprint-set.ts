const SHARD_BITS = 8;
const SHARDS = 1 << SHARD_BITS;
const INITIAL_SLOTS = 16;
// Open addressing with linear probing stays fast up to this load with well-mixed keys.
const MAX_LOAD = 0.8;
const GROWTH = 1.5;

/**
 * Set of 64-bit fingerprints (hi, lo) in open-addressing tables on typed arrays: 8 bytes per
 * slot, against ~80 for a JavaScript Set of strings, which is what keeps de-duplication of a
 * multi-million-row frame within the memory budget.
 *
 * The set is split into 256 tables by the top byte of `hi`. A table that fills up is copied
 * into one 1.5 times larger, so the transient extra memory of growing is 1/256 of the set
 * (one table at a time, not the whole set at once, as a single doubling table would need),
 * and slots stay 53–80 % used on average, about 11–15 bytes per fingerprint.
 */
export class FingerprintSet {
  private readonly tables: Int32Array[] = [];
  /** Entries per table. */
  private readonly counts = new Int32Array(SHARDS);
  size = 0;

  constructor() {
    for (let i = 0; i < SHARDS; i++) this.tables.push(new Int32Array(INITIAL_SLOTS * 2));
  }

  /** Adds the fingerprint; false when it was already there. The all-zero fingerprint is the empty marker, so it is stored as (0, 1). */
  add(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    const shard = hi >>> (32 - SHARD_BITS);
    let keys = this.tables[shard];
    if (!insert(keys, hi, lo)) return false;
    this.size++;
    const count = ++this.counts[shard];
    if (count > (keys.length / 2) * MAX_LOAD) {
      const grown = new Int32Array(Math.ceil((keys.length / 2) * GROWTH) * 2);
      for (let k = 0; k < keys.length; k += 2) {
        if (keys[k] !== 0 || keys[k + 1] !== 0) insert(grown, keys[k], keys[k + 1]);
      }
      keys = grown;
      this.tables[shard] = grown;
    }
    return true;
  }

  has(hi: number, lo: number): boolean {
    if (hi === 0 && lo === 0) lo = 1;
    const keys = this.tables[hi >>> (32 - SHARD_BITS)];
    const slots = keys.length / 2;
    for (let slot = (lo & 0x7fffffff) % slots; ; slot = slot + 1 === slots ? 0 : slot + 1) {
      const khi = keys[slot * 2];
      const klo = keys[slot * 2 + 1];
      if (khi === hi && klo === lo) return true;
      if (khi === 0 && klo === 0) return false;
    }
  }

  /**
   * Empties the set but keeps its tables: a set filled next with as many fingerprints (the
   * persons of a frame after its dossier codes) reuses the memory instead of holding two sets
   * until a garbage collection frees the first.
   */
  clear(): void {
    for (const keys of this.tables) keys.fill(0);
    this.counts.fill(0);
    this.size = 0;
  }

  /** Every fingerprint in the set, as (hi, lo) pairs in one array: what a set built on another thread hands over (frame-parts.ts). */
  entries(): Int32Array {
    const out = new Int32Array(this.size * 2);
    let n = 0;
    for (const keys of this.tables) {
      for (let k = 0; k < keys.length; k += 2) {
        if (keys[k] === 0 && keys[k + 1] === 0) continue;
        out[n++] = keys[k];
        out[n++] = keys[k + 1];
      }
    }
    return out;
  }

  /** Memory held by the tables. */
  get bytes(): number {
    let bytes = 0;
    for (const keys of this.tables) bytes += keys.byteLength;
    return bytes;
  }
}

/** Inserts into one table (which always has a free slot); false when the key is there. */
function insert(keys: Int32Array, hi: number, lo: number): boolean {
  const slots = keys.length / 2;
  // The home slot comes from `lo`: `hi`'s top byte already chose the table.
  let slot = (lo & 0x7fffffff) % slots;
  for (;;) {
    const k = slot * 2;
    const khi = keys[k];
    const klo = keys[k + 1];
    if (khi === 0 && klo === 0) {
      keys[k] = hi;
      keys[k + 1] = lo;
      return true;
    }
    if (khi === hi && klo === lo) return false;
    slot = slot + 1 === slots ? 0 : slot + 1;
  }
}
