/**
 * The server's analysis path (what every results page and export pays): a wave of 100,000
 * responses over 28 units in the platform's own SQLite schema, `analyseWave` (read units,
 * settings, questionnaire, tracking and every response with its answers through Kysely, then
 * computeWaveResults), side by side with the floor measured in the same run: one SQLite
 * GROUP BY unit, item, value over the same answers. The answers are stored once, as JSON on the
 * response row, so the floor reads them with json_each; a second floor reads a one-row-per-answer
 * table that the bench alone builds (the platform keeps none since 2026-11-22T16-00), the
 * cheapest layout SQLite could group.
 *
 * The same then runs on PostgreSQL (jsonb_each_text instead of json_each), each database against
 * its own floors, and the figures are printed side by side; bench/postgres-target.ts says which
 * PostgreSQL. Without one (no PostgreSQL programs installed), SQLite alone is measured.
 *
 *   npx tsx bench/analysis.ts [responses]
 *   BENCH_POSTGRES_URL=postgres://user@host/postgres npx tsx bench/analysis.ts [responses]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { criterionCodes, defaultQuestionnaire } from '../analysis/index.js';
import { migrateToLatest, openDatabase, type Db } from '../server/db/connect.js';
import { isSqlite } from '../server/db/dialect.js';
import { replaceUnits, type Unit } from '../server/repositories/units.js';
import { createWave } from '../server/services/waves/waves.js';
import { analyseWave } from '../server/services/results/wave-results.js';
import { benchPostgresDatabase } from './postgres-target.js';

const RESPONSES = Number(process.argv[2] ?? 100_000);
const UNITS = 28;
const RUNS = 5;
const YEAR = 2024;

const items = criterionCodes(defaultQuestionnaire);
const units: Unit[] = Array.from({ length: UNITS }, (_, i) => ({
  code: `U${String(i).padStart(2, '0')}`,
  name: `Đơn vị ${i}`,
  kind: i < 17 ? 'department' : 'district',
  predecessors: null,
}));

/** The reference layout, bench only: one row per answer, keyed like the platform's old table. */
type BenchTables = {
  bench_answers: { response_id: number; item_code: string; value: number | null };
};

async function seed(db: Db): Promise<void> {
  await migrateToLatest(db);
  await sql`CREATE TABLE bench_answers (response_id integer NOT NULL REFERENCES responses (id), item_code text NOT NULL, value integer, PRIMARY KEY (response_id, item_code))`.execute(db);
  await createWave(db, { year: YEAR, actor: 'bench' });
  await replaceUnits(db, YEAR, units);
  const options = Object.fromEntries(defaultQuestionnaire.profile.map((p) => [p.code, p.options.map((o) => o.code)]));
  let state = 12345;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  const now = new Date().toISOString();
  const BATCH = 500;
  await db.transaction().execute(async (trx) => {
    for (let start = 1; start <= RESPONSES; start += BATCH) {
      const ids = Array.from({ length: Math.min(BATCH, RESPONSES - start + 1) }, (_, k) => start + k);
      const answersOf = new Map<number, Record<string, number | null>>();
      for (const id of ids) {
        const mood = random();
        const answers: Record<string, number | null> = {};
        for (const item of items) {
          const r = random();
          answers[item] = r < 0.05 ? null : r < 0.05 + 0.85 * (0.6 + 0.4 * mood) ? 4 + (r < 0.4 ? 1 : 0) : 1 + Math.floor(random() * 3);
        }
        answersOf.set(id, answers);
      }
      await trx
        .insertInto('responses')
        .values(
          ids.map((id) => ({
            id,
            wave_year: YEAR,
            questionnaire_id: null,
            unit_code: units[id % UNITS].code,
            channel: 'import' as const,
            state: 'counted' as const,
            profile: JSON.stringify({ gender: options.gender[Math.floor(random() * 2)], age_band: options.age_band[Math.floor(random() * 5)] }),
            // The same shape insertResponse writes; seeded in bulk because 100,000 single inserts would dominate the run.
            answers_json: JSON.stringify(answersOf.get(id)),
            comment: null,
            created_at: now,
            entered_by: 'bench',
            note: null,
          })),
        )
        .execute();
      const answers = ids.flatMap((id) => Object.entries(answersOf.get(id)!).map(([item_code, value]) => ({ response_id: id, item_code, value })));
      // SQLite allows 32,766 parameters per statement (PostgreSQL 65,535): 3 per answer.
      for (let k = 0; k < answers.length; k += 8000) await trx.withTables<BenchTables>().insertInto('bench_answers').values(answers.slice(k, k + 8000)).execute();
    }
  });
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
  const { results } = await analyseWave(db, YEAR);
  return results.units.length;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function time(f: () => Promise<number>): Promise<number> {
  const start = process.hrtime.bigint();
  await f();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

interface Figures {
  floor: number;
  tableFloor: number;
  full: number;
}

async function measure(label: string, db: Db): Promise<Figures> {
  const seedStart = Date.now();
  await seed(db);
  console.log(`${label}: seeded ${RESPONSES} responses × ${items.length} items over ${UNITS} units in ${Date.now() - seedStart} ms`);
  if ((await floor(db)) !== (await tableFloor(db))) throw new Error(`${label}: the two floors disagree on the number of groups`);
  await full(db);
  const floors: number[] = [];
  const tableFloors: number[] = [];
  const fulls: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    floors.push(await time(() => floor(db)));
    tableFloors.push(await time(() => tableFloor(db)));
    fulls.push(await time(() => full(db)));
  }
  const f = median(floors);
  const t = median(tableFloors);
  const a = median(fulls);
  const list = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(`${label}: floor (GROUP BY unit, item, value over the stored JSON answers): median ${f.toFixed(0)} ms  [${list(floors)}]`);
  console.log(`${label}: floor (the same over a bench-only one-row-per-answer table): median ${t.toFixed(0)} ms  [${list(tableFloors)}]`);
  console.log(`${label}: analyseWave (load through Kysely + compute): median ${a.toFixed(0)} ms  [${list(fulls)}]`);
  console.log(`${label}: ratio analyseWave / floor: ${(a / f).toFixed(2)} (stored answers), ${(a / t).toFixed(2)} (one-row-per-answer table)`);
  return { floor: f, tableFloor: t, full: a };
}

const results: [string, Figures][] = [];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-bench-wave-results-'));
const sqliteDb = openDatabase({ kind: 'sqlite', file: path.join(dir, 'bench.db') });
try {
  results.push(['SQLite', await measure('SQLite', sqliteDb)]);
} finally {
  await sqliteDb.destroy();
  fs.rmSync(dir, { recursive: true, force: true });
}
const postgres = await benchPostgresDatabase();
if (postgres) {
  const pgDb = openDatabase({ kind: 'postgres', url: postgres.url });
  try {
    results.push(['PostgreSQL', await measure('PostgreSQL', pgDb)]);
  } finally {
    await pgDb.destroy();
    await postgres.close();
  }
}
console.log('');
console.log(`side by side (medians of ${RUNS} runs, ms) | floor, stored JSON | floor, answer table | analyseWave | analyseWave / floor JSON | analyseWave / floor table`);
for (const [label, r] of results) {
  console.log(`${label} | ${r.floor.toFixed(0)} | ${r.tableFloor.toFixed(0)} | ${r.full.toFixed(0)} | ${(r.full / r.floor).toFixed(2)} | ${(r.full / r.tableFloor).toFixed(2)}`);
}
if (results.length === 2) {
  const [[, s], [, p]] = results;
  console.log(`PostgreSQL / SQLite: analyseWave ${(p.full / s.full).toFixed(2)}, floor JSON ${(p.floor / s.floor).toFixed(2)}, floor table ${(p.tableFloor / s.tableFloor).toFixed(2)}`);
}
