import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawSample } from './draw-sample';
import { scanFrame } from './frame';
import { findSplit, readFramePart, type FrameFile, type PartReader } from './frame-parts';
import { memoryScratch } from './scratch-space';
import { HEADER, csv, partedFile, row, source } from './test-support';
import type { DrawOptions, ReadProgress, ScratchSpace } from './types';

/*
 * A file read in two parts at once must give exactly what reading it in one stream gives: the
 * same report, SHA-256, draw index bytes and sample, whatever the rows and wherever the split
 * falls. Here the second part runs on the same thread (partedFile); test/frame-parts-threads
 * runs it on the server's real thread.
 */

const OPTIONS: DrawOptions = {
  units: [
    { code: 'CMO', name: 'Huyện Chợ Mới' },
    { code: 'LXU', name: 'Thành phố Long Xuyên' },
  ],
  period: { from: '2023-01-01', to: '2023-12-31' },
  seed: 'hai-phan-2023',
  allocation: { kind: 'fixed', perUnit: 4 },
  reservePercent: 50,
};
const { seed: _seed, allocation: _allocation, reservePercent: _reserve, ...FRAME } = OPTIONS;

// Addresses with and without commas: quoted cells on many lines, as in real exports.
const PEOPLE = [
  { name: 'Nguyễn Văn An', address: 'Số 1 đường Lê Lợi phường Mỹ Bình', id: '089123456789' },
  { name: 'NGUYỄN VĂN AN', address: 'số 1 đường lê lợi phường mỹ bình', id: '089123456780' },
  { name: 'Trần Thị Bình', address: 'Ấp Long Hòa, xã Chợ Mới', id: '001234567890' },
  { name: 'Lê Văn Ba', address: 'Tổ 3, khóm Đông Thịnh', id: '079000000123' },
  { name: 'Võ Thị Ánh'.normalize('NFD'), address: 'Ấp Mỹ Hòa xã Tân Hòa', id: '089200000009' },
  { name: 'Phạm Văn Cường', address: 'Số 9, "Nhà trọ" Bình Khánh', id: '089300000001' },
];

const lineArbitrary = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      kind: fc.constant('row' as const),
      code: fc.integer({ min: 0, max: 60 }),
      unit: fc.constantFrom('CMO', 'CMO', 'LXU', 'Thành phố Long Xuyên', 'XYZ', ''),
      person: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
      withId: fc.boolean(),
      date: fc.constantFrom('15/03/2023', '15/03/2023', '01/02/2022', '', '31/02/2023'),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'blank' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'short' as const }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }).map((lines) => ({ kind: 'multiline' as const, lines })) },
);
type Line = typeof lineArbitrary extends fc.Arbitrary<infer T> ? T : never;

function lineText(line: Line, i: number): string {
  if (line.kind === 'blank') return '';
  if (line.kind === 'short') return `HS-short-${i},CMO`;
  if (line.kind === 'multiline') return row({ code: `HS-ml-${i}`, address: Array.from({ length: line.lines }, (_, k) => `dòng ${k}`).join('\n') });
  const person = PEOPLE[line.person];
  return row({ code: `HS${line.code}`, unit: line.unit, date: line.date, name: person.name, address: person.address, id: line.withId ? person.id : '' });
}

const frameText = (lines: Line[], eol = '\r\n') => csv(lines.map(lineText), HEADER, eol);

/**
 * Watches a read in parts: how many times the second part was started, and whether its log was
 * replayed (the part was used, not read again here). Scratch spaces are made in order: the
 * first part's log, then the second's.
 */
function watched(file: FrameFile): { file: FrameFile; scratch: () => ScratchSpace; calls: () => number; used: () => boolean } {
  let calls = 0;
  const spaces: { read: boolean }[] = [];
  const readPart: PartReader = (task, log, onProgress) => {
    calls++;
    return file.readPart!(task, log, onProgress);
  };
  const scratch = (): ScratchSpace => {
    const space = memoryScratch();
    const seen = { read: false };
    spaces.push(seen);
    return {
      write: (bytes) => space.write(bytes),
      read: () => {
        seen.read = true;
        return space.read();
      },
    };
  };
  return { file: { ...file, readPart }, scratch, calls: () => calls, used: () => spaces[1]?.read === true };
}

/** A read's or a draw's result without the memory its tables took (two parts hold two sets at once). */
const result = <T extends { dedupBytes: number }>(read: T): T => ({ ...read, dedupBytes: 0 });

/** One stream and the file in parts, each writing a draw index (so each row's position is worked out). */
async function scanBoth(text: string | Uint8Array, chunkSize = 512) {
  const stream = await scanFrame(source(text, 97), FRAME, memoryScratch());
  const parted = watched(partedFile(text, chunkSize));
  const parts = await scanFrame(parted.file, FRAME, memoryScratch(), parted.scratch);
  return { stream: result(stream), parts: result(parts), calls: parted.calls(), used: parted.used() };
}

describe('scanFrame in two parts', () => {
  it('gives the report and SHA-256 of one stream, whatever the rows (seeded property test)', async () => {
    let split = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(lineArbitrary, { minLength: 30, maxLength: 160 }), fc.boolean(), async (lines, crlf) => {
        const text = frameText(lines, crlf ? '\r\n' : '\n');
        const both = await scanBoth(text);
        expect(both.parts).toEqual(both.stream);
        if (both.used) split++;
      }),
      { seed: 20261202, numRuns: 200 },
    );
    // The property is about reads in parts: most frames must have been read so.
    expect(split).toBeGreaterThan(150);
  });

  it('draws the same sample from the file read in parts as from one stream, every row read back from its logged place', async () => {
    // Everyone drawn: each eligible row is read back alone from where the index puts it, and checked there (drawFromIndex).
    const everyone: DrawOptions = { ...OPTIONS, allocation: { kind: 'fixed', perUnit: 1000 }, reservePercent: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(lineArbitrary, { minLength: 30, maxLength: 160 }), async (lines) => {
        const text = frameText(lines);
        const fromStream = await drawSample(() => source(text, 97), everyone);
        const fromParts = await drawSample(partedFile(text, 512), everyone);
        expect(result(fromParts)).toEqual(result(fromStream));
        expect(fromParts.entries.length).toBe(Object.values(fromParts.report.eligibleByUnit).reduce((a, b) => a + b, 0));
      }),
      { seed: 7, numRuns: 60 },
    );
  });

  it('rejects a dossier code found once in each part, numbers rows after the first part, and links across the split', async () => {
    const an = PEOPLE[0];
    const ba = PEOPLE[3];
    const filler = (from: number) =>
      Array.from({ length: 40 }, (_, i) => row({ code: `F${from + i}`, unit: 'LXU', address: 'Ấp Long Hòa', id: `08910000${String(from + i).padStart(4, '0')}` }));
    const text = csv([
      row({ code: 'TWICE', id: '089000000001' }),
      row({ code: 'A-noid', name: an.name, address: an.address }),
      ...filler(0),
      '',
      ...filler(100),
      row({ code: 'B-noid', name: ba.name, address: ba.address }),
      row({ code: 'TWICE', id: '089000000002' }),
      row({ code: 'A-id', name: an.name, address: an.address, id: an.id }),
      row({ code: 'BAD-DATE', date: '31/02/2023' }),
      row({ code: 'B-id', name: ba.name, address: ba.address, id: ba.id }),
    ]);
    const both = await scanBoth(text);
    expect(both.used).toBe(true);
    expect(both.parts).toEqual(both.stream);
    const report = both.parts.report;
    // Header row 1, 2 + 40 rows, a blank line at 44, 40 more: the second part's rows are 85 on.
    expect(report.rejections.map((r) => [r.row, r.reason.slice(0, 17)])).toEqual([
      [2, 'Mã hồ sơ bị trùng'],
      [86, 'Mã hồ sơ bị trùng'],
      [88, 'Ngày trả kết quả '],
    ]);
    expect(report.rejections[0].reason).toContain('các dòng 2, 86');
    // An: without a number in the first part, with it in the second; Ba: the other way round. One person each.
    expect(report.personsMerged).toBe(2);
    expect(report.eligibleByUnit).toEqual({ CMO: 2, LXU: 80 });
  });

  it('reads on alone when the split falls inside a quoted cell, with the same result', async () => {
    // A cell of many quiet lines across the middle of the file: the guessed split is inside it.
    const address = Array.from({ length: 400 }, (_, k) => `dòng ${k} của một địa chỉ rất dài`).join('\n');
    const text = csv([
      ...Array.from({ length: 30 }, (_, i) => row({ code: `B${i}`, address: 'Ấp Long Hòa', id: `0891000000${String(i).padStart(2, '0')}` })),
      row({ code: 'LONG', address }),
      ...Array.from({ length: 30 }, (_, i) => row({ code: `A${i}`, address: 'Ấp Long Hòa', id: `0892000000${String(i).padStart(2, '0')}` })),
    ]);
    const at = await findSplit(partedFile(text));
    const middle = text.indexOf('dòng 0');
    expect(at).not.toBeNull();
    expect(at! > Buffer.byteLength(text.slice(0, middle))).toBe(true);
    const both = await scanBoth(text);
    expect(both.calls).toBe(1);
    expect(both.used).toBe(false);
    expect(both.parts).toEqual(both.stream);
    expect(both.parts.report.rowsRead).toBe(61);
  });

  it('reads on alone when the second part fails, and names a bad byte there as one stream does, near where it is', async () => {
    const lines = Array.from({ length: 200 }, (_, i) => row({ code: `H${i}`, address: 'Ấp Long Hòa', id: `0893000${String(i).padStart(5, '0')}` }));
    const text = csv(lines);
    const failing = partedFile(text, 512, async () => ({ fatal: 'the thread died' }));
    expect(result(await scanFrame(failing, FRAME))).toEqual(result(await scanFrame(source(text, 512), FRAME)));

    const bytes = Buffer.from(text);
    const bad = bytes.length - 40;
    bytes[bad] = 0xff;
    const both = watched(partedFile(bytes, 512));
    const parts = await scanFrame(both.file, FRAME, undefined, both.scratch);
    expect(both.calls()).toBe(1);
    expect(both.used()).toBe(false);
    expect(parts.ok).toBe(false);
    // "Near": the end of the chunk it was found in, as when the file is read in one stream.
    const near = Number(/lỗi mã hóa gần byte ([\d.]+)/.exec(parts.fatal!)![1].replace(/\./g, ''));
    expect(near - bad).toBeGreaterThan(0);
    expect(near - bad).toBeLessThanOrEqual(512);
    expect(parts.sha256).toBe('');
  });

  it('tells rows and bytes of both parts as they are read, ending with the totals', async () => {
    const text = csv(Array.from({ length: 300 }, (_, i) => row({ code: `P${i}`, address: 'Ấp Long Hòa', id: `0894000${String(i).padStart(5, '0')}` })));
    const seen: ReadProgress[] = [];
    const scan = await scanFrame(partedFile(text, 256), { ...FRAME, onProgress: (p) => seen.push({ ...p }) });
    const pass1 = seen.filter((p) => p.pass === 1);
    for (let i = 1; i < pass1.length; i++) expect(pass1[i].bytes).toBeGreaterThanOrEqual(pass1[i - 1].bytes);
    expect(pass1.at(-1)).toEqual({ pass: 1, rows: 300, bytes: Buffer.byteLength(text) });
    expect(seen.at(-1)).toEqual({ pass: 2, rows: 300, bytes: Buffer.byteLength(text) });
    expect(scan.report.rowsRead).toBe(300);
  });

  it('reads small and very large files, UTF-16 files and files without a thread for the second part whole', async () => {
    const text = csv(Array.from({ length: 100 }, (_, i) => row({ code: `S${i}` })));
    let calls = 0;
    const counting: PartReader = (task, log, onProgress) => {
      calls++;
      return readFramePart(source(Buffer.from(text).subarray(task.start, task.end)), task, log, onProgress);
    };
    const small = { ...partedFile(text, 512, counting), partsFromBytes: undefined };
    expect(await findSplit(small)).toBeNull();
    const large = { ...partedFile(text, 512, counting), partsUpToBytes: Buffer.byteLength(text) - 1 };
    expect(await findSplit(large)).toBeNull();
    expect(await findSplit({ ...large, partsUpToBytes: undefined })).not.toBeNull();
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(await findSplit(partedFile(utf16, 512, counting))).toBeNull();
    const { readPart: _none, ...alone } = partedFile(text);
    expect(await findSplit(alone)).toBeNull();
    expect(result(await scanFrame(partedFile(utf16, 512, counting), FRAME))).toEqual(result(await scanFrame(source(utf16), FRAME)));
    expect(calls).toBe(0);
  });
});
