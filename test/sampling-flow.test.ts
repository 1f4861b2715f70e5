import fs from 'node:fs';
import path from 'node:path';
import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createApp } from '../server/app';
import { runCli } from '../server/cli/run-cli';
import { seedDemoIfEmpty } from '../server/demo/seed-demo';
import { writeTransaction } from '../server/db/unit-of-work';
import { UserError } from '../server/errors';
import { insertResponse } from '../server/repositories/responses';
import { findWave, updateWaveSettings } from '../server/repositories/waves';
import { runDraw } from '../server/services/draw/draw';
import { exportDrawCsv } from '../server/services/draw/draw-export';
import { publishDraw } from '../server/services/draw/draw-publish';
import { verifyDraw } from '../server/services/draw/draw-verify';
import { importFrame, type FrameUpload } from '../server/services/draw/frame-import';
import { createWave, importUnits } from '../server/services/waves/waves';
import { commitTwoDaysAgo, drawUnderCommitment } from './support/committed-draw';
import { firstDifference } from './support/same-bytes';
import { pageAfterDraw } from './support/followed-draw';
import { storedBytes, storedUploads } from './support/stored-uploads';
import { dayInVietnam } from '../server/services/draw/seed-rule';
import { createTestDeps, signIn, signInSession } from './support/test-deps';

/**
 * When `meanwhile` is set (duringTheDraw), reading a stored file gives its bytes only once
 * `meanwhile` is done. The bytes are read first: what happens meanwhile may delete the file.
 */
const drawGate = vi.hoisted(() => ({ meanwhile: null as null | (() => Promise<unknown>), done: undefined as Promise<unknown> | undefined, bytes: undefined as Buffer | undefined }));
vi.mock('../server/services/storage/stored-files', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../server/services/storage/stored-files')>();
  async function* gated(...args: Parameters<typeof actual.openStoredFile>): AsyncGenerator<Uint8Array> {
    const chunks: Uint8Array[] = [];
    if (!drawGate.bytes) for await (const chunk of actual.openStoredFile(...args)) chunks.push(chunk);
    drawGate.bytes ??= Buffer.concat(chunks);
    await (drawGate.done ??= drawGate.meanwhile!());
    yield drawGate.bytes;
  }
  return { ...actual, openStoredFile: (...args: Parameters<typeof actual.openStoredFile>) => (drawGate.meanwhile ? gated(...args) : actual.openStoredFile(...args)) };
});

const DEMO = path.resolve(import.meta.dirname, '../server/demo');
const FRAME = path.join(DEMO, 'frame-2023-sample.csv');
const FRAME_SHA256 = '170348a042779da357cc644eec583483f6502ffe3021ea57ebf51c01c91052f9';
const YEAR = 2023;
const FIXED = { kind: 'fixed' as const, perUnit: 25 };

/** Names, addresses and phones of the fixture: none may leave the contacts table. */
const personal = (() => {
  const rows = Papa.parse<string[]>(fs.readFileSync(FRAME, 'utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data.slice(1);
  const values = new Set<string>();
  for (const r of rows) for (const i of [3, 5, 6, 7]) if (r[i]?.trim()) values.add(r[i].trim());
  return [...values];
})();

function leaks(text: string): string[] {
  return personal.filter((value) => text.includes(value));
}

type Deps = Awaited<ReturnType<typeof createTestDeps>>;
let deps: Deps;
let env: NodeJS.ProcessEnv;
let consoleOutput: string[];

beforeEach(async () => {
  Object.assign(drawGate, { meanwhile: null, done: undefined, bytes: undefined });
  deps = await createTestDeps();
  env = { ...deps.databaseEnv, USER: 'tester' };
  await createWave(deps.db, { year: YEAR, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'test' });
  await importUnits(deps.db, YEAR, fs.readFileSync(path.join(DEMO, 'units-2023.csv')), 'test');
  consoleOutput = [];
  for (const method of ['log', 'error', 'warn', 'info'] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleOutput.push(args.map(String).join(' ')));
  }
});

afterEach(async () => {
  // Whatever a test did, nothing personal reached the console or the audit log.
  expect(leaks(consoleOutput.join('\n'))).toEqual([]);
  const audit = await deps.db.selectFrom('audit_log').select(['action', 'detail']).execute();
  expect(leaks(JSON.stringify(audit))).toEqual([]);
  vi.restoreAllMocks();
  await deps.cleanup();
});

/** Uploads still kept, on disk or in the database (test/support/stored-uploads.ts). */
const frameFiles = () => storedUploads(deps.db, deps.config.dataDir);
const importUpload = async (upload: FrameUpload) => {
  const outcome = await importFrame({ db: deps.db, dataDir: deps.config.dataDir }, YEAR, upload, 'test');
  if (!outcome.ok) throw outcome.error;
  return outcome.frameImport;
};
const importFixture = (file = FRAME, strict = false) => importUpload({ fileName: path.basename(file), bytes: fs.createReadStream(file), strict });
const publish = () => writeTransaction(deps.db, (trx, afterCommit) => publishDraw(trx, afterCommit, YEAR, {}, 'test'));
const currentWave = async () => (await findWave(deps.db, YEAR))!;
const cli = (...argv: string[]) => runCli(argv, env, deps.dir);
const count = async (table: 'frame_imports' | 'draws' | 'sample_entries' | 'contacts' | 'questionnaires') =>
  Number((await deps.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

function writeFile(name: string, content: string | Uint8Array): string {
  const file = path.join(deps.dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** The fixture with all its data records in another order, by a fixed-seed shuffle. */
function shuffledFixture(): string {
  const text = fs.readFileSync(FRAME, 'utf8').replace(/^\uFEFF/, '');
  const [header, ...rows] = Papa.parse<string[]>(text, { skipEmptyLines: true }).data;
  const order = rows.map((_, i) => i);
  let state = 20231;
  const next = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  expect(order.slice(0, 10)).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  return writeFile('shuffled.csv', Papa.unparse([header, ...order.map((i) => rows[i])], { newline: '\r\n' }));
}

describe('frame import', () => {
  it('imports the fixture through the service, keeps the file for the draw and stores a report without personal data', async () => {
    const frameImport = await importFixture();
    expect(frameImport.fileSha256).toBe(FRAME_SHA256);
    expect(frameImport.report).toMatchObject({ rowsRead: 3000, rowsAccepted: 2988, rowsRejected: 12, duplicateDossierCodes: 3 });
    expect(frameImport.report.ineligible).toEqual({ outsidePeriod: 28, noAddress: 26, organisation: 0 });
    expect(frameImport.report.eligibleByUnit).toMatchObject({ SNV: 21, SCT: 16, TBI: 325 });
    expect(frameImport.report.unknownUnits.map((u) => u.value)).toEqual(['XYZ1', 'XYZ7', 'XYZ6', 'XYZ9', 'XYZ4']);
    const stored = frameImport.storedFile!;
    const index = frameImport.drawIndexFile!;
    expect(firstDifference(await storedBytes(deps.db, stored), fs.readFileSync(FRAME))).toBeNull();
    // The frame and the draw index its import wrote, under their final names in the data folder
    // (SQLite) or in the database (PostgreSQL), and nothing else.
    const named = (reference: string) => (deps.config.database.kind === 'sqlite' ? `frames/${path.basename(reference)}` : reference);
    expect((await frameFiles()).sort()).toEqual([named(stored), named(index)].sort());
    if (deps.config.database.kind === 'sqlite') expect([path.dirname(stored), path.dirname(index)]).toEqual([path.join(deps.config.dataDir, 'frames'), path.join(deps.config.dataDir, 'frames')]);
    const row = await deps.db.selectFrom('frame_imports').selectAll().executeTakeFirstOrThrow();
    expect(row).toMatchObject({ rows_read: 3000, rows_rejected: 12, file_sha256: FRAME_SHA256, strict: 0 });
    expect(leaks(row.report)).toEqual([]);
  });

  it('imports through the command line with the report summary, and a new import replaces the waiting file', async () => {
    const first = await cli('frame', 'import', '--wave', '2023', FRAME);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Số dòng đọc: 3.000; hợp lệ: 2.988; bị từ chối: 12');
    expect(first.stdout).toContain('dòng 1395, cột Mã hồ sơ: Mã hồ sơ bị trùng (xuất hiện ở các dòng 1394, 1395): không biết dòng nào đúng');
    expect(first.stdout).toContain('XYZ1 (2 dòng)');
    expect(first.stdout).toContain('SNV 21');
    expect(leaks(first.stdout)).toEqual([]);
    const firstFiles = await frameFiles();
    expect(firstFiles).toHaveLength(2);

    const second = await cli('frame', 'import', '--wave', '2023', FRAME, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ wave: 2023, fileSha256: FRAME_SHA256, report: { rowsRead: 3000 } });
    // The new frame and its index; the replaced frame and its index are gone.
    const secondFiles = await frameFiles();
    expect(secondFiles).toHaveLength(2);
    expect(secondFiles.filter((f) => firstFiles.includes(f))).toEqual([]);
    const rows = await deps.db.selectFrom('frame_imports').select(['id', 'stored_file', 'draw_index_file']).orderBy('id').execute();
    expect(rows.map((r) => [r.stored_file === null, r.draw_index_file === null])).toEqual([
      [true, true],
      [false, false],
    ]);
  });

  it('gives the same report for the fixture with its rows shuffled, repeated dossier codes included', async () => {
    const original = (await importFixture()).report;
    const shuffled = (await importFixture(shuffledFixture())).report;
    expect(original.duplicateDossierCodes).toBe(3);
    const counts = ({ rejections, unknownUnits, ...rest }: typeof original) => ({
      ...rest,
      rejectedRows: rejections.length,
      unknownUnits: [...unknownUnits].sort((a, b) => a.value.localeCompare(b.value)),
    });
    expect(counts(shuffled)).toEqual(counts(original));
  });

  it('commits nothing in strict mode when a row is bad, and says which row', async () => {
    const result = await cli('frame', 'import', '--wave', '2023', FRAME, '--strict');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('Chế độ nghiêm ngặt: 12 dòng bị từ chối');
    expect(result.stderr).toContain('dòng 72, cột Mã đơn vị: Đơn vị không thuộc đợt khảo sát');
    expect(await count('frame_imports')).toBe(0);
    expect(await frameFiles()).toEqual([]);
    await expect(importFixture(FRAME, true)).rejects.toThrow(/Chế độ nghiêm ngặt/);
  });

  it('refuses unreadable, binary, spreadsheet, empty and header-only files with a clear message and records nothing', async () => {
    const binary = new Uint8Array(4096);
    for (let i = 0; i < binary.length; i++) binary[i] = (i * 7919 + 13) % 256;
    const cases: [string, string | Uint8Array, RegExp][] = [
      ['binary.csv', binary, /không phải tệp CSV văn bản/],
      ['sheet.csv', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4]), /bảng tính Excel/],
      ['empty.csv', '', /Tệp rỗng/],
      ['header-only.csv', 'Mã hồ sơ,Mã đơn vị,Họ và tên,Địa chỉ,Ngày trả kết quả\r\n', /chỉ có dòng tiêu đề/],
      ['no-header.csv', fs.readFileSync(FRAME, 'utf8').replace(/^\uFEFF/, '').split('\r\n').slice(1).join('\r\n'), /có lẽ tệp thiếu dòng tiêu đề/],
    ];
    for (const [name, content, message] of cases) {
      const result = await cli('frame', 'import', '--wave', '2023', writeFile(name, content));
      expect(result.code, name).toBe(1);
      expect(result.stderr, name).toMatch(message);
      expect(result.stderr.split('\n').filter(Boolean).length, name).toBe(1);
      expect(leaks(result.stderr), name).toEqual([]);
    }
    const missing = await cli('frame', 'import', '--wave', '2023', path.join(deps.dir, 'no-such.csv'));
    expect(missing).toMatchObject({ code: 1, stderr: expect.stringContaining('ENOENT') });
    expect(await count('frame_imports')).toBe(0);
    expect(await frameFiles()).toEqual([]);
  });

  it('hides a rejected value that looks like personal data (a row whose columns slipped)', async () => {
    const file = writeFile(
      'slipped.csv',
      'Mã hồ sơ,Mã đơn vị,Họ và tên,Địa chỉ,Ngày trả kết quả\r\n' +
        'A-1,SNV,Lê Văn Tám,"Số 1, đường Hai Bà Trưng",01/03/2023\r\n' +
        'A-2,Nguyễn Thị Bảy,"Số 9, đường Lê Lợi",05/03/2023,\r\n' +
        'A-3,Sở Du lịch,Trần Văn Chín,"Số 5, đường Lê Lợi",05/03/2023\r\n' +
        'A-4,SNV,Phạm Văn Mười,"Số 7, đường Lê Lợi",0912345678\r\n',
    );
    const { report } = await importFixture(file);
    const stored = (await deps.db.selectFrom('frame_imports').select('report').executeTakeFirstOrThrow()).report;
    expect(report.rowsRejected).toBe(3);
    expect(stored).not.toContain('Nguyễn Thị Bảy');
    expect(stored).not.toContain('0912345678');
    expect(stored).toContain('Sở Du lịch');
  });
});

describe('draw, publish, export and verify', () => {
  it('draws with each allocation; a new draft supersedes the previous one and drops its contacts', async () => {
    await importFixture();
    const fixed = await runDraw(deps.db, YEAR, { seed: 'sipas-2023', allocation: FIXED, reservePercent: 20 }, 'test');
    expect(fixed.units.find((u) => u.unitCode === 'SCT')).toEqual({ unitCode: 'SCT', eligible: 16, planned: 25, drawn: 16, reserve: 0, shortfall: 9 });
    expect(await count('sample_entries')).toBe(122 + 28 + 21 * 30);

    const proportional = await runDraw(deps.db, YEAR, { seed: 'sipas-2023', allocation: { kind: 'proportional', total: 700, min: 10, max: 60 }, reservePercent: 10 }, 'test');
    expect(proportional.units.reduce((s, u) => s + u.planned, 0)).toBe(700);
    expect(Math.min(...proportional.units.map((u) => u.planned))).toBeGreaterThanOrEqual(10);
    expect(Math.max(...proportional.units.map((u) => u.planned))).toBeLessThanOrEqual(60);

    const margin = await runDraw(deps.db, YEAR, { seed: 'sipas-2023', allocation: { kind: 'margin', margin: 0.05, max: 40 }, reservePercent: 0 }, 'test');
    // N = 21 → 21 / (1 + 21 · 0.0025) = 19.95 → 20; large units are capped at 40.
    expect(margin.units.find((u) => u.unitCode === 'SNV')?.planned).toBe(20);
    expect(margin.units.find((u) => u.unitCode === 'TBI')?.planned).toBe(40);

    const draws = await deps.db.selectFrom('draws').select(['id', 'status']).orderBy('id').execute();
    expect(draws.map((d) => d.status)).toEqual(['superseded', 'superseded', 'draft']);
    const contactsOfCurrent = await deps.db
      .selectFrom('contacts')
      .innerJoin('sample_entries', 'sample_entries.id', 'contacts.sample_entry_id')
      .select('sample_entries.draw_id')
      .distinct()
      .execute();
    expect(contactsOfCurrent.map((r) => r.draw_id)).toEqual([margin.id]);
    expect((await findWave(deps.db, YEAR))?.status).toBe('drawn');

    const bad = await cli('draw', '--wave', '2023', '--seed', 'x', '--per-unit', '25', '--total', '700');
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('cần đúng một trong --per-unit, --total, --margin') });
    const badMargin = await cli('draw', '--wave', '2023', '--seed', 'x', '--margin', '5');
    expect(badMargin).toMatchObject({ code: 1, stderr: expect.stringContaining('Sai số phải là một số giữa 0 và 1') });
  });

  it('publishes: unique codes and tokens in rank order, frame file deleted, contacts only for drawn people', async () => {
    await importFixture();
    // A trial draw first: it can be looked at, never published.
    await runDraw(deps.db, YEAR, { seed: 'first', allocation: FIXED, reservePercent: 20 }, 'test');
    const trial = await cli('draw', 'publish', '--wave', '2023');
    expect(trial).toMatchObject({ code: 1, stderr: expect.stringContaining('là bốc thử, không theo biên bản cam kết nào') });
    expect(await count('questionnaires')).toBe(0);
    const draw = await drawUnderCommitment(deps.db, YEAR, { allocation: FIXED, reservePercent: 20 });
    const published = await cli('draw', 'publish', '--wave', '2023');
    expect(published.code).toBe(0);
    expect(published.stdout).toContain('cấp 780 mã phiếu');

    const questionnaires = await deps.db
      .selectFrom('questionnaires')
      .innerJoin('sample_entries', 'sample_entries.id', 'questionnaires.sample_entry_id')
      .select(['questionnaires.code', 'questionnaires.token', 'questionnaires.released', 'questionnaires.status', 'sample_entries.unit_code', 'sample_entries.role', 'sample_entries.rank', 'sample_entries.draw_id'])
      .execute();
    expect(questionnaires).toHaveLength(780);
    expect(new Set(questionnaires.map((q) => q.code)).size).toBe(780);
    expect(new Set(questionnaires.map((q) => q.token)).size).toBe(780);
    expect(questionnaires.every((q) => q.draw_id === draw.id && q.status === 'drawn')).toBe(true);
    expect(questionnaires.every((q) => q.released === (q.role === 'primary' ? 1 : 0))).toBe(true);
    const tso = questionnaires.filter((q) => q.unit_code === 'TSO').sort((a, b) => a.code.localeCompare(b.code));
    expect(tso.map((q) => `${q.role}${q.rank}`)).toEqual([...Array.from({ length: 25 }, (_, i) => `primary${i + 1}`), ...Array.from({ length: 5 }, (_, i) => `reserve${i + 1}`)]);
    expect(tso.every((q) => q.code.startsWith('23-TSO-'))).toBe(true);

    expect(await frameFiles()).toEqual([]);
    expect((await deps.db.selectFrom('frame_imports').select('stored_file').executeTakeFirstOrThrow()).stored_file).toBeNull();
    expect(await count('contacts')).toBe(780);
    expect((await findWave(deps.db, YEAR))?.status).toBe('collecting');
    const again = await cli('draw', 'publish', '--wave', '2023');
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('đã công bố') });
  });

  it('never redoes a published draw silently; a redraw needs a reason, a new frame and no responses', async () => {
    await importFixture();
    const first = await drawUnderCommitment(deps.db, YEAR, { allocation: FIXED, reservePercent: 20 });
    await publish();
    const oldCodes = (await deps.db.selectFrom('questionnaires').select('code').execute()).map((q) => q.code);

    const silent = await cli('draw', '--wave', '2023', '--seed', 'other', '--per-unit', '25');
    expect(silent).toMatchObject({ code: 1, stderr: expect.stringContaining('không thể bốc lại ngầm') });
    const noFrame = await cli('draw', '--wave', '2023', '--seed', 'other', '--per-unit', '25', '--redraw', '--reason', 'Sai kỳ khảo sát');
    expect(noFrame).toMatchObject({ code: 1, stderr: expect.stringContaining('hãy nhập lại khung mẫu') });
    expect(await deps.db.selectFrom('draws').select('status').execute()).toEqual([{ status: 'published' }]);

    await importFixture();
    // The new frame needs its own commitment: the redraw follows it like any draw that is published.
    await commitTwoDaysAgo(deps.db, YEAR, { allocation: FIXED, reservePercent: 20 });
    const redraw = await cli('draw', '--wave', '2023', '--seed', '654321', '--redraw', '--reason', 'Sai kỳ khảo sát');
    expect(redraw.code).toBe(0);
    await publish();
    const statuses = await deps.db.selectFrom('draws').select(['id', 'status']).orderBy('id').execute();
    expect(statuses.map((d) => d.status)).toEqual(['superseded', 'published']);
    const newCodes = (await deps.db.selectFrom('questionnaires').select('code').execute()).map((q) => q.code);
    expect(newCodes.filter((c) => oldCodes.includes(c))).toEqual([]);
    const logged = await deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'draw.redraw').executeTakeFirstOrThrow();
    expect(JSON.parse(logged.detail)).toMatchObject({ supersededDraw: first.id, supersededStatus: 'published', reason: 'Sai kỳ khảo sát' });

    await importFixture();
    const [q] = await deps.db.selectFrom('questionnaires').select(['id', 'unit_code']).limit(1).execute();
    await insertResponse(deps.db, { waveYear: YEAR, questionnaireId: q.id, unitCode: q.unit_code, channel: 'qr', state: 'counted', answers: { A1: 5 }, profile: {}, comment: null, enteredBy: null });
    const error = await runDraw(deps.db, YEAR, { seed: 'third', allocation: FIXED, reservePercent: 20, redraw: true, reason: 'thử' }, 'test').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toContain('đã có 1 phiếu trả lời');
  });

  it('exports exactly questionnaire_code,unit_code,dossier_code,role,rank with no personal data, and never a questionnaire code beside a dossier code', async () => {
    await importFixture();
    await drawUnderCommitment(deps.db, YEAR, { allocation: FIXED, reservePercent: 20 });
    const before = (await exportDrawCsv(deps.db, YEAR)).csv;
    expect(before.startsWith('\uFEFFquestionnaire_code,unit_code,dossier_code,role,rank\r\n')).toBe(true);
    expect(before.split('\r\n')[1]).toMatch(/^,APH,APH-2023-\d{7},primary,1$/);

    await publish();
    const out = path.join(deps.dir, 'sample.csv');
    const result = await cli('draw', 'export', '--wave', '2023', '--out', out);
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining('Đã ghi 780 dòng') });
    const bytes = fs.readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').slice(1);
    // Every line, the last included, ends in CRLF (RFC 4180, as all the platform's CSV files).
    expect(text.endsWith('\r\n')).toBe(true);
    const lines = text.slice(0, -2).split('\r\n');
    expect(lines[0]).toBe('questionnaire_code,unit_code,dossier_code,role,rank');
    expect(lines).toHaveLength(781);
    // Published: the dossier code would tie each answer to a person (README, "Who sees dossier codes").
    for (const line of lines.slice(1)) expect(line).toMatch(/^23-[A-Z]+-\d{4}-[0-9A-Z],[A-Z]+,,(primary|reserve),\d+$/);
    expect(leaks(text)).toEqual([]);
  });

  it('verifies: identical with the same file and with its rows shuffled; a tampered file is caught', async () => {
    await importFixture();
    await drawUnderCommitment(deps.db, YEAR, { allocation: FIXED, reservePercent: 20 });
    await publish();

    const same = await cli('draw', 'verify', '--wave', '2023', FRAME);
    expect(same.code).toBe(0);
    expect(same.stdout).toContain('Giống hệt');
    expect(same.stdout).toContain(`Tệp đúng là tệp đã bốc (SHA-256 ${FRAME_SHA256})`);

    // The same sample from another file is not a verified draw: the exit code says so.
    const shuffled = await cli('draw', 'verify', '--wave', '2023', shuffledFixture());
    expect(shuffled.code).toBe(1);
    expect(shuffled.stdout).toContain('Giống hệt');
    expect(shuffled.stdout).toContain('Tệp khung mẫu khác với tệp đã bốc: SHA-256');
    expect(shuffled.stdout).toContain('KHÔNG ĐẠT');

    // Remove the first drawn person of TSO from the file.
    const [entry] = await deps.db.selectFrom('sample_entries').select('dossier_code').where('unit_code', '=', 'TSO').where('role', '=', 'primary').where('rank', '=', 1).execute();
    const original = fs.readFileSync(FRAME, 'utf8');
    const tamperedText = original.split('\r\n').filter((line) => !line.startsWith(`${entry.dossier_code},`)).join('\r\n');
    expect(tamperedText.length).toBeLessThan(original.length);
    const tampered = await cli('draw', 'verify', '--wave', '2023', writeFile('tampered.csv', tamperedText));
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toContain('Khác với mẫu đã bốc');
    expect(tampered.stdout).toContain('đơn vị TSO');
    expect(tampered.stdout).toContain('Tệp khung mẫu khác với tệp đã bốc: SHA-256');

    const json = JSON.parse((await cli('draw', 'verify', '--wave', '2023', FRAME, '--json')).stdout);
    expect(json).toMatchObject({ identical: true, sha256Matches: true, expectedSha256: FRAME_SHA256 });
    const outcome = await verifyDraw({ db: deps.db, dataDir: deps.config.dataDir }, await currentWave(), () => fs.createReadStream(path.join(deps.dir, 'tampered.csv')), 'test');
    expect(outcome).toMatchObject({ identical: false, sha256Matches: false });
  });

  it('verifies under the eligibility rules recorded with the draw, even after the wave settings change', async () => {
    await importFixture();
    await drawUnderCommitment(deps.db, YEAR, { allocation: FIXED, reservePercent: 20 });
    await publish();
    const wave = (await findWave(deps.db, YEAR))!;
    // A later edit that would make more rows eligible must not change what the draw was.
    await updateWaveSettings(deps.db, YEAR, { ...wave.settings, period: { from: '2022-01-01', to: '2023-12-31' } });
    const outcome = await verifyDraw({ db: deps.db, dataDir: deps.config.dataDir }, await currentWave(), () => fs.createReadStream(FRAME), 'test');
    expect(outcome).toMatchObject({ identical: true, sha256Matches: true });
  });
});

describe('changes made while a long step runs outside the write lock', () => {
  /** An upload that stops halfway, as on a slow connection, until `release` is called. */
  function pausedUpload(): { upload: FrameUpload; paused: Promise<void>; release: () => void } {
    const bytes = fs.readFileSync(FRAME);
    let release!: () => void;
    let reachedPause!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const paused = new Promise<void>((resolve) => (reachedPause = resolve));
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield bytes.subarray(0, bytes.length >> 1);
      reachedPause();
      await released;
      yield bytes.subarray(bytes.length >> 1);
    }
    return { upload: { fileName: 'khung.csv', bytes: chunks(), strict: false }, paused, release };
  }

  /**
   * Makes the draw's reading of the stored frame wait until `meanwhile` is done (through the
   * storage module, mocked above, so on disk and in the database alike).
   */
  function duringTheDraw(meanwhile: () => Promise<unknown>): void {
    drawGate.meanwhile = meanwhile;
  }

  it('records an import only if the wave still takes one once the file is read', async () => {
    const { upload, paused, release } = pausedUpload();
    const importing = importUpload(upload).catch((e: unknown) => e);
    await paused;
    expect((await cli('wave', 'close', '--wave', '2023')).code).toBe(0);
    release();
    expect(await importing).toMatchObject({ status: 409, message: 'Đợt 2023 đã khóa: không nhập khung mẫu được nữa' });
    expect(await count('frame_imports')).toBe(0);
    expect(await frameFiles()).toEqual([]);
  });

  it('refuses an import read under a unit list that was replaced meanwhile', async () => {
    const { upload, paused, release } = pausedUpload();
    const importing = importUpload(upload).catch((e: unknown) => e);
    await paused;
    const fewerUnits = fs.readFileSync(path.join(DEMO, 'units-2023.csv'), 'utf8').split('\n').filter((line) => !line.startsWith('SNV,')).join('\n');
    expect((await cli('units', 'import', '--wave', '2023', writeFile('units.csv', fewerUnits))).code).toBe(0);
    release();
    const error = await importing;
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('Danh sách đơn vị hoặc quy tắc chọn của đợt 2023 đã thay đổi trong lúc đọc tệp khung mẫu: hãy làm lại');
    expect(await count('frame_imports')).toBe(0);
    expect(await frameFiles()).toEqual([]);
  });

  it('does not silently replace a draw that was published while the new one was drawn', async () => {
    await importFixture();
    const draft = await drawUnderCommitment(deps.db, YEAR, { allocation: FIXED, reservePercent: 20 });
    duringTheDraw(publish);
    const error = await runDraw(deps.db, YEAR, { seed: '654321' }, 'test').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, message: expect.stringContaining('không thể bốc lại ngầm') });
    expect(await deps.db.selectFrom('draws').select(['id', 'status']).execute()).toEqual([{ id: draft.id, status: 'published' }]);
    expect(await count('questionnaires')).toBe(780);
  });

  it('does not record a draw from a frame that was replaced while it was drawn', async () => {
    await importFixture();
    duringTheDraw(() => importFixture());
    const error = await runDraw(deps.db, YEAR, { seed: 'sipas-2023', allocation: FIXED, reservePercent: 20 }, 'test').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 409, message: 'Khung mẫu của đợt 2023 vừa được nhập lại trong lúc bốc mẫu: hãy bốc lại từ khung mẫu mới' });
    expect(await count('draws')).toBe(0);
    expect(await count('sample_entries')).toBe(0);
  });
});

describe('pages', () => {
  function multipart(fields: Record<string, string>, file?: { name: string; content: Uint8Array | string }): FormData {
    const form = new FormData();
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    if (file) form.append('file', new Blob([file.content], { type: 'text/csv' }), file.name);
    return form;
  }

  it('lets an administrator upload, draw, publish and export through the web; supervisors view and verify', async () => {
    const app = createApp(deps);
    const admin = await signInSession(deps, 'admin');
    const supervisor = await signInSession(deps, 'supervisor');
    const analyst = await signIn(deps, 'analyst');
    const frameBytes = fs.readFileSync(FRAME);

    const strict = await app.request(`/waves/${YEAR}/frame`, { method: 'POST', headers: { ...admin }, body: multipart({ strict: '1' }, { name: 'khung.csv', content: frameBytes }) });
    expect(strict.status).toBe(400);
    const strictPage = await strict.text();
    expect(strictPage).toContain('Chế độ nghiêm ngặt');
    expect(strictPage).toContain('<td class="num">1395</td>');
    expect(await count('frame_imports')).toBe(0);

    const upload = await app.request(`/waves/${YEAR}/frame`, { method: 'POST', headers: { ...admin }, body: multipart({}, { name: 'khung.csv', content: frameBytes }) });
    expect(upload.status).toBe(200);
    const uploadPage = await upload.text();
    expect(uploadPage).toContain('Đã nhập khung mẫu khung.csv: 2.988 dòng hợp lệ, 12 dòng bị từ chối');
    expect(uploadPage).toContain(FRAME_SHA256);
    expect(uploadPage).toContain('XYZ1: 2 dòng');
    expect(leaks(uploadPage)).toEqual([]);
    expect((await app.request(`/waves/${YEAR}/frame`, { method: 'POST', headers: { ...supervisor }, body: multipart({}, { name: 'k.csv', content: frameBytes }) })).status).toBe(403);
    expect((await app.request(`/waves/${YEAR}/frame`, { headers: { cookie: analyst } })).status).toBe(403);

    const form = (fields: Record<string, string>) => ({ method: 'POST', headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
    const allocation = { allocation: 'proportional', total: '700', min: '10', max: '60', reserve: '20' };
    const drawForm = new URLSearchParams({ seed: '15/04/2024 XSKT An Giang 123456', ...allocation });
    // A trial draw with a seed of one's own: shown, never publishable.
    const followed = (path: string) => app.request(path, { headers: { ...admin } });
    const trialPage = await pageAfterDraw(await app.request(`/waves/${YEAR}/draw`, form(Object.fromEntries(drawForm))), followed);
    expect(trialPage).toContain('Đây là lần <strong>bốc thử</strong>');
    expect(trialPage).not.toContain('Công bố mẫu</button>');
    const trialId = (await deps.db.selectFrom('draws').select('id').executeTakeFirstOrThrow()).id;
    const refused = await app.request(`/waves/${YEAR}/draw/publish`, form({ drawId: String(trialId), confirm: '1' }));
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('là bốc thử, không theo biên bản cam kết nào');

    // Step 1: the commitment, for a public drawing tomorrow; step 2, once that day has come (the
    // server's clock moved ahead instead of waiting), the draw with the public number.
    const tomorrow = dayInVietnam(new Date(Date.now() + 86_400_000));
    const committed = await app.request(`/waves/${YEAR}/draw/commit`, form({ seedSource: 'Xổ số kiến thiết An Giang, giải đặc biệt', seedDate: tomorrow, seedDigits: '6', ...allocation }));
    expect(committed.status).toBe(200);
    expect(await committed.text()).toContain('Đã lập biên bản cam kết số 1');
    const early = await app.request(`/waves/${YEAR}/draw`, form({ seed: '123456' }));
    expect(early.status).toBe(409);
    deps.clock = () => new Date(Date.now() + 2 * 86_400_000);
    const draftPage = await pageAfterDraw(await app.request(`/waves/${YEAR}/draw`, form({ seed: '123456' })), followed);
    expect(draftPage).toContain('Đã bốc mẫu (bản nháp số');
    expect(draftPage).toContain('HMAC-SHA-256');
    const draw = await deps.db.selectFrom('draws').select(['id', 'allocation', 'commitment_id']).where('status', '=', 'draft').executeTakeFirstOrThrow();
    expect(draw.commitment_id).toBe(1);
    expect(JSON.parse(draw.allocation)).toEqual({ kind: 'proportional', total: 700, min: 10, max: 60, version: 2 });

    const unconfirmed = await app.request(`/waves/${YEAR}/draw/publish`, { method: 'POST', headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ drawId: String(draw.id) }) });
    expect(unconfirmed.status).toBe(400);
    const publish = await app.request(`/waves/${YEAR}/draw/publish`, { method: 'POST', headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ drawId: String(draw.id), confirm: '1' }) });
    expect(publish.status).toBe(200);
    expect(await publish.text()).toContain('Đã công bố lần bốc số');
    // The page passes the request on; the draw service applies the one redraw rule.
    const post = (fields: Record<string, string>) =>
      app.request(`/waves/${YEAR}/draw`, { method: 'POST', headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ ...Object.fromEntries(drawForm), ...fields }) });
    const silent = await post({});
    expect(silent.status).toBe(409);
    expect(await silent.text()).toContain('không thể bốc lại ngầm');
    const noReason = await post({ redraw: '1', reason: ' ' });
    expect(noReason.status).toBe(409);
    expect(await noReason.text()).toContain('Bốc lại mẫu của đợt 2023 cần ghi lý do');

    const viewed = await app.request(`/waves/${YEAR}/draw`, { headers: { ...supervisor } });
    const page = await viewed.text();
    expect(viewed.status).toBe(200);
    expect(page).toMatch(/<td>23-APH-\d{4}-[0-9A-Z]<\/td>/);
    expect(page).not.toMatch(/[A-Z]+-2023-\d{7}/);
    expect(page).not.toContain('action="/waves/2023/draw"');
    expect(leaks(page)).toEqual([]);

    const exported = await app.request(`/waves/${YEAR}/draw/export.csv`, { headers: { ...supervisor } });
    expect(exported.headers.get('content-type')).toContain('text/csv');
    const exportedBytes = Buffer.from(await exported.arrayBuffer());
    expect(exportedBytes.toString('utf8').split('\r\n')[0]).toBe('\uFEFFquestionnaire_code,unit_code,dossier_code,role,rank');
    expect(exportedBytes.toString('utf8')).not.toMatch(/[A-Z]+-2023-\d{7}/);

    const verified = await app.request(`/waves/${YEAR}/draw/verify`, { method: 'POST', headers: { ...supervisor }, body: multipart({}, { name: 'goc.csv', content: frameBytes }) });
    expect(verified.status).toBe(200);
    expect(await verified.text()).toContain('Giống hệt: chạy lại từ tệp này cho đúng danh sách đã bốc.');
    // The uploaded copy, kept while the draw was re-run, holds personal data: it is gone (and the frame went at publish).
    expect(await frameFiles()).toEqual([]);
  });

  it('links the frame and draw pages from the wave page', async () => {
    const admin = await signIn(deps, 'admin');
    const html = await (await createApp(deps).request(`/waves/${YEAR}`, { headers: { cookie: admin } })).text();
    expect(html).toContain('href="/waves/2023/frame"');
    expect(html).toContain('href="/waves/2023/draw"');
  });
});

describe('demo', () => {
  it('starts with an imported frame and a published draw', async () => {
    const fresh = await createTestDeps();
    try {
      await seedDemoIfEmpty(fresh.db, fresh.config.dataDir);
      const draws = await fresh.db.selectFrom('draws').select(['status', 'seed', 'commitment_id']).execute();
      expect(draws).toEqual([{ status: 'published', seed: 'Xổ số kiến thiết An Giang, giải đặc biệt 11/01/2024 318264', commitment_id: 1 }]);
      const frame = await fresh.db.selectFrom('frame_imports').select(['rows_read', 'rows_rejected', 'stored_file', 'file_sha256']).executeTakeFirstOrThrow();
      expect(frame).toEqual({ rows_read: 3000, rows_rejected: 12, stored_file: null, file_sha256: FRAME_SHA256 });
      const questionnaires = await fresh.db.selectFrom('questionnaires').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      expect(Number(questionnaires.n)).toBe(780);
      expect((await findWave(fresh.db, 2023))?.status).toBe('collecting');
      expect(await storedUploads(fresh.db, fresh.config.dataDir)).toEqual([]);
    } finally {
      await fresh.cleanup();
    }
  });
});
