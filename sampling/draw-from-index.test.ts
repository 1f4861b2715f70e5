import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SAMPLING_CODE_VERSION } from './draw';
import { drawSample } from './draw-sample';
import { drawFromIndex, drawIndexServes, type BatchRanker, type ReadRanges } from './draw-from-index';
import { DRAW_INDEX_FORMAT, readDrawIndexHeader } from './draw-index';
import { memoryScratch } from './scratch-space';
import { scanFrame } from './frame';
import { rankMessages } from './sha256';
import { HEADER, UNITS, csv, row, source } from './test-support';
import type { Allocation, DrawOptions, DrawResult, FrameOptions } from './types';

const rangesOf = (bytes: Uint8Array): ReadRanges => async (ranges) => ranges.map((r) => bytes.subarray(r.offset, r.offset + r.length));

/** The import with its index, then the draw from the index, its drawn rows read from the bytes in memory. */
async function viaIndex(bytes: Uint8Array, chunkSize: number, options: DrawOptions): Promise<DrawResult> {
  const sink = memoryScratch();
  const { seed, allocation, reservePercent, codeVersion, ...frame } = options;
  await scanFrame(source(bytes, chunkSize), frame, sink);
  return drawFromIndex(sink.bytes(), rangesOf(bytes), { seed, allocation, reservePercent, codeVersion });
}

/** Both draws' results, or both refusals' messages. */
async function outcome(run: () => Promise<DrawResult>): Promise<DrawResult | string> {
  try {
    return await run();
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

// People reused across rows, so that persons have several dossiers, with and without their number.
const PEOPLE = [
  { name: 'Nguyễn Văn An', address: 'Số 1, đường Lê Lợi, phường Mỹ Bình', id: '089123456789' },
  { name: 'Trần Thị Bình', address: 'Ấp Long Hòa, Chợ Mới', id: '001234567890' },
  { name: 'Lê "Bé" Ba', address: 'Tổ 3,\r\nkhóm Đông Thịnh', id: '079000000123' },
  { name: 'Phạm Ngọc 😀 Diễm', address: 'Số 9 Trần Hưng Đạo,\nphường Mỹ Long', id: '091234000001' },
  { name: 'Huỳnh Tấn Phát', address: 'không có', id: '' },
  { name: 'Võ Thị Ánh'.normalize('NFD'), address: 'Ấp Mỹ Hòa, xã Tân Hòa'.normalize('NFD'), id: '089200000009' },
  { name: 'Công ty TNHH Bình Minh', address: 'Lô A2, KCN Bình Hòa', id: '' },
  { name: 'Đặng Hữu Lộc', address: 'Số 12; đường Nguyễn Trãi', id: '1600123456' },
];

const ID_FORMS = ['plain', 'none', 'leading-zero-lost', 'spaced', 'scientific-exact', 'scientific-lossy'] as const;

function idIn(form: (typeof ID_FORMS)[number], id: string): string {
  if (id === '' || form === 'none') return '';
  const digits = id.replace(/^0+/, '');
  if (form === 'leading-zero-lost') return digits;
  if (form === 'spaced') return `${id.slice(0, 3)} ${id.slice(3, 6)}-${id.slice(6)}`;
  if (form === 'scientific-exact') return `${digits[0]},${digits.slice(1)}E+${digits.length - 1}`;
  if (form === 'scientific-lossy') return `${digits[0]},${digits.slice(1, 6)}E+${digits.length - 1}`;
  return id;
}

const rowArbitrary = fc.record({
  code: fc.integer({ min: 0, max: 60 }),
  unit: fc.constantFrom('CMO', 'LXU', 'STP', 'Huyện Chợ Mới', 'sở tư pháp', 'XYZ', ''),
  person: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
  idForm: fc.constantFrom(...ID_FORMS),
  addressForm: fc.constantFrom('as is', 'as is', 'as is', 'blank', 'other'),
  type: fc.constantFrom('Cá nhân', 'Cá nhân', 'Tổ chức', ''),
  date: fc.constantFrom('15/03/2023', '2023-07-01', '45000', '01/02/2022', '31/02/2023', '', '3/9/2023'),
  shape: fc.constantFrom('ok', 'ok', 'ok', 'ok', 'short', 'nul'),
});

const frameArbitrary = fc.record({
  rows: fc.array(rowArbitrary, { minLength: 1, maxLength: 70 }),
  delimiter: fc.constantFrom(',', ';', '\t'),
  eol: fc.constantFrom('\r\n', '\n'),
  encoding: fc.constantFrom('utf-8', 'utf-8-bom', 'utf-16le', 'utf-16be'),
  chunkSize: fc.constantFrom(1, 3, 7, 64, 1000, 65536),
  trailingBlankLines: fc.integer({ min: 0, max: 2 }),
});

type FrameSpec = typeof frameArbitrary extends fc.Arbitrary<infer T> ? T : never;

function cellText(value: string, delimiter: string): string {
  return value.includes('"') || value.includes(delimiter) || /[\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function frameBytes(spec: FrameSpec): Uint8Array {
  const lines = spec.rows.map((r, i) => {
    const person = PEOPLE[r.person];
    const address = r.addressForm === 'blank' ? '' : r.addressForm === 'other' ? `${person.address} (cũ)` : person.address;
    const name = r.shape === 'nul' ? `${person.name}\u0000` : person.name;
    const cells = [`HS-${r.code}`, r.unit, 'Cấp phiếu lý lịch tư pháp', name, r.type, idIn(r.idForm, person.id), '0912345678', address, r.date, `kênh ${i % 3}`];
    return cells.slice(0, r.shape === 'short' ? -1 : undefined).map((c) => cellText(c, spec.delimiter)).join(spec.delimiter);
  });
  const header = HEADER.split(',').join(spec.delimiter);
  const text = [header, ...lines, ...Array<string>(spec.trailingBlankLines).fill('')].join(spec.eol) + spec.eol;
  if (spec.encoding === 'utf-8') return new TextEncoder().encode(text);
  if (spec.encoding === 'utf-8-bom') return new TextEncoder().encode('\ufeff' + text);
  const le = Buffer.from('\ufeff' + text, 'utf16le');
  return new Uint8Array(spec.encoding === 'utf-16le' ? le : Buffer.from(le).swap16());
}

const allocationArbitrary: fc.Arbitrary<Allocation> = fc.oneof(
  fc.record({ kind: fc.constant('fixed' as const), perUnit: fc.integer({ min: 0, max: 6 }) }),
  fc.record({ kind: fc.constant('proportional' as const), total: fc.integer({ min: 0, max: 12 }), min: fc.integer({ min: 0, max: 2 }), max: fc.integer({ min: 2, max: 8 }) }),
  fc.record({ kind: fc.constant('margin' as const), margin: fc.constantFrom(0.05, 0.1, 0.3) }),
);

const drawArbitrary = fc.record({
  seed: fc.string({ minLength: 1, maxLength: 80, unit: 'binary' }),
  allocation: allocationArbitrary,
  reservePercent: fc.integer({ min: 0, max: 150 }),
  codeVersion: fc.constantFrom(SAMPLING_CODE_VERSION, 'sipas-sampling-1.1.0'),
  period: fc.constantFrom(undefined, { from: '2023-01-01', to: '2023-12-31' }),
  requirePostalAddress: fc.boolean(),
  excludeOrganisations: fc.boolean(),
  strict: fc.constantFrom(false, false, false, true),
});

describe('drawFromIndex', () => {
  const drew = new Set<string>();
  // drawSample is the import's read then drawFromIndex: what this checks is that neither the
  // chunks the frame comes in (anchors, records and characters cut across them) nor how the
  // drawn rows are read back (by streaming the file again, or from memory) change the draw.
  it('gives the same draw whatever the chunks of the frame and however its drawn rows are read back: random messy frames × seeds × allocations (seeded property test)', async () => {
    await fc.assert(
      fc.asyncProperty(frameArbitrary, drawArbitrary, async (spec, draw) => {
        const bytes = frameBytes(spec);
        const frameRules = draw.codeVersion === SAMPLING_CODE_VERSION ? 2 : 1;
        const options: DrawOptions = {
          units: UNITS,
          seed: draw.seed,
          allocation: draw.allocation,
          reservePercent: draw.reservePercent,
          codeVersion: draw.codeVersion,
          requirePostalAddress: draw.requirePostalAddress,
          excludeOrganisations: draw.excludeOrganisations,
          strict: draw.strict,
          frameRules,
          ...(draw.period ? { period: draw.period } : {}),
        };
        const expected = await outcome(() => drawSample(() => source(bytes, spec.chunkSize), options));
        const actual = await outcome(() => viaIndex(bytes, bytes.length, options));
        expect(actual).toEqual(expected);
        if (typeof expected !== 'string' && expected.entries.length > 0) {
          drew.add(`${spec.encoding} ${spec.eol === '\n' ? 'LF' : 'CRLF'}`);
          // These two people's addresses run over two lines in the file.
          if (expected.entries.some((e) => /khóm|phường Mỹ Long/.test(e.applicant.address ?? ''))) drew.add('multi-line address');
          if (expected.entries.some((e) => e.applicant.name.includes('😀'))) drew.add('astral character');
          if (expected.report.personsMerged > 0) drew.add('persons with several dossiers');
          if (expected.report.duplicateDossierCodes > 0) drew.add('repeated codes');
        }
      }),
      { seed: 20231201, numRuns: 300 },
    );
    // The runs did draw people from every kind of file, not just refuse or draw nobody.
    expect([...drew].sort()).toEqual(
      ['astral character', 'multi-line address', 'persons with several dossiers', 'repeated codes', 'utf-16be CRLF', 'utf-16be LF', 'utf-16le CRLF', 'utf-16le LF', 'utf-8 CRLF', 'utf-8 LF', 'utf-8-bom CRLF', 'utf-8-bom LF'],
    );
  });

  it('draws the same from a stream of the index in small chunks, and the import reports the same with or without it', async () => {
    const rows = Array.from({ length: 400 }, (_, i) =>
      row({ code: `CMO-${i}`, unit: ['CMO', 'LXU', 'STP'][i % 3], id: i % 7 === 0 ? '' : `0890${String(i % 150).padStart(8, '0')}`, name: `Người ${i % 150}`, address: `Số ${i % 150},\r\nLê Lợi` }),
    );
    const bytes = new TextEncoder().encode(csv([...rows, row({ code: 'CMO-5', unit: 'LXU' })]));
    const options: FrameOptions = { units: UNITS };
    const sink = memoryScratch();
    const withIndex = await scanFrame(source(bytes, 97), options, sink);
    expect(withIndex).toEqual(await scanFrame(source(bytes, 97), options));
    expect(withIndex.report.duplicateDossierCodes).toBe(1);
    const request = { seed: 'hạt giống', allocation: { kind: 'fixed' as const, perUnit: 20 }, reservePercent: 25 };
    const expected = await drawSample(() => source(bytes), { ...options, ...request });
    expect(expected.entries.length).toBe(75);
    expect(await drawFromIndex(source(sink.bytes(), 13), rangesOf(bytes), request)).toEqual(expected);
  });

  it('draws the same when its batches are ranked elsewhere and the ranks come back late and out of order', async () => {
    // A person's dossiers on neighbouring rows (p = ⌊i/3⌋), so that they fall in batches ranked at the same time.
    const rows = Array.from({ length: 600 }, (_, i, p = Math.floor(i / 3) % 150) =>
      row({ code: `CMO-${i}`, unit: ['CMO', 'LXU', 'STP'][p % 3], id: i % 5 === 0 ? '' : `0890${String(p).padStart(8, '0')}`, name: `Người ${p}`, address: `Số ${p} Lê Lợi` }),
    );
    const bytes = new TextEncoder().encode(csv(rows));
    const sink = memoryScratch();
    await scanFrame(source(bytes), { units: UNITS }, sink);
    const request = { seed: 'hạt giống', allocation: { kind: 'fixed' as const, perUnit: 15 }, reservePercent: 20 };
    const expected = await drawSample(() => source(bytes), { units: UNITS, ...request });
    // Most people have several dossiers, so a row applied before its person's first would be lost.
    expect(expected.report.personsMerged).toBeGreaterThan(300);
    // A stand-in for other threads: each batch answers after a seeded delay, so later batches often come back first.
    let state = 7;
    const delay = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) % 5;
    const batches: number[] = [];
    const late: BatchRanker = (seed, data, starts, ends, count) => {
      batches.push(count);
      const ranks = rankMessages(seed, data.slice(), starts.slice(), ends.slice(), count);
      return new Promise((resolve) => setTimeout(() => resolve(ranks), delay()));
    };
    expect(await drawFromIndex(source(sink.bytes(), 211), rangesOf(bytes), request, late)).toEqual(expected);
    expect(batches.length).toBeGreaterThan(10);

    const failing: BatchRanker = (seed, data, starts, ends, count) => (batches.length > 3 ? Promise.reject(new Error('thread lost')) : late(seed, data, starts, ends, count));
    batches.length = 0;
    await expect(drawFromIndex(source(sink.bytes(), 211), rangesOf(bytes), request, failing)).rejects.toThrow('thread lost');
  });

  it('refuses a method version whose frame rules differ from the index, and a frame file that is not the indexed one', async () => {
    const bytes = new TextEncoder().encode(csv(Array.from({ length: 30 }, (_, i) => row({ code: `A${i}`, id: `0890000000${String(i).padStart(2, '0')}` }))));
    const sink = memoryScratch();
    await scanFrame(source(bytes), { units: UNITS }, sink);
    const request = { seed: 's', allocation: { kind: 'fixed' as const, perUnit: 5 }, reservePercent: 0 };
    await expect(drawFromIndex(sink.bytes(), rangesOf(bytes), { ...request, codeVersion: 'sipas-sampling-1.1.0' })).rejects.toThrow(/quy tắc đọc khung mẫu 2/);
    const other = new TextEncoder().encode(new TextDecoder().decode(bytes).replace(/A1\b/g, 'B1').replace(/A(\d)/g, 'Z$1'));
    await expect(drawFromIndex(sink.bytes(), rangesOf(other), request)).rejects.toThrow(/không khớp với chỉ mục/);
    await expect(drawFromIndex(sink.bytes().subarray(0, 200), rangesOf(bytes), request)).rejects.toThrow(/bị hỏng/);
  });

  it('says when reading begins (after its checks) and how many records it has read, every 65,536', async () => {
    const rows = Array.from({ length: 70_000 }, (_, i) => row({ code: `P${i}`, unit: ['CMO', 'LXU', 'STP'][i % 3], id: `0890${String(i).padStart(8, '0')}` }));
    const bytes = new TextEncoder().encode(csv(rows));
    const sink = memoryScratch();
    await scanFrame(source(bytes), { units: UNITS }, sink);
    const seen: number[] = [];
    const request = { seed: 's', allocation: { kind: 'fixed' as const, perUnit: 5 }, reservePercent: 0, onProgress: (p: { rows: number }) => seen.push(p.rows) };
    const result = await drawFromIndex(sink.bytes(), rangesOf(bytes), request);
    expect(result.entries.length).toBe(15);
    expect(seen).toEqual([0, 65_536]);
    // A refused request says nothing: a page following the draw shows the refusal instead.
    const refused: number[] = [];
    await expect(drawFromIndex(sink.bytes(), rangesOf(bytes), { ...request, seed: '', onProgress: (p) => refused.push(p.rows) })).rejects.toThrow(RangeError);
    expect(refused).toEqual([]);
  });

  it('says whether an index serves a draw: same format, units and eligibility rules, and the frame rules of its method version', async () => {
    const bytes = new TextEncoder().encode(csv(Array.from({ length: 30 }, (_, i) => row({ code: `A${i}`, id: `0890000000${String(i).padStart(2, '0')}` }))));
    const frame: FrameOptions = { units: UNITS, period: { from: '2023-01-01', to: '2023-12-31' }, requirePostalAddress: true, excludeOrganisations: false };
    const sink = memoryScratch();
    await scanFrame(source(bytes), { ...frame, strict: true }, sink);
    // Read from a stream in small chunks: the header alone, whatever follows it.
    const header = await readDrawIndexHeader(source(sink.bytes(), 7));
    const draw: DrawOptions = { ...frame, seed: 's', allocation: { kind: 'fixed', perUnit: 5 }, reservePercent: 0 };
    expect(drawIndexServes(header, draw)).toBe(true);
    // Defaults written out or left out are the same rules.
    expect(drawIndexServes(header, { ...draw, requirePostalAddress: undefined, excludeOrganisations: undefined, codeVersion: SAMPLING_CODE_VERSION })).toBe(true);
    expect(drawIndexServes(header, { ...draw, codeVersion: 'sipas-sampling-1.1.0' })).toBe(false);
    expect(drawIndexServes(header, { ...draw, excludeOrganisations: true })).toBe(false);
    expect(drawIndexServes(header, { ...draw, period: { from: '2023-01-01', to: '2023-06-30' } })).toBe(false);
    expect(drawIndexServes(header, { ...draw, units: UNITS.slice(1) })).toBe(false);
    expect(drawIndexServes(header, { ...draw, units: UNITS.map((u, i) => (i === 0 ? { ...u, name: `${u.name} mới` } : u)) })).toBe(false);
    expect(drawIndexServes({ ...header, format: DRAW_INDEX_FORMAT + 1 }, draw)).toBe(false);
  });
});
