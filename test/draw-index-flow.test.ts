import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Allocation } from '../sampling';
import { writeTransaction } from '../server/db/unit-of-work';
import { findWave, updateWaveSettings } from '../server/repositories/waves';
import { runDraw } from '../server/services/draw/draw';
import { publishDraw } from '../server/services/draw/draw-publish';
import { importFrame } from '../server/services/draw/frame-import';
import { databaseFileId, databaseFileRanges, newDatabaseFile } from '../server/services/storage/database-files';
import { newStoredFile } from '../server/services/storage/stored-files';
import { diskFileRanges } from '../server/services/storage/disk-files';
import { closeWave, purgePersonalData } from '../server/services/waves/wave-lifecycle';
import { createWave, importUnits } from '../server/services/waves/waves';
import { commitTwoDaysAgo } from './support/committed-draw';
import { storedBytes, storedChunks, storedUploads } from './support/stored-uploads';
import { createTestDeps } from './support/test-deps';

/**
 * Issue 15: the frame import keeps a draw index beside the frame (disk on SQLite, database
 * chunks on PostgreSQL), the draw reads it and only the drawn rows of the frame, and gives the
 * very draw the whole file gives; the index is personal data and goes with the frame.
 */

const DEMO = path.resolve(import.meta.dirname, '../server/demo');
const YEAR = 2023;

type Deps = Awaited<ReturnType<typeof createTestDeps>>;
let deps: Deps;
let frame: string;

/**
 * The demo frame three times over (~2 MB, so on PostgreSQL it spans several database chunks):
 * the same people again under other dossier codes (persons merged, the dossier chosen by HMAC),
 * the fixture's own repeated codes repeated in every copy, CRLF, quoted addresses, one of them
 * over two lines.
 */
function messyFrame(): string {
  const text = fs.readFileSync(path.join(DEMO, 'frame-2023-sample.csv'), 'utf8').replace(/^\uFEFF/, '');
  const [header, ...rows] = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  const copies = ['', '-B', '-C'].flatMap((suffix) => rows.map((row) => [row[0] + suffix, ...row.slice(1)]));
  copies[17][7] = `${copies[17][7]}\nẤp Long Hòa`;
  const file = path.join(deps.dir, 'messy.csv');
  fs.writeFileSync(file, '\uFEFF' + Papa.unparse([header, ...copies], { newline: '\r\n', quotes: (_value, column) => column === 7 }));
  return file;
}

const importMessy = async () => {
  const outcome = await importFrame({ db: deps.db, dataDir: deps.config.dataDir }, YEAR, { fileName: 'messy.csv', bytes: fs.createReadStream(frame), strict: false }, 'test');
  if (!outcome.ok) throw outcome.error;
  return outcome.frameImport;
};

/** The draw as recorded: its summary, then every entry with its contact, in the order recorded. */
async function recorded(drawId: number): Promise<unknown> {
  const draw = await deps.db.selectFrom('draws').select(['frame_sha256', 'unit_summary', 'allocation', 'code_version']).where('id', '=', drawId).executeTakeFirstOrThrow();
  const entries = await deps.db
    .selectFrom('sample_entries')
    .leftJoin('contacts', 'contacts.sample_entry_id', 'sample_entries.id')
    .select(['unit_code', 'role', 'rank', 'dossier_code', 'procedure', 'result_date', 'submission_channel', 'applicant_name', 'id_number', 'phone', 'address'])
    .where('draw_id', '=', drawId)
    .orderBy('sample_entries.id')
    .execute();
  return { draw, entries };
}

/** How the audit log says the draw read the frame. */
async function readFrom(drawId: number): Promise<string> {
  const rows = await deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'draw.create').execute();
  const detail = rows.map((r) => JSON.parse(r.detail as string) as { drawId: number; readFrom: string }).find((d) => d.drawId === drawId);
  return detail!.readFrom;
}

const withoutIndex = (id: number) => deps.db.updateTable('frame_imports').set({ draw_index_file: null }).where('id', '=', id).execute();
const uploads = () => storedUploads(deps.db, deps.config.dataDir);

beforeEach(async () => {
  deps = await createTestDeps();
  await createWave(deps.db, { year: YEAR, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'test' });
  await importUnits(deps.db, YEAR, fs.readFileSync(path.join(DEMO, 'units-2023.csv')), 'test');
  frame = messyFrame();
});

afterEach(async () => {
  await deps.cleanup();
});

describe('the draw from the index kept at import', { timeout: 120_000 }, () => {
  it('gives the same draw as the whole file, for several seeds and allocations', async () => {
    const imported = await importMessy();
    expect(imported.drawIndexFile).not.toBeNull();
    expect(imported.report.duplicateDossierCodes).toBe(9);
    expect(imported.report.personsMerged).toBeGreaterThan(2000);
    const allocations: Allocation[] = [
      { kind: 'fixed', perUnit: 25 },
      { kind: 'proportional', total: 700, min: 10, max: 60 },
      { kind: 'margin', margin: 0.1, max: 80 },
    ];
    const seeds = ['sipas-2023', 'Xổ số kiến thiết An Giang 123456', '0'];
    for (const [i, allocation] of allocations.entries()) {
      const seed = seeds[i];
      const request = { seed, allocation, reservePercent: 20 };
      const fromIndex = await runDraw(deps.db, YEAR, request, 'test');
      expect(await readFrom(fromIndex.id)).toBe('draw-index');
      // Read now: the next draft supersedes this one and drops its contacts.
      const indexed = await recorded(fromIndex.id);
      await withoutIndex(imported.id);
      // The whole file's read keeps its row log and index in the data folder's scratch files, then deletes them.
      const fromFile = await runDraw(deps.db, YEAR, request, 'test', { dataDir: deps.config.dataDir });
      expect(await readFrom(fromFile.id)).toBe('frame-file');
      expect(fs.readdirSync(path.join(deps.config.dataDir, 'scratch'))).toEqual([]);
      await deps.db.updateTable('frame_imports').set({ draw_index_file: imported.drawIndexFile }).where('id', '=', imported.id).execute();
      const expected = await recorded(fromFile.id);
      expect((expected as { entries: unknown[] }).entries.length).toBeGreaterThan(300);
      expect(indexed).toEqual(expected);
    }
  });

  it('refuses, with a message to import again, a frame whose drawn rows no longer match the index', async () => {
    const imported = await importMessy();
    // The same length, other bytes: the index still serves, the drawn rows do not read back.
    const garbled = await newStoredFile({ db: deps.db, dataDir: deps.config.dataDir }, 'frame', YEAR);
    await garbled.write(Buffer.alloc(fs.statSync(frame).size, 'x'));
    await garbled.finish();
    const reference = await writeTransaction(deps.db, (trx) => garbled.keep(trx));
    await deps.db.updateTable('frame_imports').set({ stored_file: reference }).where('id', '=', imported.id).execute();
    await expect(runDraw(deps.db, YEAR, { seed: 'sipas-2023', allocation: { kind: 'fixed', perUnit: 10 }, reservePercent: 20 }, 'test')).rejects.toMatchObject({
      name: 'UserError',
      message: expect.stringContaining('không khớp với chỉ mục bốc mẫu đã lưu khi nhập'),
    });
    expect(await deps.db.selectFrom('draws').select('id').execute()).toEqual([]);
  });

  it('an import made before the index (no index recorded) draws from the whole file', async () => {
    const imported = await importMessy();
    await withoutIndex(imported.id);
    const draw = await runDraw(deps.db, YEAR, { seed: 'sipas-2023', allocation: { kind: 'fixed', perUnit: 10 }, reservePercent: 20 }, 'test');
    expect(await readFrom(draw.id)).toBe('frame-file');
    expect(draw.frameSha256).toBe(imported.fileSha256);
  });

  it('draws from the whole file when the wave’s eligibility rules changed since the import', async () => {
    await importMessy();
    const wave = (await findWave(deps.db, YEAR))!;
    await writeTransaction(deps.db, (trx) => updateWaveSettings(trx, YEAR, { ...wave.settings, excludeOrganisations: !wave.settings.excludeOrganisations }));
    const draw = await runDraw(deps.db, YEAR, { seed: 'sipas-2023', allocation: { kind: 'fixed', perUnit: 10 }, reservePercent: 20 }, 'test');
    expect(await readFrom(draw.id)).toBe('frame-file');
  });
});

describe('the draw index is personal data: it goes with the frame', { timeout: 120_000 }, () => {
  const kept = async () => (await uploads()).length;

  it('a new import deletes the replaced frame and its index', async () => {
    const first = await importMessy();
    const before = await uploads();
    expect(before).toHaveLength(2);
    const second = await importMessy();
    const after = await uploads();
    expect(after).toHaveLength(2);
    expect(after.filter((f) => before.includes(f))).toEqual([]);
    for (const reference of [first.storedFile!, first.drawIndexFile!]) {
      if (databaseFileId(reference) === null) expect(fs.existsSync(reference)).toBe(false);
    }
    expect(second.drawIndexFile).not.toBe(first.drawIndexFile);
  });

  it('publishing the draw deletes the frame and its index (no file on disk, no database rows)', async () => {
    await importMessy();
    await commitTwoDaysAgo(deps.db, YEAR, { allocation: { kind: 'fixed', perUnit: 5 }, reservePercent: 20 });
    await runDraw(deps.db, YEAR, { seed: '123456' }, 'test');
    expect(await kept()).toBe(2);
    await writeTransaction(deps.db, (trx, afterCommit) => publishDraw(trx, afterCommit, YEAR, {}, 'test'));
    expect(await uploads()).toEqual([]);
    expect(await storedChunks(deps.db)).toBe(0);
    expect(await deps.db.selectFrom('frame_imports').select(['stored_file', 'draw_index_file']).execute()).toEqual([{ stored_file: null, draw_index_file: null }]);
  });

  it('purging the wave’s personal data deletes a frame and index still waiting for a draw', async () => {
    await importMessy();
    expect(await kept()).toBe(2);
    await writeTransaction(deps.db, (trx) => closeWave(trx, YEAR, 'test'));
    const outcome = await writeTransaction(deps.db, (trx, afterCommit) => purgePersonalData(trx, afterCommit, YEAR, deps.config.dataDir, 'test'));
    expect(outcome.frameFilesDeleted).toBe(2);
    expect(await uploads()).toEqual([]);
    expect(await storedChunks(deps.db)).toBe(0);
    expect(await deps.db.selectFrom('frame_imports').select(['stored_file', 'draw_index_file']).execute()).toEqual([{ stored_file: null, draw_index_file: null }]);
  });
});

describe('byte ranges of stored files', () => {
  /** Ranges at, across and near the boundaries of 1 MiB pieces, and past the end. */
  function ranges(size: number): { offset: number; length: number }[] {
    const out = [{ offset: 0, length: 10 }, { offset: size - 5, length: 50 }, { offset: size + 10, length: 4 }];
    for (const boundary of [1 << 20, 1400 * 1024, 2 << 20, 2800 * 1024]) {
      if (boundary >= size) continue;
      out.push({ offset: boundary - 3, length: 7 }, { offset: boundary, length: 100 }, { offset: boundary - 100, length: 100 });
    }
    out.push({ offset: 5000, length: 1_600_000 });
    return out;
  }

  it('reads from database chunks of any size only the ranges asked for', async () => {
    const bytes = fs.readFileSync(frame);
    const file = await newDatabaseFile(deps.db, 'frame');
    // Pieces of odd sizes: the stored chunks are then of several sizes (each at least 1 MiB).
    for (let at = 0; at < bytes.length; at += 700_001) await file.write(bytes.subarray(at, at + 700_001));
    await file.finish();
    const reference = await writeTransaction(deps.db, (trx) => file.keep(trx));
    expect(Buffer.compare(await storedBytes(deps.db, reference), bytes)).toBe(0);
    const asked = ranges(bytes.length);
    const read = await databaseFileRanges(deps.db, databaseFileId(reference)!)(asked);
    expect(read.map((r) => Buffer.from(r).toString('hex'))).toEqual(asked.map(({ offset, length }) => bytes.subarray(offset, offset + length).toString('hex')));
  });

  it('reads ranges of a file on disk', async () => {
    const bytes = fs.readFileSync(frame);
    const asked = ranges(bytes.length);
    const read = await diskFileRanges(frame)(asked);
    expect(read.map((r) => Buffer.from(r).toString('hex'))).toEqual(asked.map(({ offset, length }) => bytes.subarray(offset, offset + length).toString('hex')));
  });
});
