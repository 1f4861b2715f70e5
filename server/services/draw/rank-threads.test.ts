import { describe, expect, it } from 'vitest';
import { drawFromIndex, drawSample, memoryScratch, rankMessages, scanFrame, type BatchRanker, type ReadRanges } from '../../../sampling';
import { RankThreads } from './rank-threads';

/** Messages like the draw's ('unit' U+0000 'id:…' or 'na:' name and address), some past one SHA-256 block. */
function messages(count: number): { data: Uint8Array; starts: Uint32Array; ends: Uint32Array } {
  const parts = Array.from({ length: count }, (_, i) => `U${i % 7}\u0000${i % 3 ? `id:0890${String(i).padStart(8, '0')}` : `na:nguyễn văn ${i}\u0000${'ấp mỹ hòa '.repeat(i % 9)}`}`);
  const encoded = parts.map((p) => new TextEncoder().encode(p));
  const data = new Uint8Array(encoded.reduce((n, e) => n + e.length + 3, 0));
  const starts = new Uint32Array(count);
  const ends = new Uint32Array(count);
  let at = 0;
  encoded.forEach((e, i) => {
    starts[i] = at + 3; // bytes between messages, as in an index
    data.set(e, starts[i]);
    ends[i] = at = starts[i] + e.length;
  });
  return { data, starts, ends };
}

/** `bytes` as a stream of `size`-byte chunks. */
async function* chunks(bytes: Uint8Array, size = bytes.length): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe('RankThreads', () => {
  it('ranks a batch in a worker exactly as rankMessages does on this thread', async () => {
    const threads = new RankThreads(1);
    try {
      await threads.ready();
      const { data, starts, ends } = messages(2000);
      const inWorker = threads.rank('hạt giống 2025', data, starts, ends, 2000);
      expect(inWorker).toBeInstanceOf(Promise);
      expect(await inWorker).toEqual(rankMessages('hạt giống 2025', data, starts, ends, 2000));
    } finally {
      await threads.close();
    }
  });

  it('ranks here while its workers are busy, and a draw shared between them is the draw', async () => {
    const rows = ['dossier_code,unit_code,applicant_name,address,id_number,result_date'];
    for (let i = 0; i < 6000; i++) {
      const p = Math.floor(i / 2) % 2500;
      rows.push(`HS-${i},${['CMO', 'LXU'][p % 2]},Người ${p},Số ${p} Lê Lợi,${p % 4 ? `0890${String(p).padStart(8, '0')}` : ''},2023-0${1 + (i % 9)}-15`);
    }
    const frame = new TextEncoder().encode(rows.join('\n'));
    const units = [{ code: 'CMO', name: 'Sở Công Thương' }, { code: 'LXU', name: 'Phường Long Xuyên' }];
    const sink = memoryScratch();
    await scanFrame(chunks(frame), { units }, sink);
    const index = sink.bytes();
    const request = { seed: '2025-12-01 xổ số 123456', allocation: { kind: 'fixed' as const, perUnit: 40 }, reservePercent: 20 };
    const ranges: ReadRanges = async (list) => list.map((r) => frame.subarray(r.offset, r.offset + r.length));

    const threads = new RankThreads(1);
    try {
      await threads.ready();
      let inWorkers = 0;
      let here = 0;
      const counting: BatchRanker = (...args) => {
        const ranks = threads.rank(...args);
        if (ranks instanceof Promise) inWorkers++;
        else here++;
        return ranks;
      };
      // The index in 2 KiB chunks: many batches, more at once than one worker holds.
      const result = await drawFromIndex(chunks(index, 2048), ranges, request, counting);
      expect(result).toEqual(await drawSample(() => chunks(frame), { units, ...request }));
      expect(result.ok && result.entries.length).toBe(96);
      expect(inWorkers).toBeGreaterThan(0);
      expect(here).toBeGreaterThan(0);
    } finally {
      await threads.close();
    }
  });
});
