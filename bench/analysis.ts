/**
 * The server's analysis path (what every results page and export pays): a wave of 100,000
 * responses (or any number) over 28 units in the platform's own schema, `analyseWave` in a read
 * transaction as the routes call it (read units, settings, questionnaire, tracking and every
 * response with its answers, then computeWaveResults), side by side with the floor measured in
 * the same run: one GROUP BY unit, item, value over the same answers. The answers are stored
 * once, as JSON on the response row, so the floor reads them with json_each (PostgreSQL:
 * jsonb_each_text); a second floor reads a one-row-per-answer table that the bench alone builds
 * (the platform keeps none since 2026-11-22T16-00), the cheapest layout the database could group.
 *
 * Every measured run is its own child process, the three kinds taking turns, so each run's peak
 * memory (`process.resourceUsage().maxRSS`) is its own and printed beside its time, together with
 * the child's resident size before the run (Node, the modules, an open connection). A child runs
 * its query once: module code runs unoptimised at first, which at 100,000 responses costs
 * analyseWave a few per cent it would not pay in a long-running server.
 *
 * The same then runs on PostgreSQL, each database against its own floors, and the figures are
 * printed side by side; bench/postgres-target.ts says which PostgreSQL. Without one (no
 * PostgreSQL programs installed), SQLite alone is measured. On PostgreSQL the floors' memory is
 * the server's, not the child's: only analyseWave's peak says something there.
 *
 *   npx tsx bench/analysis.ts [responses=100000] [--runs 5] [--only sqlite|postgres] [--previous]
 *
 * --previous also seeds last year's wave with as many raw answers, which analyseWave reads for
 * the year-on-year deltas (the floors do not): its time is then not comparable with theirs, its
 * peak memory is the point (last year must not be held in memory).
 *   BENCH_POSTGRES_URL=postgres://user@host/postgres npx tsx bench/analysis.ts [responses]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { criterionCodes, defaultQuestionnaire } from '../analysis/index.js';
import type { DatabaseTarget } from '../server/config.js';
import { migrateToLatest, openDatabase, type Db } from '../server/db/connect.js';
import { isSqlite } from '../server/db/dialect.js';
import { readTransaction } from '../server/db/unit-of-work.js';
import { replaceUnits, type Unit } from '../server/repositories/units.js';
import { createWave } from '../server/services/waves/waves.js';
import { analyseWave } from '../server/services/results/wave-results.js';
import { benchPostgresDatabase } from './postgres-target.js';

const UNITS = 28;
const YEAR = 2024;
const KINDS = ['floor', 'table', 'full'] as const;
type Kind = (typeof KINDS)[number];

const items = criterionCodes(defaultQuestionnaire);
const units: Unit[] = Array.from({ length: UNITS }, (_, i) => ({
  code: `U${String(i).padStart(2, '0')}`,
  name: `Đơn vị ${i}`,
  kind: i < 17 ? 'department' : 'district',
  predecessors: null,
}));

async function seed(db: Db, responses: number, previous: boolean): Promise<void> {
  await migrateToLatest(db);
  // With --previous, last year's wave first, with as many raw answers: analyseWave reads them for the deltas.
  const years = previous ? [YEAR - 1, YEAR] : [YEAR];
  for (const year of years) {
    await createWave(db, { year, actor: 'bench' });
    await replaceUnits(db, year, units);
  }
  const options = Object.fromEntries(defaultQuestionnaire.profile.map((p) => [p.code, p.options.map((o) => o.code)]));
  let state = 12345;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  const now = new Date().toISOString();
  // 12 values a row: SQLite allows 32,766 parameters per statement, PostgreSQL 65,535.
  const batch = isSqlite(db) ? 2500 : 5000;
  await db.transaction().execute(async (trx) => {
    for (let start = 1; start <= responses * years.length; start += batch) {
      const rows = [];
      for (let id = start; id < start + batch && id <= responses * years.length; id++) {
        const mood = random();
        const answers: Record<string, number | null> = {};
        for (const item of items) {
          const r = random();
          answers[item] = r < 0.05 ? null : r < 0.05 + 0.85 * (0.6 + 0.4 * mood) ? 4 + (r < 0.4 ? 1 : 0) : 1 + Math.floor(random() * 3);
        }
        rows.push({
          id,
          wave_year: years[Math.floor((id - 1) / responses)],
          questionnaire_id: null,
          unit_code: units[id % UNITS].code,
          channel: 'import' as const,
          state: 'counted' as const,
          profile: JSON.stringify({ gender: options.gender[Math.floor(random() * 2)], age_band: options.age_band[Math.floor(random() * 5)] }),
          // The same shape insertResponse writes; seeded in bulk because single inserts would dominate the run.
          answers_json: JSON.stringify(answers),
          comment: null,
          created_at: now,
          entered_by: 'bench',
          note: null,
        });
      }
      await trx.insertInto('responses').values(rows).execute();
    }
    // The reference layout, bench only: one row per answer, keyed like the platform's old table,
    // filled from the same JSON by the database itself (the key is added after the rows: faster).
    await sql`CREATE TABLE bench_answers (response_id integer NOT NULL, item_code text NOT NULL, value integer)`.execute(trx);
    await (isSqlite(trx)
      ? sql`INSERT INTO bench_answers SELECT r.id, a.key, a.value FROM responses r, json_each(r.answers_json) a`
      : sql`INSERT INTO bench_answers SELECT r.id, a.key, a.value::integer FROM responses r, jsonb_each_text(r.answers_json::jsonb) a`
    ).execute(trx);
    await sql`CREATE UNIQUE INDEX bench_answers_key ON bench_answers (response_id, item_code)`.execute(trx);
  });
  // A PostgreSQL server's autovacuum would do this soon after such a load; done now so that it
  // does not start in the middle of a measured run. SQLite's planner keeps its defaults, as on
  // the platform, which never runs ANALYZE.
  if (!isSqlite(db)) await sql`VACUUM ANALYZE`.execute(db);
}

async function floor(db: Db): Promise<number> {
  // The per-item read the platform's own SQL uses on each database (see the drop-answers-table migration).
  const answers = isSqlite(db) ? sql`json_each(r.answers_json)` : sql`jsonb_each_text(r.answers_json::jsonb)`;
  const { rows } = await sql<{ n: number }>`
    SELECT r.unit_code, a.key AS item_code, a.value, count(*) AS n
    FROM responses r, ${answers} a
    WHERE r.wave_year = ${YEAR} AND r.state IN ('counted', 'invalid')
    GROUP BY r.unit_code, a.key, a.value`.execute(db);
  return rows.length;
}

async function tableFloor(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    SELECT r.unit_code, a.item_code, a.value, count(*) AS n
    FROM bench_answers a JOIN responses r ON r.id = a.response_id
    WHERE r.wave_year = ${YEAR} AND r.state IN ('counted', 'invalid')
    GROUP BY r.unit_code, a.item_code, a.value`.execute(db);
  return rows.length;
}

async function full(db: Db): Promise<number> {
  const { results } = await readTransaction(db, (trx) => analyseWave(trx, YEAR));
  return results.units.length;
}

const measured: Record<Kind, (db: Db) => Promise<number>> = { floor, table: tableFloor, full };

interface Run {
  ms: number;
  /** Resident size before the run and the process's peak, MB. */
  rssBefore: number;
  peakRss: number;
  result: number;
}

/** In the child: one run of one kind, its time and memory as one line of JSON on stdout. */
async function child(kind: Kind, target: DatabaseTarget): Promise<void> {
  const db = openDatabase(target);
  try {
    await sql`SELECT 1`.execute(db);
    const rssBefore = process.memoryUsage().rss / 2 ** 20;
    const start = process.hrtime.bigint();
    const result = await measured[kind](db);
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const run: Run = { ms, rssBefore, peakRss: process.resourceUsage().maxRSS / 1024, result };
    process.stdout.write(`${JSON.stringify(run)}\n`);
  } finally {
    await db.destroy();
  }
}

function runChild(kind: Kind, target: DatabaseTarget): Promise<Run> {
  const script = fileURLToPath(import.meta.url);
  return new Promise((resolve, reject) => {
    // process.execArgv carries tsx's loader, so the child runs this TypeScript file the same way.
    const proc = spawn(process.execPath, [...process.execArgv, script, '--child', kind, JSON.stringify(target)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
    proc.on('error', reject);
    proc.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop()!) as Run) : reject(new Error(`${kind} run exited with ${code}`))));
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

type Figures = Record<Kind, { ms: number; peakRss: number; rssBefore: number }>;

const LABELS: Record<Kind, string> = {
  floor: 'floor (GROUP BY unit, item, value over the stored JSON answers)',
  table: 'floor (the same over a bench-only one-row-per-answer table)',
  full: 'analyseWave (read transaction: load + computeWaveResults)',
};

async function measure(label: string, target: DatabaseTarget, responses: number, runs: number, previous: boolean): Promise<Figures> {
  const db = openDatabase(target);
  try {
    const seedStart = Date.now();
    await seed(db, responses, previous);
    const lastYear = previous ? `, and as many for ${YEAR - 1} (last year's raw answers, read by analyseWave only)` : '';
    console.log(`${label}: seeded ${responses} responses × ${items.length} items over ${UNITS} units${lastYear} in ${Date.now() - seedStart} ms`);
  } finally {
    await db.destroy();
  }
  const byKind = Object.fromEntries(KINDS.map((k) => [k, [] as Run[]])) as Record<Kind, Run[]>;
  for (let i = 0; i < runs; i++) for (const kind of KINDS) byKind[kind].push(await runChild(kind, target));
  if (byKind.floor[0].result !== byKind.table[0].result) throw new Error(`${label}: the two floors disagree on the number of groups`);
  const figures = {} as Figures;
  for (const kind of KINDS) {
    const rs = byKind[kind];
    figures[kind] = { ms: median(rs.map((r) => r.ms)), peakRss: median(rs.map((r) => r.peakRss)), rssBefore: median(rs.map((r) => r.rssBefore)) };
    const list = rs.map((r) => `${r.ms.toFixed(0)} ms/${r.peakRss.toFixed(0)} MB`).join(', ');
    console.log(`${label}: ${LABELS[kind]}: median ${figures[kind].ms.toFixed(0)} ms, peak RSS ${figures[kind].peakRss.toFixed(0)} MB (${figures[kind].rssBefore.toFixed(0)} MB before)  [${list}]`);
  }
  console.log(`${label}: ratio analyseWave / floor: ${(figures.full.ms / figures.floor.ms).toFixed(2)} (stored answers), ${(figures.full.ms / figures.table.ms).toFixed(2)} (one-row-per-answer table)`);
  return figures;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args.splice(runsAt, 2)[1]) : 5;
  const onlyAt = args.indexOf('--only');
  const only = onlyAt >= 0 ? args.splice(onlyAt, 2)[1] : undefined;
  const previousAt = args.indexOf('--previous');
  const previous = previousAt >= 0 && args.splice(previousAt, 1).length > 0;
  const responses = Number(args[0] ?? 100_000);
  const results: [string, Figures][] = [];
  if (only !== 'postgres') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-bench-wave-results-'));
    try {
      results.push(['SQLite', await measure('SQLite', { kind: 'sqlite', file: path.join(dir, 'bench.db') }, responses, runs, previous)]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const postgres = only === 'sqlite' ? undefined : await benchPostgresDatabase();
  if (postgres) {
    try {
      results.push(['PostgreSQL', await measure('PostgreSQL', { kind: 'postgres', url: postgres.url }, responses, runs, previous)]);
    } finally {
      await postgres.close();
    }
  }
  console.log('');
  console.log(`side by side (${responses} responses; medians of ${runs} runs, each in its own process)`);
  console.log('database | floor, stored JSON | floor, answer table | analyseWave | analyseWave / floor JSON | / floor table | peak RSS MB: floor JSON, floor table, analyseWave (before the run)');
  for (const [label, r] of results) {
    const rss = KINDS.map((k) => r[k].peakRss.toFixed(0)).join(', ');
    console.log(
      `${label} | ${r.floor.ms.toFixed(0)} ms | ${r.table.ms.toFixed(0)} ms | ${r.full.ms.toFixed(0)} ms | ${(r.full.ms / r.floor.ms).toFixed(2)} | ${(r.full.ms / r.table.ms).toFixed(2)} | ${rss} (${r.full.rssBefore.toFixed(0)})`,
    );
  }
  if (results.length === 2) {
    const [[, s], [, p]] = results;
    console.log(`PostgreSQL / SQLite: analyseWave ${(p.full.ms / s.full.ms).toFixed(2)}, floor JSON ${(p.floor.ms / s.floor.ms).toFixed(2)}, floor table ${(p.table.ms / s.table.ms).toFixed(2)}`);
  }
}

if (process.argv[2] === '--child') await child(process.argv[3] as Kind, JSON.parse(process.argv[4]) as DatabaseTarget);
else await main();
