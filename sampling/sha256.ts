// HMAC-SHA-256 (RFC 2104) over the SHA-256 compression function (FIPS 180-4) in plain
// TypeScript, for the per-person rank of the draw: the keyed inner and outer states are
// computed once per seed and reused, and nothing is allocated per call. Measured on the
// 2-vCPU bench machine (Node 20.20, 300,000 messages like 'CMO\0id:0890…', 3 runs): this
// class 0.9–1.3 µs per HMAC, node:crypto `createHmac(…).update(…).digest()` 2.6–3.2 µs,
// because a native call pays for a new hash object each time. The whole-file hash, where
// one native object serves the whole file, uses node:crypto instead (sampling/decode.ts).
import { createHash } from 'node:crypto';

const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const IV = Int32Array.from([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const W = new Int32Array(64);

function compress(state: Int32Array, bytes: Uint8Array, offset: number): void {
  const w = W;
  for (let i = 0; i < 16; i++) {
    const o = offset + i * 4;
    w[i] = (bytes[o] << 24) | (bytes[o + 1] << 16) | (bytes[o + 2] << 8) | bytes[o + 3];
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15];
    const y = w[i - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16] + s0 + w[i - 7] + s1) | 0;
  }
  let a = state[0], b = state[1], c = state[2], d = state[3];
  let e = state[4], f = state[5], g = state[6], h = state[7];
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g; g = f; f = e; e = (d + t1) | 0;
    d = c; c = b; b = a; a = (t1 + t2) | 0;
  }
  state[0] = (state[0] + a) | 0; state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0; state[3] = (state[3] + d) | 0;
  state[4] = (state[4] + e) | 0; state[5] = (state[5] + f) | 0;
  state[6] = (state[6] + g) | 0; state[7] = (state[7] + h) | 0;
}

/**
 * Appends the 0x80 marker, zero fill and 64-bit bit length to the tail of `used` bytes at
 * `offset` of `bytes` (which has a spare block after it), then compresses it.
 */
function finish(state: Int32Array, bytes: Uint8Array, offset: number, used: number, totalBytes: number): void {
  let end = offset + used;
  bytes[end++] = 0x80;
  if (end > offset + 56) {
    bytes.fill(0, end, offset + 64);
    compress(state, bytes, offset);
    offset += 64;
    end = offset;
  }
  bytes.fill(0, end, offset + 56);
  const bits = totalBytes * 8;
  const high = Math.floor(bits / 0x100000000);
  const low = bits >>> 0;
  const at = offset + 56;
  bytes[at] = high >>> 24; bytes[at + 1] = high >>> 16; bytes[at + 2] = high >>> 8; bytes[at + 3] = high;
  bytes[at + 4] = low >>> 24; bytes[at + 5] = low >>> 16; bytes[at + 6] = low >>> 8; bytes[at + 7] = low;
  compress(state, bytes, offset);
}

/** Big-endian unsigned comparison of two digests; the same order as comparing their hex strings. */
export function compareDigests(a: Int32Array, b: Int32Array): number {
  for (let i = 0; i < 8; i++) {
    const x = a[i] >>> 0;
    const y = b[i] >>> 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export class HmacSha256 {
  private readonly inner = IV.slice();
  private readonly outer = IV.slice();
  private readonly state = new Int32Array(8);
  private readonly outerBlock = new Uint8Array(64);
  private message = new Uint8Array(256);

  constructor(key: string) {
    let keyBytes = new TextEncoder().encode(key);
    // RFC 2104: a key longer than the block is replaced by its hash.
    if (keyBytes.length > 64) keyBytes = createHash('sha256').update(keyBytes).digest();
    const pad = new Uint8Array(64);
    pad.set(keyBytes);
    const block = new Uint8Array(64);
    for (let i = 0; i < 64; i++) block[i] = pad[i] ^ 0x36;
    compress(this.inner, block, 0);
    for (let i = 0; i < 64; i++) block[i] = pad[i] ^ 0x5c;
    compress(this.outer, block, 0);
  }

  private length = 0;

  /**
   * Starts a message; the parts added next are hashed as their concatenation in UTF-8 (parts
   * are whole strings here, never half of a surrogate pair).
   */
  start(): this {
    this.length = 0;
    return this;
  }

  add(text: string): this {
    this.length = this.encode(text, this.length);
    return this;
  }

  /**
   * Adds bytes [start, end) of `bytes` (a draw index keeps the UTF-8 of each rank message, so
   * the draw encodes nothing); copied byte by byte, as short messages copy faster so than
   * through a subarray.
   */
  addBytes(bytes: Uint8Array, start = 0, end = bytes.length): this {
    let n = this.length;
    this.reserve(n + end - start + 128, n);
    const m = this.message;
    for (let i = start; i < end; i++) m[n++] = bytes[i];
    this.length = n;
    return this;
  }

  /** Writes the HMAC as eight big-endian words into caller-owned `out`, so the hot loop allocates nothing. */
  finishInto(out: Int32Array): void {
    const length = this.length;
    const message = this.message;
    const state = this.state;
    state.set(this.inner);
    let offset = 0;
    for (; offset + 64 <= length; offset += 64) compress(state, message, offset);
    // The tail is finished in place: encode() and addBytes() always leave two spare blocks after the text.
    finish(state, message, offset, length - offset, 64 + length);

    const ob = this.outerBlock;
    for (let i = 0; i < 8; i++) {
      const v = state[i];
      ob[i * 4] = v >>> 24; ob[i * 4 + 1] = v >>> 16; ob[i * 4 + 2] = v >>> 8; ob[i * 4 + 3] = v;
    }
    out.set(this.outer);
    finish(out, ob, 0, 32, 96);
  }

  private encode(text: string, n: number): number {
    // Worst case 3 bytes per UTF-16 unit, plus a spare block for the padding.
    this.reserve(n + text.length * 3 + 128, n);
    return encodeUtf8(text, this.message, n);
  }

  private reserve(needed: number, used: number): void {
    if (this.message.length < needed) {
      const grown = new Uint8Array(needed * 2);
      grown.set(this.message.subarray(0, used));
      this.message = grown;
    }
  }
}

/**
 * The rank HMAC of many messages at once: for message i, bytes [starts[i], ends[i]) of `data`,
 * HMAC-SHA-256 under `key` as eight big-endian words at out[8i..8i+8). Plain data in and out, so
 * that a caller with spare cores can run batches of it on other threads (the draw's BatchRanker).
 */
export function rankMessages(key: string, data: Uint8Array, starts: Uint32Array, ends: Uint32Array, count: number): Int32Array {
  const hmac = new HmacSha256(key);
  const out = new Int32Array(count * 8);
  const rank = new Int32Array(8);
  for (let i = 0; i < count; i++) {
    hmac.start().addBytes(data, starts[i], ends[i]).finishInto(rank);
    out.set(rank, i * 8);
  }
  return out;
}

/**
 * Writes the UTF-8 of `text` into `m` from `n` (which must have 3 bytes per UTF-16 unit free)
 * and returns the end; a lone surrogate becomes U+FFFD, as TextEncoder does.
 */
export function encodeUtf8(text: string, m: Uint8Array, n: number): number {
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      m[n++] = c;
    } else if (c < 0x800) {
      m[n++] = 0xc0 | (c >> 6);
      m[n++] = 0x80 | (c & 63);
    } else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo < 0xe000) {
        i++;
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        m[n++] = 0xf0 | (c >> 18);
        m[n++] = 0x80 | ((c >> 12) & 63);
        m[n++] = 0x80 | ((c >> 6) & 63);
        m[n++] = 0x80 | (c & 63);
      } else {
        m[n++] = 0xef; m[n++] = 0xbf; m[n++] = 0xbd;
      }
    } else if (c >= 0xd800 && c < 0xe000) {
      // Lone surrogate: encoded as U+FFFD, as TextEncoder does.
      m[n++] = 0xef; m[n++] = 0xbf; m[n++] = 0xbd;
    } else {
      m[n++] = 0xe0 | (c >> 12);
      m[n++] = 0x80 | ((c >> 6) & 63);
      m[n++] = 0x80 | (c & 63);
    }
  }
  return n;
}
