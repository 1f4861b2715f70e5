/**
 * Issue #15, "results never block submissions": the real server (server/main.ts, a child
 * process) with a wave of 100,000 responses and 28 units, citizens' QR submissions driven by
 * bench/qr-submit.ts's load generator (its own process: 16 keep-alive connections, one fresh
 * token after the other).
 *
 * - Phase A: QR submissions alone (throughput, p50, p99). Phase B: the same while `analysts`
 *   clients each loop over the dashboard, units.json, units-vi.csv, tables.xlsx and report.html.
 *   Rounds alternate A/B, five of each; medians, and the median of each B round's throughput over
 *   the A round just before it. While submissions arrive every open follows a change, so the
 *   results are computed again and again (in the worker thread): the worst case for the server.
 * - The dashboard with nothing changed since the last computation: 30 opens in a row, p50, beside
 *   the floor (GET /dang-nhap, the cheapest page) and the first open after a change (a
 *   computation) measured in the same run.
 * - Fresh after a change: the sum of respondents in units.json before and after one QR
 *   submission (must be one more), and the dashboard's "Số liệu tính lúc" must have moved.
 *
 * The wave's responses are loaded through the platform's own CSV import (responses import),
 * its questionnaires through test/support/published-wave.ts as bench/qr-submit.ts does. On
 * SQLite, then on PostgreSQL (bench/postgres-target.ts) unless --sqlite-only.
 *
 *   nice -n 5 npx tsx bench/results-while-collecting.ts [analysts=2] [seconds=5] [responses=100000] [--sqlite-only] [--rate=N]
 *
 * By default the QR load is a closed loop (16 connections as fast as the server answers: on
 * 2 cores that saturates the machine, so any CPU a computation takes comes off the submissions).
 * With --rate=N it is an open loop: N submissions a second on a fixed schedule, latency counted
 * from each one's scheduled time (bench/qr-submit.ts's load generator), the way citizens arrive.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { criterionCodes, defaultQuestionnaire } from '../analysis/index.js';
import { loadConfig } from '../server/config.js';
import { migrateToLatest, openDatabase } from '../server/db/connect.js';
import { writeTransaction } from '../server/db/unit-of-work.js';
import { insertUser } from '../server/repositories/users.js';
import { importResponses } from '../server/services/collection/responses-import.js';
import { createPublishedWave } from '../test/support/published-wave.js';
import { startServerProcess } from '../test/support/server-process.js';
import type { LoadResult } from './qr-submit.js';
import { onEachDatabase, type BenchServerEnv as Env } from './postgres-target.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const YEAR = 2025;
const UNITS = 28;
const QUESTIONNAIRES = 28 * 1000;
const RUNS = 5;
const CONNECTIONS = 16;
/** Open loop (--rate): sockets enough that a slow answer queues the next submissions only when the server is really behind. */
const OPEN_LOOP_SOCKETS = 64;
const WARM_UP = 1000;
const DOWNLOADS = ['', '/units.json', '/units-vi.csv', '/tables.xlsx', '/report.html'];
const ANALYST = { username: 'analyst-bench', password: 'bench-password-123' };

interface Round {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

const median = (values: number[]) => quantile(values, 0.5);

function roundOf(result: LoadResult): Round {
  return { rps: result.acknowledged.length / (result.elapsedMs / 1000), p50: median(result.latenciesMs), p99: quantile(result.latenciesMs, 0.99), errors: result.errors };
}

/** `count` anonymous paper answers spread over the units, as the CSV import reads them; seeded. */
function responsesCsv(units: string[], count: number): Uint8Array {
  const items = criterionCodes(defaultQuestionnaire);
  let state = 20251;
  const random = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 4294967296;
  const lines = [['unit_code', 'channel', ...items.map((c) => c.toLowerCase())].join(',')];
  for (let i = 0; i < count; i++) {
    const lean = random();
    lines.push([units[i % units.length], 'paper', ...items.map(() => (random() < 0.04 ? '' : String(Math.min(5, 1 + Math.floor(random() * 3 + lean * 2.5)))))].join(','));
  }
  return new TextEncoder().encode(lines.join('\n'));
}

/** The wave, its 100,000 answers and an analyst account in the database `env` names; returns the QR tokens. */
async function seed(label: string, env: Env, dir: string, responses: number): Promise<string[]> {
  const started = performance.now();
  const db = openDatabase(loadConfig(env, dir).database);
  await migrateToLatest(db);
  const units = Array.from({ length: UNITS }, (_, i) => ({ code: `U${String(i).padStart(2, '0')}`, name: `Đơn vị ${i}`, kind: i < 17 ? ('department' as const) : ('district' as const), predecessors: null }));
  const wave = await createPublishedWave(db, { year: YEAR, units, perUnit: QUESTIONNAIRES / UNITS, reserves: 0 });
  const csv = responsesCsv(
    units.map((u) => u.code),
    responses,
  );
  await writeTransaction(db, (trx) => importResponses(trx, YEAR, csv, 'bench'));
  await insertUser(db, { ...ANALYST, role: 'analyst' });
  await db.destroy();
  console.log(`${label}: đợt ${YEAR}: ${responses} phiếu (nhập CSV), ${QUESTIONNAIRES} phiếu QR đã phát hành, ${UNITS} đơn vị; chuẩn bị ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return wave.questionnaires.map((q) => q.token);
}

/** bench/qr-submit.ts's load generator, in its own process, over `tokens`. */
async function qrLoad(url: string, tokens: string[], seconds: number, dir: string, rate = 0): Promise<LoadResult> {
  const file = path.join(dir, `tokens-${Date.now()}.txt`);
  fs.writeFileSync(file, tokens.join('\n'));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/qr-submit.ts'), '--load', url, file, String(rate > 0 ? OPEN_LOOP_SOCKETS : CONNECTIONS), String(seconds), String(rate)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return JSON.parse(out) as LoadResult;
}

async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/dang-nhap`, {
    method: 'POST',
    body: new URLSearchParams({ ...ANALYST, next: '/' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    redirect: 'manual',
  });
  const cookie = response.headers.get('set-cookie');
  if (response.status !== 303 || !cookie) throw new Error(`analyst sign-in failed: ${response.status}`);
  return cookie.split(';')[0];
}

/** One analyst's open of a results address, to the body's last byte; throws unless 200. */
async function open(url: string, cookie: string, download: string): Promise<{ ms: number; body: string }> {
  const t0 = performance.now();
  const response = await fetch(`${url}/waves/${YEAR}/analysis${download}`, { headers: { cookie } });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET analysis${download}: ${response.status}`);
  return { ms: performance.now() - t0, body };
}

/** `analysts` clients each looping over the dashboard and the downloads until `until` settles. */
async function analystsLoop(url: string, cookie: string, analysts: number, until: Promise<unknown>): Promise<Map<string, number[]>> {
  let done = false;
  void until.finally(() => (done = true));
  const times = new Map<string, number[]>(DOWNLOADS.map((d) => [d, []]));
  await Promise.all(
    Array.from({ length: analysts }, async (_, a) => {
      for (let i = a; !done; i++) {
        const download = DOWNLOADS[i % DOWNLOADS.length];
        times.get(download)!.push((await open(url, cookie, download)).ms);
      }
    }),
  );
  return times;
}

const respondents = async (url: string, cookie: string) =>
  ((JSON.parse((await open(url, cookie, '/units.json')).body) as { units: { respondents: number }[] }).units).reduce((sum, u) => sum + u.respondents, 0);
const computedAt = (html: string) => /Số liệu tính lúc ([^<,]+)/.exec(html)?.[1] ?? null;

interface Figures {
  alone: Round;
  withAnalysts: Round;
  pairRatio: number;
  analystOpens: number;
  unchangedP50: number;
  floorP50: number;
  afterChangeMs: number;
  fresh: boolean;
}

async function measure(label: string, env: Env, dir: string, analysts: number, seconds: number, responses: number, rate: number): Promise<Figures> {
  const tokens = await seed(label, env, dir, responses);
  let next = 0;
  const take = (n: number) => tokens.slice(next, (next += n));
  const server = await startServerProcess(env.DATABASE_URL, env);
  try {
    const cookie = await signIn(server.url);
    // Warm-up: the worker thread starts, the modules are compiled, the connections opened.
    await qrLoad(server.url, take(WARM_UP), seconds, dir);
    for (const download of DOWNLOADS) await open(server.url, cookie, download);

    const budget = Math.floor((tokens.length - next - 10) / (2 * RUNS));
    const alone: Round[] = [];
    const withAnalysts: Round[] = [];
    let analystOpens = 0;
    const opened = new Map<string, number[]>(DOWNLOADS.map((d) => [d, []]));
    const loadShape = rate > 0 ? `QR đều ${rate} phiếu/s (vòng hở, tối đa ${OPEN_LOOP_SOCKETS} kết nối)` : `${CONNECTIONS} kết nối QR liên tục`;
    console.log(`${label}: ${loadShape}, ${analysts} người phân tích, tối đa ${seconds} s hoặc ${budget} phiếu mỗi lượt, Node ${process.version}, ${os.cpus().length} lõi, tải ${os.loadavg()[0].toFixed(2)}`);
    console.log('lượt | pha | QR req/s | p50 ms | p99 ms | lỗi | B / A | lượt mở của người phân tích');
    for (let run = 1; run <= RUNS; run++) {
      const a = roundOf(await qrLoad(server.url, take(budget), seconds, dir, rate));
      alone.push(a);
      console.log(`${run} | A: chỉ QR | ${a.rps.toFixed(0)} | ${a.p50.toFixed(2)} | ${a.p99.toFixed(2)} | ${a.errors} | |`);
      const load = qrLoad(server.url, take(budget), seconds, dir, rate);
      const [result, times] = await Promise.all([load, analystsLoop(server.url, cookie, analysts, load)]);
      const b = roundOf(result);
      withAnalysts.push(b);
      const opens = [...times.values()].reduce((n, t) => n + t.length, 0);
      analystOpens += opens;
      for (const [download, t] of times) opened.get(download)!.push(...t);
      console.log(`${run} | B: QR + phân tích | ${b.rps.toFixed(0)} | ${b.p50.toFixed(2)} | ${b.p99.toFixed(2)} | ${b.errors} | ${(b.rps / a.rps).toFixed(2)} | ${opens}`);
    }
    const openMedian = (d: string) => (opened.get(d)!.length > 0 ? `${median(opened.get(d)!).toFixed(0)} ms` : 'chưa mở lần nào');
    console.log(`${label}: thời gian mở trong pha B (trung vị): ${DOWNLOADS.map((d) => `${d || 'bảng điều khiển'} ${openMedian(d)}`).join(', ')}`);

    // Nothing changes from here on but the one submission below.
    await open(server.url, cookie, '');
    const unchanged: number[] = [];
    const floor: number[] = [];
    for (let i = 0; i < 30; i++) {
      unchanged.push((await open(server.url, cookie, '')).ms);
      const t0 = performance.now();
      await (await fetch(`${server.url}/dang-nhap`)).text();
      floor.push(performance.now() - t0);
    }
    const before = await respondents(server.url, cookie);
    const shownBefore = computedAt((await open(server.url, cookie, '')).body);
    await new Promise((r) => setTimeout(r, 1100)); // the time shown has whole seconds
    const one = await qrLoad(server.url, take(1), seconds, dir);
    const afterChange = await open(server.url, cookie, '');
    const after = await respondents(server.url, cookie);
    const fresh = one.acknowledged.length === 1 && after === before + 1 && computedAt(afterChange.body) !== shownBefore;
    console.log(`${label}: sau 1 phiếu QR: số người trả lời ${before} → ${after}; "Số liệu tính lúc" ${shownBefore} → ${computedAt(afterChange.body)}: ${fresh ? 'mới' : 'CŨ'}`);
    return {
      alone: medians(alone),
      withAnalysts: medians(withAnalysts),
      pairRatio: median(withAnalysts.map((b, i) => b.rps / alone[i].rps)),
      analystOpens,
      unchangedP50: median(unchanged),
      floorP50: median(floor),
      afterChangeMs: afterChange.ms,
      fresh,
    };
  } finally {
    await server.kill();
  }
}

function medians(rounds: Round[]): Round {
  return { rps: median(rounds.map((r) => r.rps)), p50: median(rounds.map((r) => r.p50)), p99: median(rounds.map((r) => r.p99)), errors: rounds.reduce((n, r) => n + r.errors, 0) };
}

function report(label: string, f: Figures): void {
  const verdict = (ok: boolean) => (ok ? 'đạt' : 'CHƯA ĐẠT');
  console.log(`\n${label} (trung vị ${RUNS} lượt) | QR req/s | p50 ms | p99 ms | lỗi`);
  console.log(`A: chỉ QR | ${f.alone.rps.toFixed(0)} | ${f.alone.p50.toFixed(2)} | ${f.alone.p99.toFixed(2)} | ${f.alone.errors}`);
  console.log(`B: QR + ${f.analystOpens} lượt mở kết quả | ${f.withAnalysts.rps.toFixed(0)} | ${f.withAnalysts.p50.toFixed(2)} | ${f.withAnalysts.p99.toFixed(2)} | ${f.withAnalysts.errors}`);
  console.log(`${label}: mục tiêu p99 QR ≤ 25 ms khi có người phân tích: ${f.withAnalysts.p99.toFixed(2)} ms — ${verdict(f.withAnalysts.p99 <= 25)}`);
  console.log(`${label}: mục tiêu QR ≥ 0,9× khi không có người phân tích: B / A trung vị các cặp ${f.pairRatio.toFixed(2)} — ${verdict(f.pairRatio >= 0.9)}`);
  console.log(
    `${label}: mục tiêu bảng điều khiển ≤ 50 ms (p50) khi không có gì thay đổi: ${f.unchangedP50.toFixed(1)} ms (trang đăng nhập ${f.floorP50.toFixed(1)} ms; lần mở đầu tiên sau một thay đổi, có tính lại: ${f.afterChangeMs.toFixed(0)} ms) — ${verdict(f.unchangedP50 <= 50)}`,
  );
  console.log(`${label}: mục tiêu số liệu mới ngay sau một thay đổi: ${verdict(f.fresh)}`);
}

async function main(): Promise<void> {
  const [analysts = 2, seconds = 5, responses = 100_000] = process.argv
    .slice(2)
    .filter((a) => !a.startsWith('--'))
    .map(Number);
  const rate = Number(process.argv.find((a) => a.startsWith('--rate='))?.slice('--rate='.length) ?? 0);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-bench-results-'));
  let results: [string, Figures][];
  try {
    results = await onEachDatabase(dir, (label, env) => measure(label, env, dir, analysts, seconds, responses, rate), { sqliteOnly: process.argv.includes('--sqlite-only') });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const [label, f] of results) report(label, f);
}

await main();
