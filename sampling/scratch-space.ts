import type { ScratchSpace } from './types';

/** A scratch space in memory (ScratchSpace): for tests and small frames; `bytes()` gives all written. */
export function memoryScratch(): ScratchSpace & { bytes(): Uint8Array } {
  const parts: Uint8Array[] = [];
  return {
    write: (bytes) => {
      parts.push(bytes.slice());
    },
    async *read() {
      yield* parts;
    },
    bytes: () => Buffer.concat(parts),
  };
}
