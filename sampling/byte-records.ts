/*
 * Records of bytes as the draw index (draw-index.ts) and the row log (row-log.ts) write and read
 * them: unsigned varints (7 bits a byte, low first), length-prefixed runs of bytes, and a stream
 * of chunks read record by record.
 */

export function writeVarint(out: Uint8Array, n: number, value: number): number {
  while (value >= 0x80) {
    out[n++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  out[n++] = value;
  return n;
}

/**
 * Writes at `start` the length of bytes [start + 1, end), already written there on the guess
 * that one length byte is enough, and moves them on in the rare case it takes more. Gives
 * where they now end.
 */
export function lengthBefore(out: Uint8Array, start: number, end: number): number {
  const length = end - start - 1;
  if (length < 0x80) {
    out[start] = length;
    return end;
  }
  const scratch = new Uint8Array(8);
  const size = writeVarint(scratch, 0, length);
  out.copyWithin(start + size, start + 1, end);
  out.set(scratch.subarray(0, size), start);
  return end + size - 1;
}

/** Where the last varint read ended (readVarint). */
export let varintEnd = 0;

/** Reads a varint at `q`; an unfinished one (bytes past the end are undefined) ends there, and the caller sees varintEnd past the end. */
export function readVarint(d: Uint8Array, q: number): number {
  let value = 0;
  for (let shift = 1; ; shift *= 0x80) {
    const b = d[q++];
    if (b === undefined) break;
    value += (b & 0x7f) * shift;
    if (b < 0x80) break;
  }
  varintEnd = q;
  return value;
}

/**
 * Hands `consume` each chunk of `source` joined to what the previous call left unread;
 * `consume` reads the whole records it finds (with `last`, every byte) and gives where the
 * unread rest begins. `afterChunk` is awaited after each chunk. Gives what is left unread at the end.
 */
export async function consumeChunks(
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  consume: (data: Uint8Array, last: boolean) => number,
  afterChunk?: () => Promise<void> | void,
): Promise<Uint8Array> {
  let carry = new Uint8Array(0);
  for await (const chunk of source) {
    let data = chunk;
    if (carry.length > 0) {
      data = new Uint8Array(carry.length + chunk.length);
      data.set(carry);
      data.set(chunk, carry.length);
    }
    // Copied: the stream may reuse its chunk, and a kept view would keep the whole chunk.
    carry = data.slice(consume(data, false));
    await afterChunk?.();
  }
  return carry.length > 0 ? carry.subarray(consume(carry, true)) : carry;
}
