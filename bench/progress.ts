/*
 * What following an import costs (issue 15: long imports and draws show their progress).
 *
 *   npx tsx bench/progress.ts [rows] [--runs 5]      default 300,000 rows
 *
 * The server's `frame import` service on a real SQLite file, on the same generated frame, two
 * ways taken in turns (so a change in the machine's load hits both): importFrame as the command
 * line runs it (the baseline), and importFrameFollowed as the frame page runs it: the reader
 * hands its figures over after each chunk, a task row is started, written about once a second
 * and ended. Prints the median wall time of each and their ratio.
 */
import { createReadStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { csv, row } from '../sampling/test-support';
import { migrateToLatest, openDatabase } from '../server/db/connect';
import { importFrame } from '../server/services/draw/frame-import';
import { importFrameFollowed } from '../server/services/draw/frame-import-task';
import { createWave, importUnits } from '../server/services/waves/waves';

const args = process.argv.slice(2);
const runsAt = args.indexOf('--runs');
const RUNS = runsAt >= 0 ? Number(args[runsAt + 1]) : 5;
const ROWS = Number(args.find((a, i) => /^\d+$/.test(a) && args[i - 1] !== '--runs') ?? 300_000);
const DEMO = fileURLToPath(new URL('../server/demo/', import.meta.url));

const dir = path.join(os.tmpdir(), `sipas-bench-progress-${process.pid}`);
mkdirSync(dir, { recursive: true });
const frame = path.join(dir, 'frame.csv');
// Distinct persons over four units, every 1,000th dossier code repeated (a second pass, as real exports have).
const units = ['CMO', 'LXU', 'CDO', 'APH'];
const rows: string[] = [];
for (let i = 1; i <= ROWS; i++) {
  const code = i % 1000 === 0 ? `HS-${i - 1}` : `HS-${i}`;
  rows.push(row({ code, unit: units[i % units.length], id: `0890${String(i).padStart(8, '0')}`, address: `Số ${i}, đường Lê Lợi, phường Mỹ Bình` }));
}
writeFileSync(frame, csv(rows));
rows.length = 0;

const db = openDatabase({ kind: 'sqlite', file: path.join(dir, 'sipas.db') });
await migrateToLatest(db);
await createWave(db, { year: 2023, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'bench' });
await importUnits(db, 2023, readFileSync(path.join(DEMO, 'units-2023.csv')), 'bench');
const deps = { db, dataDir: dir };
const upload = () => ({ fileName: 'frame.csv', bytes: createReadStream(frame), strict: false });

const times: Record<'baseline' | 'followed', number[]> = { baseline: [], followed: [] };
for (let run = 0; run < RUNS; run++) {
  for (const way of ['baseline', 'followed'] as const) {
    const started = performance.now();
    const outcome = way === 'baseline' ? await importFrame(deps, 2023, upload(), 'bench') : await importFrameFollowed(deps, 2023, upload(), 'bench', null);
    times[way].push(performance.now() - started);
    if (!outcome.ok) throw outcome.error;
  }
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const task = await db.selectFrom('long_tasks').select(['state', 'pass', 'rows_read']).orderBy('id', 'desc').executeTakeFirstOrThrow();
console.log(`${ROWS.toLocaleString('en')} rows, ${RUNS} runs each, alternated`);
console.log(`importFrame (baseline)     median ${median(times.baseline).toFixed(0)} ms  [${times.baseline.map((t) => t.toFixed(0)).join(', ')}]`);
console.log(`importFrameFollowed        median ${median(times.followed).toFixed(0)} ms  [${times.followed.map((t) => t.toFixed(0)).join(', ')}]`);
console.log(`ratio followed / baseline  ${(median(times.followed) / median(times.baseline)).toFixed(3)}`);
console.log(`last task: ${task.state}, pass ${task.pass}, ${task.rows_read.toLocaleString('en')} rows read`);
await db.destroy();
rmSync(dir, { recursive: true, force: true });
