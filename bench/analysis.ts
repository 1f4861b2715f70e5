/**
 * Analysis speed (issue 5): a wave of 100,000 responses over 28 units in SQLite, all SIPAS
 * tables computed, side by side with the floor — one GROUP BY over the same answers.
 *
 *   npx tsx bench/analysis.ts [responses]
 *
 * The floor only counts answers per unit, item and value; the full run must also keep every
 * respondent (the jackknife needs respondent-level data), so it cannot be a GROUP BY.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  computeWaveResults,
  criterionCodes,
  defaultAnalysisSettings,
  defaultQuestionnaire,
  personTables,
  type AnalysisUnit,
  type ResponseChannel,
  type ResponseRecord,
} from '../analysis/index.js';

const RESPONSES = Number(process.argv[2] ?? 100_000);
const UNITS = 28;
const RUNS = 5;
const PROFILE_ITEMS = ['procedure_channel', 'gender', 'age_band', 'education', 'occupation', 'ethnicity'] as const;

const dir = mkdtempSync(join(tmpdir(), 'sipas-bench-analysis-'));
const db = new Database(join(dir, 'bench.db'));
db.pragma('journal_mode = WAL');

const items = criterionCodes(defaultQuestionnaire);
const units: AnalysisUnit[] = Array.from({ length: UNITS }, (_, i) => ({
  code: `U${String(i).padStart(2, '0')}`,
  name: `Đơn vị ${i}`,
  kind: i < 17 ? 'department' : 'district',
  predecessors: null,
  frameSize: 20_000,
}));

function seed(): void {
  db.exec(`
    CREATE TABLE responses (
      id INTEGER PRIMARY KEY, unit_code TEXT NOT NULL, channel TEXT NOT NULL,
      ${PROFILE_ITEMS.map((p) => `${p} TEXT`).join(', ')}, priorities TEXT
    );
    CREATE TABLE answers (
      response_id INTEGER NOT NULL, item_code TEXT NOT NULL, value INTEGER,
      PRIMARY KEY (response_id, item_code)
    ) WITHOUT ROWID;
  `);
  const options = Object.fromEntries(
    defaultQuestionnaire.profile.map((p) => [p.code, p.options.map((o) => o.code)]),
  ) as Record<string, string[]>;
  const insertResponse = db.prepare(
    `INSERT INTO responses VALUES (?, ?, ?, ${PROFILE_ITEMS.map(() => '?').join(', ')}, ?)`,
  );
  const insertAnswer = db.prepare('INSERT INTO answers VALUES (?, ?, ?)');
  let state = 12345;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296);
  db.transaction(() => {
    for (let id = 1; id <= RESPONSES; id++) {
      const mood = random();
      insertResponse.run(
        id,
        units[id % UNITS].code,
        random() < 0.15 ? 'qr' : 'paper',
        ...PROFILE_ITEMS.map((p) => options[p][Math.floor(random() * options[p].length)]),
        JSON.stringify(options.priorities.filter(() => random() < 0.2).slice(0, 3)),
      );
      for (const item of items) {
        const r = random();
        insertAnswer.run(id, item, r < 0.05 ? null : r < 0.05 + 0.85 * (0.6 + 0.4 * mood) ? 4 + (r < 0.4 ? 1 : 0) : 1 + Math.floor(random() * 3));
      }
    }
  })();
}

function floor(): number {
  const rows = db
    .prepare(
      `SELECT r.unit_code, a.item_code, a.value, count(*)
       FROM answers a JOIN responses r ON r.id = a.response_id
       GROUP BY r.unit_code, a.item_code, a.value`,
    )
    .raw()
    .all();
  return rows.length;
}

function full(): number {
  const responses: ResponseRecord[] = [];
  const profileColumns = PROFILE_ITEMS.length;
  // SQLite assembles each respondent's answers as one JSON object, so 100,000 rows cross into
  // JavaScript instead of 1.6 million, and JSON.parse builds the answers object natively.
  const rows = db
    .prepare(
      `SELECT r.unit_code, r.channel, ${PROFILE_ITEMS.map((p) => `r.${p}`).join(', ')}, r.priorities,
              (SELECT json_group_object(a.item_code, a.value) FROM answers a WHERE a.response_id = r.id)
       FROM responses r`,
    )
    .raw()
    .iterate() as IterableIterator<(string | null)[]>;
  for (const row of rows) {
    const profile: ResponseRecord['profile'] = {};
    for (let p = 0; p < profileColumns; p++) profile[PROFILE_ITEMS[p]] = row[2 + p];
    const priorities = row[2 + profileColumns];
    profile.priorities = priorities === null ? null : JSON.parse(priorities);
    responses.push({
      unitCode: row[0]!,
      channel: row[1] as ResponseChannel,
      answers: JSON.parse(row[3 + profileColumns]!),
      profile,
    });
  }
  const results = computeWaveResults({
    year: 2024,
    questionnaire: defaultQuestionnaire,
    units,
    responses,
    previous: null,
    settings: defaultAnalysisSettings,
  });
  return personTables(results).length + results.units.length;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(f: () => number): number {
  const start = process.hrtime.bigint();
  f();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

try {
  const seedStart = Date.now();
  seed();
  console.log(`seeded ${RESPONSES} responses × ${items.length} items over ${UNITS} units in ${Date.now() - seedStart} ms`);
  floor();
  full();
  const floors: number[] = [];
  const fulls: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    floors.push(time(floor));
    fulls.push(time(full));
  }
  const f = median(floors);
  const a = median(fulls);
  console.log(`floor (SQLite GROUP BY unit, item, value): median ${f.toFixed(0)} ms  [${floors.map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`full  (load + computeWaveResults + tables): median ${a.toFixed(0)} ms  [${fulls.map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`ratio full / floor: ${(a / f).toFixed(2)} (target ≤ 1.50)`);
} finally {
  db.close();
  rmSync(dir, { recursive: true, force: true });
}
