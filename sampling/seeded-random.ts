/**
 * mulberry32: a fixed-seed generator, so generated data (test fixtures, simulations, the demo
 * waves) is the same on every machine. Not for anything that must be unpredictable: the draw's
 * randomness comes from its public seed (draw.ts), never from here.
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
