/*
 * Frame import + draw benchmark (issue 3).
 *
 *   npx tsx bench/draw.ts [rows]      one size, default 1,000,000 rows (~220 MB)
 *   npx tsx bench/draw.ts --scale     (a), (b) drawSample and (d) at 1 M and 4 M rows, to show memory against rows
 *   npx tsx bench/draw.ts --only=draw,index,draw-index [rows]   (a) and the phases named
 *   npx tsx bench/draw.ts --only=server-import,server-draw      (a) and the server's import then draw
 *
 * Writes a messy frame like shared/fixtures/frame-2023-sample.csv to bench/out/ and times,
 * each phase in its own child process so its peak RSS is its own:
 *   (a) papaparse streaming the file, doing nothing with the rows, in its two streaming
 *       forms: Papa.parse on the read stream, and its Parser fed decoded 64 KiB chunks (the
 *       way the library uses it); the faster is the baseline;
 *   (b) `draw verify`: drawSample, which is the import's read (scanFrame writing a draw index
 *       into scratch files) then the draw from that index, its rank HMACs on the server's
 *       sampling threads, as the server runs it: the file read in two parts at once (one on a
 *       sampling thread, sampling/frame-parts.ts), and beside it as one stream, the way it was
 *       read before; "scan+draw" is scanFrame then drawSample, the old way
 *       of drawing. The generated file repeats ~0.1 % of its dossier codes, as real exports do,
 *       and some rows carry no identity number: both are decided after the one read (scanFrame);
 *   (c) scanFrame alone;
 *   (d) issue 15: the import keeping the draw index (scanFrame writing it to a file beside the
 *       frame), then the draw from that index (drawFromIndex: the index streamed, only the
 *       drawn rows read from the frame by byte range). Its result is checked equal to
 *       drawSample's (b) in the same run;
 *   (e) the server's own path on a real SQLite file (bench/out/frame-N.csv.server/): the
 *       `frame import` service (importFrame: the frame stored, the draw index written beside
 *       it, the import recorded) for a local file, as the command line imports it (stored
 *       whole, then read in two parts), and for an upload stream, as the page's upload is read
 *       as it arrives; then the `draw` service (runDraw: from the stored index,
 *       checked in the audit log, the draft recorded).
 * The phases are run in turn, 3 rounds, so a change in the machine's load hits all of them;
 * wall time is the median of the rounds, CPU time (user + system of the phase's process, from
 * the phase's start) beside it, since on a shared machine the wall time also counts waiting.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, createReadStream, createWriteStream, existsSync, mkdirSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Papa from 'papaparse';
import { createHash } from 'node:crypto';
import { drawFromIndex, drawSample, scanFrame, type DrawIndexSink, type DrawOptions, type DrawResult, type ReadProgress, type UnitRef } from '../sampling/index';
import { migrateToLatest, openDatabase } from '../server/db/connect';
import { runDraw } from '../server/services/draw/draw';
import { localFrameFile, sharedSamplingThreads } from '../server/services/draw/sampling-threads';
import { importFrame, localUpload } from '../server/services/draw/frame-import';
import { diskFileRanges, diskScratch } from '../server/services/storage/disk-files';
import { createWave, importUnits } from '../server/services/waves/waves';
import { seededRandom } from '../sampling/test-support';
import { oneStopDate } from '../server/demo/frame-2025';

const OUT = fileURLToPath(new URL('./out/', import.meta.url));
const RUNS = 3;

const UNITS: UnitRef[] = [
  ['SNV', 'Sở Nội vụ'], ['STP', 'Sở Tư pháp'], ['STC', 'Sở Tài chính'], ['SKHDT', 'Sở Kế hoạch và Đầu tư'],
  ['SGTVT', 'Sở Giao thông Vận tải'], ['STTTT', 'Sở Thông tin và Truyền thông'], ['SCT', 'Sở Công Thương'],
  ['SXD', 'Sở Xây dựng'], ['SYT', 'Sở Y tế'], ['SGDDT', 'Sở Giáo dục và Đào tạo'], ['SNGV', 'Sở Ngoại vụ'],
  ['STNMT', 'Sở Tài nguyên và Môi trường'], ['SNNPTNT', 'Sở Nông nghiệp và Phát triển nông thôn'],
  ['SKHCN', 'Sở Khoa học và Công nghệ'], ['SLDTBXH', 'Sở Lao động - Thương binh và Xã hội'],
  ['SVHTTDL', 'Sở Văn hóa, Thể thao và Du lịch'], ['BQLKKT', 'Ban Quản lý Khu kinh tế'],
  ['LXU', 'Thành phố Long Xuyên'], ['CDO', 'Thành phố Châu Đốc'], ['TCH', 'Thị xã Tân Châu'],
  ['TBI', 'Thị xã Tịnh Biên'], ['APH', 'Huyện An Phú'], ['CPH', 'Huyện Châu Phú'], ['CTH', 'Huyện Châu Thành'],
  ['CMO', 'Huyện Chợ Mới'], ['PTA', 'Huyện Phú Tân'], ['TSO', 'Huyện Thoại Sơn'], ['TTO', 'Huyện Tri Tôn'],
].map(([code, name]) => ({ code, name }));

const DRAW: DrawOptions = {
  units: UNITS,
  period: { from: '2023-01-01', to: '2023-12-31' },
  seed: 'bench-2023',
  allocation: { kind: 'fixed', perUnit: 25 },
  reservePercent: 20,
};

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Hoàng', 'Phan', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Trương', 'Châu', 'Lâm'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Minh', 'Thanh', 'Ngọc', 'Đức', 'Mỹ', 'Tấn', 'Hồng', 'Diễm'];
const GIVEN = ['An', 'Anh', 'Bình', 'Châu', 'Dũng', 'Hải', 'Hoa', 'Khang', 'Linh', 'Long', 'Mai', 'Nam', 'Oanh', 'Phúc', 'Tài', 'Trang', 'Tuấn', 'Yến'];
const STREETS = ['Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Huệ', 'Hai Bà Trưng', 'Phan Đình Phùng', 'Lý Thái Tổ', 'Trần Quang Khải', 'Nguyễn Trãi'];
const WARDS = ['Mỹ Bình', 'Mỹ Long', 'Núi Sam', 'Nhà Bàng', 'Ba Chúc', 'Bình Khánh', 'Vĩnh Mỹ', 'Long Thạnh'];
const PROCEDURES = ['Cấp phiếu lý lịch tư pháp', 'Chứng thực bản sao từ bản chính', 'Đăng ký kết hôn', 'Cấp giấy phép xây dựng', 'Đăng ký thành lập hộ kinh doanh', 'Đăng ký khai sinh'];
const CHANNELS = ['Trực tiếp', 'Bưu chính công ích', 'Trực tuyến'];
const HEADER = 'Mã hồ sơ,Mã đơn vị,Tên thủ tục,Họ và tên,Loại đối tượng,Số CCCD,Số điện thoại,Địa chỉ,Ngày trả kết quả,Hình thức nộp';

/**
 * Rows like the real export: every date form, quoted addresses (some over two lines), 6 %
 * organisations without an id, ~10 % repeat applicants, a few blank addresses, 2022 rows,
 * unknown units and duplicated codes.
 */
async function generate(path: string, rows: number): Promise<void> {
  const random = seededRandom(rows);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)];
  const out = createWriteStream(path);
  const write = (text: string) => (out.write(text) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  await write('\ufeff' + HEADER + '\r\n');
  const weights = UNITS.map((_, i) => (i < 17 ? 1 : 8));
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  let batch = '';
  let lastId = '';
  for (let i = 1; i <= rows; i++) {
    let w = random() * totalWeight;
    let u = 0;
    while ((w -= weights[u]) > 0) u++;
    const unit = random() < 0.002 ? `XYZ${Math.floor(random() * 9)}` : UNITS[u].code;
    const code = random() < 0.001 && i > 1 ? `${unit}-2023-${String(i - 1).padStart(9, '0')}` : `${unit}-2023-${String(i).padStart(9, '0')}`;
    const organisation = random() < 0.06;
    const name = organisation ? `Công ty TNHH ${pick(GIVEN)} ${pick(WARDS)}` : `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
    const id = organisation ? '' : random() < 0.1 && lastId !== '' ? lastId : String(Math.floor(random() * 1e12)).padStart(12, '0');
    if (id !== '') lastId = id;
    const street = `Số ${1 + Math.floor(random() * 400)}, đường ${pick(STREETS)},`;
    const address = random() < 0.009 ? '' : `"${street}${random() < 0.006 ? '\r\n' : ' '}phường/xã ${pick(WARDS)}, tỉnh An Giang"`;
    const year = random() < 0.01 ? 2022 : 2023;
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    const date = oneStopDate(year, month, day, random());
    const phone = `09${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
    batch += `${code},${unit},${pick(PROCEDURES)},${name},${organisation ? 'Tổ chức' : 'Cá nhân'},${id},${phone},${address},${date},${pick(CHANNELS)}\r\n`;
    if (batch.length > 1 << 20) {
      await write(batch);
      batch = '';
    }
  }
  await write(batch + '\r\n\r\n');
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

type Phase = 'papaparse' | 'papa-parser' | 'draw' | 'draw-stream' | 'scan' | 'scan+draw' | 'index' | 'draw-index' | 'server-import' | 'server-import-upload' | 'server-draw';

const indexOf = (path: string) => `${path}.index`;

/** What two draws must agree on, in one line. */
function fingerprint(result: DrawResult): string {
  return createHash('sha256').update(JSON.stringify({ ...result, dedupBytes: 0 })).digest('hex').slice(0, 16);
}

/**
 * The server's own database for the (e) phases: a real SQLite file in bench/out/server-N/ (its
 * data folder, where the import keeps the frame and its draw index). `fresh` starts it anew
 * with the wave and its units, as an administrator would before importing the frame.
 */
async function serverDatabase(path: string, fresh: boolean) {
  const dataDir = `${path}.server`;
  if (fresh) rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase({ kind: 'sqlite', file: `${dataDir}/sipas.db` });
  if (fresh) {
    await migrateToLatest(db);
    await createWave(db, { year: 2023, settings: { period: DRAW.period }, actor: 'bench' });
    const units = ['unit_code,unit_name,unit_kind', ...UNITS.map((u) => `${u.code},"${u.name}",${u.name.startsWith('Sở') || u.name.startsWith('Ban') ? 'department' : 'district'}`)].join('\n');
    await importUnits(db, 2023, new TextEncoder().encode(units), 'bench');
  }
  return { db, dataDir };
}

/** Runs in the child: one phase, then prints its wall and CPU time and this process's peak RSS. */
/** The index written to a file, synchronously, chunk by chunk (the library phases; the server stores it through services/storage). */
function fileIndexSink(path: string): DrawIndexSink & { close(): void } {
  const fd = openSync(path, 'w');
  let position = 0;
  return {
    write: (bytes) => {
      for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
      position += bytes.length;
    },
    close: () => closeSync(fd),
  };
}

async function runPhase(phase: Phase, path: string): Promise<void> {
  // The server's database is opened (and for the import made) before the clock starts.
  const importing = phase === 'server-import' || phase === 'server-import-upload';
  const server = importing || phase === 'server-draw' ? await serverDatabase(path, importing) : null;
  // A running server started its sampling threads at boot (server/main.ts); so does this one, before the clock.
  if (phase.startsWith('server') || phase.startsWith('draw')) await sharedSamplingThreads().ready();
  // The row log (and drawSample's index) in files, as the server keeps them: memory would grow with the frame.
  const scratch = diskScratch(`${OUT}scratch-${process.pid}`);
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let rows = 0;
  let dedupBytes = 0;
  let result = '';
  // When the read (both parts, merged) ended and the replay began: the import says so (pass 2).
  let readMs = 0;
  const onProgress = (progress: ReadProgress) => {
    if (progress.pass === 2 && readMs === 0) readMs = performance.now() - start;
  };
  if (importing) {
    const { db, dataDir } = server!;
    // The command line's import (a local file: stored whole, then read in two parts) or the page's (an upload read as it comes).
    const upload = phase === 'server-import' ? localUpload(path, false) : { fileName: 'frame.csv', bytes: createReadStream(path), strict: false };
    const outcome = await importFrame({ db, dataDir }, 2023, upload, 'bench', onProgress);
    if (!outcome.ok) throw outcome.error;
    rows = outcome.frameImport.report.rowsRead;
  } else if (phase === 'server-draw') {
    const { db, dataDir } = server!;
    const { seed, allocation, reservePercent } = DRAW;
    const draw = await runDraw(db, 2023, { seed, allocation, reservePercent }, 'bench', { dataDir });
    const audit = await db.selectFrom('audit_log').select('detail').where('action', '=', 'draw.create').orderBy('id', 'desc').executeTakeFirstOrThrow();
    const readFrom = (JSON.parse(audit.detail as string) as { readFrom: string }).readFrom;
    if (readFrom !== 'draw-index') throw new Error(`the draw read the ${readFrom}, not the draw index`);
    const entries = await db.selectFrom('sample_entries').select(['unit_code', 'role', 'rank', 'dossier_code']).where('draw_id', '=', draw.id).orderBy('id').execute();
    result = createHash('sha256').update(JSON.stringify(entries)).digest('hex').slice(0, 16);
    rows = entries.length;
  } else if (phase === 'papa-parser') {
    const parser = new Papa.Parser({ delimiter: ',', newline: '\n', quoteChar: '"' });
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let partial = '';
    for await (const chunk of createReadStream(path)) {
      const text = partial + decoder.decode(chunk as Buffer, { stream: true });
      const results = parser.parse(text, 0, true);
      rows += results.data.length;
      partial = text.slice(results.meta.cursor);
    }
    rows += parser.parse(partial + decoder.decode(), 0, false).data.length;
  } else if (phase === 'papaparse') {
    await new Promise<void>((resolve, reject) => {
      Papa.parse(createReadStream(path), {
        chunk: (results) => {
          rows += results.data.length;
        },
        complete: () => resolve(),
        error: reject,
      });
    });
  } else if (phase === 'draw' || phase === 'draw-stream') {
    // `draw verify` reads the file in two parts (a local file, or the saved copy of an upload); before, as one stream.
    const frame = phase === 'draw' ? localFrameFile(path) : () => createReadStream(path);
    const drawn = await drawSample(frame, { ...DRAW, onProgress }, scratch.space, sharedSamplingThreads().rank);
    rows = drawn.report.rowsRead;
    dedupBytes = drawn.dedupBytes;
    result = fingerprint(drawn);
  } else if (phase === 'index') {
    const { seed: _seed, allocation: _allocation, reservePercent: _reserve, ...frame } = DRAW;
    const sink = fileIndexSink(indexOf(path));
    const scan = await scanFrame(createReadStream(path), frame, sink, scratch.space);
    sink.close();
    rows = scan.report.rowsRead;
    dedupBytes = scan.dedupBytes;
  } else if (phase === 'draw-index') {
    const { seed, allocation, reservePercent } = DRAW;
    const drawn = await drawFromIndex(createReadStream(indexOf(path), { highWaterMark: 1 << 20 }), diskFileRanges(path), { seed, allocation, reservePercent });
    rows = drawn.report.rowsRead;
    result = fingerprint(drawn);
  } else {
    const scan = await scanFrame(createReadStream(path), DRAW, undefined, scratch.space);
    rows = scan.report.rowsRead;
    dedupBytes = scan.dedupBytes;
    if (phase === 'scan+draw') rows = (await drawSample(() => createReadStream(path), DRAW, scratch.space)).report.rowsRead;
  }
  const ms = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  scratch.discard();
  rmSync(`${OUT}scratch-${process.pid}`, { recursive: true, force: true });
  await server?.db.destroy();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(JSON.stringify({ ms, readMs, cpuMs, rows, dedupBytes, result, maxRssMb: process.resourceUsage().maxRSS / 1024 }) + '\n');
}

interface Measure {
  seconds: number;
  /** Of which the read itself, up to the replay (0 for phases that do not say). */
  readSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  rows: number;
  dedupBytes: number;
  result: string;
}

function runOnce(phase: Phase, path: string): { seconds: number; readSeconds: number; cpuSeconds: number; rssMb: number; rows: number; dedupBytes: number; result: string } {
  const child = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--phase', phase, path], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (child.status !== 0) throw new Error(`phase ${phase} failed: ${child.stderr}`);
  const out = JSON.parse(child.stdout.trim().split('\n').pop()!) as { ms: number; readMs: number; cpuMs: number; maxRssMb: number; rows: number; dedupBytes: number; result: string };
  return { seconds: out.ms / 1000, readSeconds: out.readMs / 1000, cpuSeconds: out.cpuMs / 1000, rssMb: out.maxRssMb, rows: out.rows, dedupBytes: out.dedupBytes, result: out.result };
}

/** Every phase once per round, so load changes on a shared machine hit all phases alike. */
function measure(phases: Phase[], path: string): Map<Phase, Measure> {
  const runs = new Map<Phase, ReturnType<typeof runOnce>[]>(phases.map((p) => [p, []]));
  for (let round = 0; round < RUNS; round++) for (const phase of phases) runs.get(phase)!.push(runOnce(phase, path));
  return new Map(
    phases.map((phase) => {
      const list = runs.get(phase)!;
      const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(RUNS / 2)];
      const measure: Measure = {
        seconds: median(list.map((r) => r.seconds)),
        readSeconds: median(list.map((r) => r.readSeconds)),
        cpuSeconds: median(list.map((r) => r.cpuSeconds)),
        result: list[0].result,
        peakRssMb: Math.max(...list.map((r) => r.rssMb)),
        rows: list[0].rows,
        dedupBytes: list[0].dedupBytes,
      };
      return [phase, measure];
    }),
  );
}

async function frameOf(rows: number): Promise<string> {
  mkdirSync(OUT, { recursive: true });
  const path = `${OUT}frame-${rows}.csv`;
  if (!existsSync(path)) {
    process.stdout.write(`generating ${rows.toLocaleString('en')} rows → ${path} ... `);
    await generate(path, rows);
    process.stdout.write('done\n');
  }
  return path;
}

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--phase') return runPhase(args[1] as Phase, args[2]);
  const scale = args.includes('--scale');
  const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length).split(',');
  const size = args.find((a) => !a.startsWith('--'));
  const sizes = scale ? [1_000_000, 4_000_000] : [Number(size ?? 1_000_000)];
  const widths = [52, 9, 7, 8, 9, 12, 14];
  console.log(`node ${process.version}, ${RUNS} rounds of every phase in turn, median wall time, peak RSS over the rounds`);
  for (const rows of sizes) {
    const path = await frameOf(rows);
    const mb = statSync(path).size / 1e6;
    console.log(`\n${rows.toLocaleString('en')} rows, ${mb.toFixed(0)} MB`);
    console.log(row(['phase', 'seconds', 'MB/s', 'vs (a)', 'CPU s', 'peak RSS MB', 'de-dup B/row'], widths));
    const phases: [string, Phase][] = [
      ['(a) Papa.parse(read stream), rows ignored', 'papaparse'],
      ['(a) Papa.Parser on decoded chunks, rows ignored', 'papa-parser'],
      ['(b) scanFrame then drawSample (the server)', 'scan+draw'],
      ['(b) drawSample, the file in two parts (draw verify)', 'draw'],
      ['(b) drawSample, the file as one stream', 'draw-stream'],
      ['(c) scanFrame alone', 'scan'],
      ['(d) import: scanFrame writing the draw index', 'index'],
      ['(d) draw: drawFromIndex (index + drawn rows only)', 'draw-index'],
      ['(e) server: importFrame, local file (command line)', 'server-import'],
      ['(e) server: importFrame, upload stream (the page)', 'server-import-upload'],
      ['(e) server: runDraw (from the stored index)', 'server-draw'],
    ];
    // The scale run is about memory against rows; the two-pass phases would only add minutes.
    const chosen = only
      ? phases.filter(([, p]) => p === 'papa-parser' || only.includes(p))
      : scale
        ? phases.filter(([, p]) => p !== 'scan+draw' && p !== 'scan' && p !== 'papaparse' && !p.startsWith('server'))
        : phases;
    const measures = measure(chosen.map(([, p]) => p), path);
    const base = Math.min(...['papaparse', 'papa-parser'].filter((p) => measures.has(p as Phase)).map((p) => measures.get(p as Phase)!.seconds));
    for (const [label, phase] of chosen) {
      const m = measures.get(phase)!;
      const perRow = m.dedupBytes > 0 ? (m.dedupBytes / m.rows).toFixed(1) : '';
      console.log(row([label, m.seconds.toFixed(2), (mb / m.seconds).toFixed(0), `${(m.seconds / base).toFixed(2)}×`, m.cpuSeconds.toFixed(2), m.peakRssMb.toFixed(0), perRow], widths));
    }
    // The floor of the design: the read alone (the second part ends within it), before the replay.
    const split = chosen.filter(([, p]) => measures.get(p)!.readSeconds > 0);
    if (split.length > 0) console.log('\nwhere the time goes: the read (up to the replay), then the replay, the draw index and the rest');
    for (const [label, phase] of split) {
      const m = measures.get(phase)!;
      console.log(`${label.padEnd(widths[0])}  read ${m.readSeconds.toFixed(2)} s (${(m.readSeconds / base).toFixed(2)}× (a)), then ${(m.seconds - m.readSeconds).toFixed(2)} s`);
    }
    if (measures.has('draw') && measures.has('draw-index')) {
      const fromFile = measures.get('draw')!.result;
      const fromIndex = measures.get('draw-index')!.result;
      console.log(`index ${(statSync(indexOf(path)).size / 1e6).toFixed(0)} MB; drawFromIndex result ${fromIndex === fromFile ? '=' : '≠'} drawSample result (${fromIndex} / ${fromFile})`);
      if (fromIndex !== fromFile) process.exitCode = 1;
    }
  }
}

await main();
