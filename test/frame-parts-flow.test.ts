import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { PARTS_FROM_BYTES, type PartReader } from '../sampling';
import { findWave } from '../server/repositories/waves';
import { runDraw } from '../server/services/draw/draw';
import { verifyDraw, verifyUploadedDraw } from '../server/services/draw/draw-verify';
import { importFrame } from '../server/services/draw/frame-import';
import { SamplingThreads, localFrameFile, sharedSamplingThreads } from '../server/services/draw/sampling-threads';
import { createWave, importUnits } from '../server/services/waves/waves';
import { storedUploads } from './support/stored-uploads';
import { createTestDeps } from './support/test-deps';

/**
 * Issue 15: a large frame file on this machine (the command line's, or the saved copy of a
 * verify upload) is read in two parts at once, the second on one of the server's sampling
 * threads (sampling/frame-parts.ts). What is recorded must be exactly what reading the upload
 * as one stream records: the report, the SHA-256, the draw, and `draw verify`'s verdict.
 * SQLite only: on PostgreSQL stored files are in the database, and read as one stream.
 */

const DEMO = path.resolve(import.meta.dirname, '../server/demo');
const YEAR = 2023;

type Deps = Awaited<ReturnType<typeof createTestDeps>>;
let deps: Deps;
let frame: string;
let text: string;
let rowCount: number;

/** The demo frame 15 times over under other dossier codes (over PARTS_FROM_BYTES), quoted addresses on every line, CRLF, one address over two lines. */
beforeAll(() => {
  const demo = fs.readFileSync(path.join(DEMO, 'frame-2023-sample.csv'), 'utf8').replace(/^\uFEFF/, '');
  const [header, ...rows] = Papa.parse<string[]>(demo, { skipEmptyLines: true }).data;
  const copies = Array.from({ length: 15 }, (_, k) => rows.map((row) => [k === 0 ? row[0] : `${row[0]}-${k}`, ...row.slice(1)])).flat();
  copies[17][7] = `${copies[17][7]}\nẤp Long Hòa`;
  rowCount = copies.length;
  text = '\uFEFF' + Papa.unparse([header, ...copies], { newline: '\r\n', quotes: (_value, column) => column === 7 });
});

/** Counts the parts read on a worker, and how each ended (undefined: read and used). */
function watchParts(): (string | undefined)[] {
  const outcomes: (string | undefined)[] = [];
  const partReader = SamplingThreads.prototype.partReader;
  vi.spyOn(SamplingThreads.prototype, 'partReader').mockImplementation(function (this: SamplingThreads, file: string) {
    const reader = partReader.call(this, file);
    if (reader === undefined) return undefined;
    const watching: PartReader = async (...args) => {
      const part = await reader(...args);
      outcomes.push(part.fatal);
      return part;
    };
    return watching;
  });
  return outcomes;
}

const importAs = async (local: boolean) => {
  const outcome = await importFrame({ db: deps.db, dataDir: deps.config.dataDir }, YEAR, { fileName: 'frame.csv', bytes: fs.createReadStream(frame), strict: false, local }, 'test');
  if (!outcome.ok) throw outcome.error;
  return outcome.frameImport;
};

const entriesOf = (drawId: number) =>
  deps.db.selectFrom('sample_entries').select(['unit_code', 'role', 'rank', 'dossier_code']).where('draw_id', '=', drawId).orderBy('id').execute();

beforeEach(async () => {
  deps = await createTestDeps();
  await createWave(deps.db, { year: YEAR, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'test' });
  await importUnits(deps.db, YEAR, fs.readFileSync(path.join(DEMO, 'units-2023.csv')), 'test');
  frame = path.join(deps.dir, 'frame.csv');
  fs.writeFileSync(frame, text);
  await sharedSamplingThreads().ready();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await deps.cleanup();
});

describe('a large local frame read in two parts', { timeout: 120_000 }, () => {
  it('imports and draws exactly as the upload read as one stream does', async () => {
    expect(fs.statSync(frame).size).toBeGreaterThan(PARTS_FROM_BYTES);
    const parts = watchParts();
    const local = await importAs(true);
    expect(parts).toEqual([undefined]);
    const request = { seed: 'hai phần An Giang', allocation: { kind: 'proportional' as const, total: 900, min: 10, max: 80 }, reservePercent: 20 };
    const fromLocal = await entriesOf((await runDraw(deps.db, YEAR, request, 'test')).id);

    const stream = await importAs(false);
    expect(parts).toEqual([undefined]);
    expect(local.fileSha256).toBe(stream.fileSha256);
    expect(local.report).toEqual(stream.report);
    expect(local.report.rowsRead).toBe(rowCount);
    expect(local.report.duplicateDossierCodes).toBeGreaterThan(0);
    const fromStream = await entriesOf((await runDraw(deps.db, YEAR, request, 'test')).id);
    expect(fromLocal.length).toBeGreaterThan(900);
    expect(fromLocal).toEqual(fromStream);
    // The stored copy, its index and nothing else: no scratch file of either read is left.
    expect(await storedUploads(deps.db, deps.config.dataDir)).toHaveLength(2);
  });

  it('verifies the draw from the file on disk and from a verify upload, each read in two parts', async () => {
    await importAs(false);
    await runDraw(deps.db, YEAR, { seed: 'kiểm tra 2023', allocation: { kind: 'fixed', perUnit: 30 }, reservePercent: 20 }, 'test');
    const parts = watchParts();
    const wave = (await findWave(deps.db, YEAR))!;
    const fromDisk = await verifyDraw({ db: deps.db, dataDir: deps.config.dataDir }, wave, localFrameFile(frame), 'test');
    const fromUpload = await verifyUploadedDraw({ db: deps.db, dataDir: deps.config.dataDir }, wave, fs.createReadStream(frame), 'test');
    expect(parts).toEqual([undefined, undefined]);
    for (const outcome of [fromDisk, fromUpload]) expect(outcome).toMatchObject({ verified: true, identical: true, sha256Matches: true, difference: null });

    // A file with one identity number changed, in the second part, is not the file drawn from.
    const changed = path.join(deps.dir, 'changed.csv');
    const at = text.lastIndexOf('Cá nhân,') + 'Cá nhân,'.length;
    fs.writeFileSync(changed, text.slice(0, at) + (text[at] === '9' ? '8' : '9') + text.slice(at + 1));
    const tampered = await verifyDraw({ db: deps.db, dataDir: deps.config.dataDir }, wave, localFrameFile(changed), 'test');
    expect(parts).toEqual([undefined, undefined, undefined]);
    expect(tampered.sha256Matches).toBe(false);
    expect(await storedUploads(deps.db, deps.config.dataDir)).toHaveLength(2);
  });
});
