/*
 * The draw from the frame file itself, what `draw verify` runs: the import's read (scanFrame,
 * writing a draw index into scratch space) then the draw from that index (drawFromIndex), so
 * the two ways to draw are one code path and cannot drift apart.
 */
import { checkDrawRequest } from './draw';
import { drawFromIndex, type BatchRanker, type ByteRange, type ReadRanges } from './draw-from-index';
import { scanFrame } from './frame';
import type { FrameFile } from './frame-parts';
import { memoryScratch } from './scratch-space';
import type { ByteSource, DrawOptions, DrawResult, FrameOptions, ScratchSpace } from './types';

/**
 * `frame` is the frame file (read whole, then its drawn rows alone), or gives a fresh stream of
 * its bytes each time: it is then streamed once whole, and once more for the drawn rows only.
 * `scratch` gives room for what the read writes down (memory by default; a caller drawing from
 * large frames gives files, and deletes them after); `rank` as for drawFromIndex (by default on
 * this thread).
 */
export async function drawSample(
  frame: FrameFile | (() => ByteSource),
  options: DrawOptions,
  scratch: () => ScratchSpace = memoryScratch,
  rank?: BatchRanker,
): Promise<DrawResult> {
  const { frameRules } = checkDrawRequest(options);
  const { seed, allocation, reservePercent, codeVersion, ...rules } = options;
  const index = scratch();
  const open = typeof frame === 'function' ? frame : () => frame.read(0, frame.size);
  await scanFrame(typeof frame === 'function' ? frame() : frame, { ...rules, frameRules } satisfies FrameOptions, index, scratch);
  const ranges = (typeof frame !== 'function' && frame.ranges) || streamedRanges(open);
  return drawFromIndex(index.read(), ranges, { seed, allocation, reservePercent, ...(codeVersion ? { codeVersion } : {}) }, rank);
}

/** Byte ranges read by streaming the whole file once, keeping only them (ReadRanges). */
export function streamedRanges(open: () => ByteSource): ReadRanges {
  return async (ranges: ByteRange[]) => {
    const out = ranges.map((r) => new Uint8Array(r.length));
    const filled = ranges.map(() => 0);
    const order = ranges.map((_, i) => i).sort((a, b) => ranges[a].offset - ranges[b].offset);
    let first = 0;
    let offset = 0;
    for await (const chunk of open()) {
      const end = offset + chunk.length;
      // Ranges wholly before this chunk are done; the others may start in it.
      while (first < order.length && ranges[order[first]].offset + ranges[order[first]].length <= offset) first++;
      for (let k = first; k < order.length && ranges[order[k]].offset < end; k++) {
        const i = order[k];
        const from = Math.max(ranges[i].offset, offset);
        const to = Math.min(ranges[i].offset + ranges[i].length, end);
        if (to <= from) continue;
        out[i].set(chunk.subarray(from - offset, to - offset), from - ranges[i].offset);
        filled[i] = Math.max(filled[i], to - ranges[i].offset);
      }
      offset = end;
      if (first >= order.length) break;
    }
    // Fewer bytes at the end of the file, as ReadRanges allows.
    return out.map((bytes, i) => bytes.subarray(0, filled[i]));
  };
}
