import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawFromIndex, drawSample, memoryScratch, rankMessages, scanFrame, type BatchRanker, type FrameFile, type PartReader, type ReadRanges } from '../../../sampling';
import { diskFrameFile } from '../storage/disk-files';
import { SamplingThreads } from './sampling-threads';

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

describe('SamplingThreads', () => {
  it('ranks a batch in a worker exactly as rankMessages does on this thread', async () => {
    const threads = new SamplingThreads(1);
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

    const threads = new SamplingThreads(1);
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

  it('reads the second part of a frame file on a worker, with what one stream of the file gives', async () => {
    const rows = ['Mã hồ sơ,Mã đơn vị,Họ và tên,Địa chỉ,Số CCCD,Ngày trả kết quả'];
    for (let i = 0; i < 3000; i++) {
      const p = i % 1700;
      // Quoted addresses on every line, a repeated code on either side of the middle, rows without a number.
      const code = i === 10 || i === 2990 ? 'HS-TWICE' : `HS-${i}`;
      rows.push(`${code},${['CMO', 'LXU'][p % 2]},Người ${p},"Số ${p}, đường Lê Lợi",${p % 5 ? `0890${String(p).padStart(8, '0')}` : ''},15/0${1 + (i % 9)}/2023`);
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-parts-'));
    const file = path.join(dir, 'frame.csv');
    fs.writeFileSync(file, '\uFEFF' + rows.join('\r\n') + '\r\n');
    const units = [{ code: 'CMO', name: 'Sở Công Thương' }, { code: 'LXU', name: 'Phường Long Xuyên' }];
    const request = { seed: 'hai phần 2025', allocation: { kind: 'fixed' as const, perUnit: 2000 }, reservePercent: 0 };
    // Not awaited ready, as a command starting its first read: the part waits for the worker.
    const threads = new SamplingThreads(1);
    try {
      const outcomes: (string | undefined)[] = [];
      const watching: PartReader = async (task, log, onProgress) => {
        const part = await threads.partReader(file)!(task, log, onProgress);
        outcomes.push(part.fatal);
        return part;
      };
      const parted: FrameFile = { ...diskFrameFile(file, watching), partsFromBytes: 0 };
      const stream = () => fs.createReadStream(file, { highWaterMark: 4096 });
      // Without the memory the tables took: two parts hold two sets at once.
      const result = <T extends { dedupBytes: number }>(read: T): T => ({ ...read, dedupBytes: 0 });
      expect(result(await scanFrame(parted, { units }))).toEqual(result(await scanFrame(stream(), { units })));
      // Everyone drawn: every eligible row is read back from the place the worker logged.
      const drawn = await drawSample(parted, { units, ...request });
      expect(result(drawn)).toEqual(result(await drawSample(stream, { units, ...request })));
      expect(drawn.report.duplicateDossierCodes).toBe(1);
      expect(drawn.entries.length).toBe(1700);
      expect(outcomes).toEqual([undefined, undefined]);
    } finally {
      await threads.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has no part reader without a worker, and a part it cannot read on one is read here', async () => {
    const none = new SamplingThreads(0);
    expect(none.partReader('/any/file.csv')).toBeUndefined();
    const threads = new SamplingThreads(1);
    try {
      await threads.ready();
      const reader = threads.partReader('/no/such/file.csv')!;
      const part = await reader({ start: 0, end: 10, header: { headers: ['Mã hồ sơ', 'Mã đơn vị', 'Họ và tên', 'Địa chỉ', 'Ngày trả kết quả'], encoding: 'utf-8', delimiter: ',', newline: '\n' }, options: { units: [] }, positions: false }, memoryScratch(), () => {});
      expect(part.fatal).toMatch(/Không đọc được tệp.*ENOENT/);
    } finally {
      await threads.close();
    }
  });
});
