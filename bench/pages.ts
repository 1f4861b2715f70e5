/**
 * Pages of a big wave (issue 15): every staff page and download of a 120-unit wave with a
 * published draw of 10,000 questionnaires, requested through the real server, beside the same
 * pages of the 700-questionnaire 2023 demo wave measured in the same run.
 *
 *   npx tsx bench/pages.ts [repeats=5] [--reuse]
 *
 * `--reuse` keeps the seeded database in bench/out/ and starts from a copy of it next time
 * (seeding takes about a minute); delete bench/out/pages-seeded.db after changing the seeding.
 *
 * Set-up (timed, not part of the figures): a temporary SQLite file gets the 2023 demo wave and
 * its accounts (`seedDemoIfEmpty`), then the merged An Giang 2025 wave of the demo
 * (`seedDemo2025`) made bigger: five more communes (13 departments, 107 communes) and a
 * proportional draw of 10,000 (30–300 per unit, 10 % reserve) from its 300,000-dossier frame,
 * letters sent, about 70 % answered (a quarter by QR), some undeliverable or refused.
 * Then `server/main.ts` runs as a child process on that file, each role signs in through the
 * sign-in form, and the pages are requested one at a time: every GET route of
 * `test/support/access-table.ts` (every route the app serves, so a page added later is benched
 * too) with the query strings people use (later pages of lists, searches, filters, a unit's
 * mailing pack and its batches, the report, XLSX, CSVs), by each role that may open it. One
 * round warms up; then `repeats` rounds, each requesting the big wave's page and the small
 * wave's right after it, so the machine's load hits both alike.
 *
 * Printed per page: median and p95 time (from the request to the last byte of the body), the
 * body's size, the same page's median on the 2023 wave and the ratio; then the p95 over every
 * request of the big wave's pages, the largest page, and the verdict against 300 ms and 5 MB.
 * The sign-in page (`GET /dang-nhap`) is the floor: what any page costs over HTTP here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { migrateToLatest, openDatabase } from '../server/db/connect';
import type { Db, Role } from '../server/db/schema';
import { seedDemo2025, DEMO_2025_YEAR } from '../server/demo/seed-demo-2025';
import { DEMO_YEAR, seedDemoIfEmpty, type DemoAccount } from '../server/demo/seed-demo';
import { listMailingRecipients } from '../server/repositories/mailing';
import { PACK_BATCH_SIZE } from '../server/services/collection/mailing';
import { ACCESS } from '../test/support/access-table';
import { startServerProcess } from '../test/support/server-process';

const TARGET_MS = 300;
const TARGET_BYTES = 5 * 1024 * 1024;
const args = process.argv.slice(2);
const repeats = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const SEEDED = path.resolve(import.meta.dirname, 'out/pages-seeded');

/** Five communes beyond the merged province's 102, new this year: 120 units in all. */
const EXTRA_COMMUNES = ['31901', '31902', '31903', '31904', '31905']
  .map((code, i) => `${code},UBND xã Thử Nghiệm ${i + 1},commune,-\n`)
  .join('');
const BIG_DRAW = { kind: 'proportional' as const, total: 10_000, min: 30, max: 300 };

/** Routes measured but left out of the verdict, and why. */
const NOT_A_PAGE: Record<string, string> = {
  'GET /admin/backup': 'a copy of the whole database (every wave), downloaded once in a while',
};

/** What the query strings of a wave's pages are filled with, read from the database before the server starts. */
interface WaveFacts {
  year: number;
  department: string;
  commune: string;
  communeName: string;
  answeredToken: string;
  unansweredToken: string;
  answeredCode: string;
  unansweredCode: string;
  commitmentId: number;
  /** Batches of the whole wave's print pack, and of the department's. */
  waveBatches: number;
  departmentBatches: number;
}

async function factsOf(db: Db, year: number): Promise<WaveFacts> {
  const units = await db.selectFrom('units').select(['code', 'name', 'kind']).where('wave_year', '=', year).orderBy('code').execute();
  const questionnaires = await db
    .selectFrom('questionnaires')
    .select(['code', 'token', 'status', 'unit_code'])
    .where('wave_year', '=', year)
    .where('released', '=', 1)
    .orderBy('id')
    .execute();
  const answered = questionnaires.find((q) => q.status === 'answered-qr')!;
  const unanswered = questionnaires.find((q) => q.status === 'dispatched' || q.status === 'drawn')!;
  // The department and the commune with the most letters: the longest lists and packs of a unit.
  const letters = new Map<string, number>();
  for (const q of questionnaires) letters.set(q.unit_code, (letters.get(q.unit_code) ?? 0) + 1);
  const largest = (kind: string) => units.filter((u) => u.kind === kind).sort((a, b) => letters.get(b.code)! - letters.get(a.code)!)[0];
  const department = largest('department');
  const commune = largest('commune') ?? largest('district');
  const commitment = await db.selectFrom('draw_commitments').select('id').where('wave_year', '=', year).orderBy('id', 'desc').executeTakeFirstOrThrow();
  const batches = async (unitCode?: string) => Math.max(1, Math.ceil((await listMailingRecipients(db, year, { unitCode })).length / PACK_BATCH_SIZE));
  return {
    year,
    department: department.code,
    commune: commune.code,
    communeName: commune.name.replace(/^UBND (xã|phường|đặc khu|huyện|thành phố|thị xã) /i, ''),
    answeredToken: answered.token,
    unansweredToken: unanswered.token,
    answeredCode: answered.code,
    unansweredCode: unanswered.code,
    commitmentId: commitment.id,
    waveBatches: await batches(),
    departmentBatches: await batches(department.code),
  };
}

/**
 * The query strings requested for a route (after its path), as people use them; a route not
 * named here is requested bare. `#json` asks for JSON (Accept header).
 */
function variants(route: string, f: WaveFacts): string[] {
  const partialCode = f.unansweredCode.slice(0, 8);
  switch (route) {
    case 'GET /waves/:year/draw':
      return ['', '?page=2', '?page=60', `?q=${partialCode}`, `?unit=${f.commune}`, `?unit=${f.department}&page=2`];
    case 'GET /waves/:year/analysis':
      return ['', '?page=2', '?sort=index&dir=desc', '?kind=commune', `?q=${encodeURIComponent(f.communeName)}`];
    case 'GET /waves/:year/entry':
      return ['', `?code=${f.unansweredCode}`, `?code=${f.answeredCode}`];
    case 'GET /waves/:year/entry/lookup':
      return [`?code=${f.unansweredCode}`, `?code=${f.answeredCode}`];
    case 'GET /waves/:year/entry/mismatches':
      return ['', '?page=2'];
    case 'GET /waves/:year/tracking':
      return ['', '?page=2', '?kind=commune', `?q=${f.unansweredCode}`, `?q=${encodeURIComponent(f.communeName)}`, `?unit=${f.department}`, '#json'];
    case 'GET /waves/:year/mailing':
      return ['', '?page=2', `?q=${partialCode}`, `?unit=${f.department}`];
    case 'GET /waves/:year/mailing/manifest.csv':
      return ['', `?unit=${f.department}`, '?only=new', '?headers=vi'];
    case 'GET /waves/:year/mailing/print': {
      const middle = Math.ceil(f.waveBatches / 2);
      return ['', `?batch=${middle}`, `?batch=${f.waveBatches}`, `?unit=${f.department}`, `?unit=${f.department}&batch=${f.departmentBatches}`, `?unit=${f.commune}`, '?only=new'];
    }
    default:
      return [''];
  }
}

function fillPath(route: string, f: WaveFacts): string {
  const pathOf = route.split(' ')[1];
  return pathOf
    .replace(':year', String(f.year))
    .replace(':token', route.endsWith('/cam-on') ? f.answeredToken : f.unansweredToken)
    .replace(':code', f.department)
    .replace(':id', String(f.commitmentId))
    .replace(':name', 'entry.js');
}

interface Probe {
  /** The route with the big wave's query, as printed (the path's parameters left as they are named). */
  label: string;
  route: string;
  who: Role | null;
  /** The big wave's request, and the small wave's when the route is a wave's. */
  big: string;
  small: string | null;
}

function probes(big: WaveFacts, small: WaveFacts): Probe[] {
  const list: Probe[] = [];
  for (const [route, rule] of Object.entries(ACCESS)) {
    if (!route.startsWith('GET ')) continue;
    const ofWave = route.includes(':year') || route.includes(':token');
    const roles: (Role | null)[] = rule.who === 'everyone' ? [null] : rule.who;
    const bigVariants = variants(route, big);
    const smallVariants = variants(route, small);
    bigVariants.forEach((query, i) => {
      for (const who of roles) {
        list.push({
          label: route.slice(4) + query,
          route,
          who,
          big: fillPath(route, big) + query,
          small: ofWave ? fillPath(route, small) + smallVariants[i] : null,
        });
      }
    });
  }
  return list;
}

interface Sample {
  ms: number;
  bytes: number;
  status: number;
}

async function request(baseUrl: string, url: string, cookie: string | undefined): Promise<Sample> {
  const json = url.endsWith('#json');
  const headers: Record<string, string> = { ...(cookie ? { cookie } : {}), ...(json ? { accept: 'application/json' } : {}) };
  const started = performance.now();
  const response = await fetch(baseUrl + url.replace('#json', ''), { headers, redirect: 'manual' });
  const body = await response.arrayBuffer();
  return { ms: performance.now() - started, bytes: body.byteLength, status: response.status };
}

async function signIn(baseUrl: string, username: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/dang-nhap`, {
    method: 'POST',
    body: new URLSearchParams({ username, password, next: '/' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  const cookie = response.headers.get('set-cookie');
  if (response.status !== 303 || !cookie) throw new Error(`sign-in of ${username} failed: ${response.status}`);
  return cookie.split(';')[0];
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(bytes < 10_240 ? 1 : 0)} KB`;

/** The 2023 demo wave and its accounts, then the big wave; returns the accounts with their passwords. */
async function seed(db: Db, dir: string): Promise<DemoAccount[]> {
  let t0 = performance.now();
  const { accounts } = await seedDemoIfEmpty(db, dir);
  console.log(`2023 demo wave seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  t0 = performance.now();
  await seedDemo2025(db, dir, { extraUnitsCsv: EXTRA_COMMUNES, allocation: BIG_DRAW });
  console.log(`big 2025 wave seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return accounts;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-pages-'));
  const file = path.join(dir, 'sipas.db');
  try {
    const reuse = args.includes('--reuse') && fs.existsSync(`${SEEDED}.db`);
    if (reuse) {
      fs.copyFileSync(`${SEEDED}.db`, file);
      console.log(`seeded database copied from ${SEEDED}.db`);
    }
    const db = openDatabase({ kind: 'sqlite', file });
    await migrateToLatest(db);
    const accounts = reuse ? (JSON.parse(fs.readFileSync(`${SEEDED}.json`, 'utf8')) as DemoAccount[]) : await seed(db, dir);
    if (args.includes('--reuse') && !reuse) {
      await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(db);
      fs.mkdirSync(path.dirname(SEEDED), { recursive: true });
      fs.copyFileSync(file, `${SEEDED}.db`);
      fs.writeFileSync(`${SEEDED}.json`, JSON.stringify(accounts));
    }
    const big = await factsOf(db, DEMO_2025_YEAR);
    const small = await factsOf(db, DEMO_YEAR);
    const counts = await db
      .selectFrom('questionnaires')
      .select(({ fn }) => ['wave_year', fn.countAll<number>().as('n')])
      .groupBy('wave_year')
      .execute();
    const responses = await db.selectFrom('responses').select(({ fn }) => ['wave_year', fn.countAll<number>().as('n')]).groupBy('wave_year').execute();
    const units = await db.selectFrom('units').select(({ fn }) => ['wave_year', fn.countAll<number>().as('n')]).groupBy('wave_year').execute();
    for (const year of [DEMO_YEAR, DEMO_2025_YEAR]) {
      const n = (rows: { wave_year: number; n: number }[]) => Number(rows.find((r) => r.wave_year === year)?.n ?? 0);
      console.log(`wave ${year}: ${n(units)} units, ${n(counts)} questionnaires (primaries and reserves), ${n(responses)} responses`);
    }
    await db.destroy();

    const server = await startServerProcess(file);
    try {
      const cookies = new Map<Role, string>();
      for (const account of accounts) cookies.set(account.role, await signIn(server.url, account.username, account.password));
      const list = probes(big, small);
      const samples = new Map<Probe, { big: Sample[]; small: Sample[] }>(list.map((p) => [p, { big: [], small: [] }]));
      console.log(`${list.length} requests a round (routes × query strings × roles), 1 warm-up round + ${repeats}`);
      for (let round = 0; round <= repeats; round++) {
        for (const probe of list) {
          const cookie = probe.who ? cookies.get(probe.who) : undefined;
          const b = await request(server.url, probe.big, cookie);
          const s = probe.small ? await request(server.url, probe.small, cookie) : null;
          if (round === 0) continue;
          samples.get(probe)!.big.push(b);
          if (s) samples.get(probe)!.small.push(s);
        }
      }
      report(list, samples);
    } finally {
      await server.kill();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function report(list: Probe[], samples: Map<Probe, { big: Sample[]; small: Sample[] }>): void {
  // One line per page (route and query), the roles pooled.
  const pages = new Map<string, { route: string; roles: string[]; big: Sample[]; small: Sample[] }>();
  for (const probe of list) {
    const page = pages.get(probe.label) ?? { route: probe.route, roles: [], big: [], small: [] };
    page.roles.push(probe.who ?? 'anyone');
    page.big.push(...samples.get(probe)!.big);
    page.small.push(...samples.get(probe)!.small);
    pages.set(probe.label, page);
  }
  const floor = quantile(pages.get('/dang-nhap')!.big.map((s) => s.ms), 0.5);
  console.log(`\nfloor: GET /dang-nhap median ${floor.toFixed(1)} ms\n`);
  console.log('| page | roles | status | median ms | p95 ms | size | 2023 median ms | big / 2023 | median / floor |');
  console.log('|---|---|---|---:|---:|---:|---:|---:|---:|');
  const counted: number[] = [];
  // The results pages are computed from every answer of the wave (issue 15's first target); the
  // others read lists and counts: their p95 is printed apart too.
  const results: number[] = [];
  const others: number[] = [];
  let largest = { label: '', bytes: 0 };
  const slow: string[] = [];
  const bad: string[] = [];
  for (const [label, page] of pages) {
    const times = page.big.map((s) => s.ms);
    const median = quantile(times, 0.5);
    const p95 = quantile(times, 0.95);
    const bytes = Math.max(...page.big.map((s) => s.bytes));
    const statuses = [...new Set(page.big.map((s) => s.status))].join('/');
    const smallMedian = page.small.length > 0 ? quantile(page.small.map((s) => s.ms), 0.5) : null;
    const excluded = NOT_A_PAGE[page.route];
    if (!excluded) {
      counted.push(...times);
      (page.route.includes('/analysis') ? results : others).push(...times);
      if (bytes > largest.bytes) largest = { label, bytes };
      if (p95 > TARGET_MS) slow.push(`${label} (p95 ${p95.toFixed(0)} ms)`);
      if (bytes > TARGET_BYTES) slow.push(`${label} (${kb(bytes)})`);
      if (page.big.some((s) => s.status >= 400)) bad.push(`${label}: ${statuses}`);
    }
    console.log(
      `| ${label}${excluded ? ` (not counted: ${excluded})` : ''} | ${[...new Set(page.roles)].join(', ')} | ${statuses} | ${median.toFixed(1)} | ${p95.toFixed(1)} | ${kb(bytes)} | ${smallMedian === null ? '—' : smallMedian.toFixed(1)} | ${smallMedian === null ? '—' : (median / smallMedian).toFixed(2)} | ${(median / floor).toFixed(1)} |`,
    );
  }
  const overall = quantile(counted, 0.95);
  console.log(`\n${pages.size} pages, ${counted.length} timed requests of the big wave's pages`);
  console.log(`p95 over all of them: ${overall.toFixed(1)} ms (target ≤ ${TARGET_MS} ms): ${overall <= TARGET_MS ? 'met' : 'NOT met'}`);
  console.log(`p95 of the results pages (/analysis…): ${quantile(results, 0.95).toFixed(1)} ms; of every other page: ${quantile(others, 0.95).toFixed(1)} ms`);
  console.log(`largest page: ${largest.label}, ${kb(largest.bytes)} (target ≤ ${kb(TARGET_BYTES)}): ${largest.bytes <= TARGET_BYTES ? 'met' : 'NOT met'}`);
  console.log(slow.length === 0 ? 'every page within both targets' : `pages over a target:\n  ${slow.join('\n  ')}`);
  if (bad.length > 0) console.log(`refused requests (a page of this list should answer):\n  ${bad.join('\n  ')}`);
}

await main();
