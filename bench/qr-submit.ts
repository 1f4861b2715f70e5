/**
 * QR submission speed (issue 4): the real server answering POST /q/<token> with a real SQLite
 * file (WAL, synchronous=FULL) holding a published wave of 40,000 questionnaires, side by side
 * in the same run with a bare Hono server whose POST endpoint only parses the same form body.
 *
 *   npx tsx bench/qr-submit.ts [connections=16] [seconds=5]
 *
 * Three processes: this one (set-up, orchestration, final count), the server under test, and
 * the load generator (node:http with keep-alive, a fixed number of concurrent connections,
 * each posting one valid submission for a fresh token after the other, bounded by a token
 * budget and a time limit). Runs alternate bare/real, five of each; medians are reported, and
 * the median of the ratios of each SIPAS run to the bare run just before it.
 * At the end the real server is killed with SIGKILL and the database is reopened: every
 * acknowledged submission (303) must be there as a counted response.
 *
 * All of this runs on SQLite, then again on PostgreSQL (the server with DATABASE_URL=postgres://…;
 * bench/postgres-target.ts says which PostgreSQL, or why none), against the same bare server,
 * and the two databases' figures are printed side by side at the end.
 *
 *   BENCH_POSTGRES_URL=postgres://user@host/postgres npx tsx bench/qr-submit.ts [connections] [seconds]
 *
 * With --two-instances, on PostgreSQL only (several instances on one database is a PostgreSQL
 * deployment; SQLite serves one machine): one server process against two on the same database,
 * on different ports, the load generator sending its requests to them in turn (round-robin),
 * the same connections and budget either way; rounds alternate one/two, five of each, then both
 * sets of servers are killed with SIGKILL and every acknowledged submission must be counted.
 *
 *   npx tsx bench/qr-submit.ts --two-instances [connections=16] [seconds=5]
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../test/support/server-process';
import { benchPostgresDatabase, onEachDatabase, type BenchServerEnv as Env } from './postgres-target';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const RUNS = 5;
const WAVE_SIZE = 40_000;
const WARM_UP = 1500;

// The same body for both servers: 16 answers, profile items and a comment, as the form posts it.
function formBody(): string {
  const body = new URLSearchParams();
  ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'].forEach((code, i) => body.set(code, String((i % 5) + 1)));
  body.set('procedure_channel', 'truc_tiep');
  body.set('gender', 'nu');
  body.set('age_band', '35-49');
  body.append('priorities', 'cong_khai');
  body.append('priorities', 'thai_do');
  body.set('comment', 'Cán bộ hướng dẫn tận tình, nhưng chỗ ngồi chờ còn thiếu.');
  return body.toString();
}

// ---------------------------------------------------------------- bare server (child process)

async function bareServer(port: number): Promise<void> {
  const { Hono } = await import('hono');
  const { serve } = await import('@hono/node-server');
  const app = new Hono()
    .get('/healthz', (c) => c.json({ ok: true }))
    .post('/q/:token', async (c) => {
      await c.req.parseBody({ all: true });
      return c.redirect(`/q/${c.req.param('token')}/cam-on`, 303);
    });
  serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
}

// ---------------------------------------------------------------- load generator (child process)

/** What the load generator prints (results-while-collecting.ts runs it too). */
export interface LoadResult {
  sent: number;
  acknowledged: string[];
  errors: number;
  elapsedMs: number;
  latenciesMs: number[];
}

/**
 * `baseUrls`: one server, or several (comma-separated) that take the requests in turn.
 *
 * Closed loop (`rate` 0): `connections` clients, each posting the next token as soon as its last
 * one is answered, as fast as the server goes. Open loop (`rate` > 0): one submission every
 * 1/`rate` s on a fixed schedule, whatever the server does (citizens do not wait for each other),
 * over at most `connections` sockets; a submission's latency runs from its scheduled time, so time
 * spent queued behind a slow server counts (no coordinated omission).
 */
async function loadGenerator(baseUrls: string, tokensFile: string, connections: number, seconds: number, rate = 0): Promise<void> {
  const tokens = fs.readFileSync(tokensFile, 'utf8').split('\n').filter(Boolean);
  const body = formBody();
  const servers = baseUrls.split(',').map((u) => ({ url: new URL(u), agent: new http.Agent({ keepAlive: true, maxSockets: connections }) }));
  const result: LoadResult = { sent: 0, acknowledged: [], errors: 0, elapsedMs: 0, latenciesMs: [] };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  let next = 0;
  const post = (token: string, { url, agent }: (typeof servers)[number]) =>
    new Promise<number>((resolve) => {
      const request = http.request(
        { host: url.hostname, port: url.port, path: `/q/${token}`, method: 'POST', agent, headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) } },
        (response) => {
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        },
      );
      request.on('error', () => resolve(0));
      request.end(body);
    });
  const submit = async (index: number, since: number) => {
    const status = await post(tokens[index], servers[index % servers.length]);
    result.latenciesMs.push(performance.now() - since);
    result.sent++;
    if (status === 303 || (status >= 200 && status < 300)) result.acknowledged.push(tokens[index]);
    else result.errors++;
  };
  if (rate > 0) {
    const pending: Promise<void>[] = [];
    while (next < tokens.length) {
      const due = started + (next * 1000) / rate;
      if (due >= deadline) break;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      // Sent up to 1 ms early (timer granularity): its latency then counts from the send.
      pending.push(submit(next++, Math.min(due, performance.now())));
    }
    await Promise.all(pending);
  } else {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < tokens.length && performance.now() < deadline) {
          const index = next++;
          await submit(index, performance.now());
        }
      }),
    );
  }
  result.elapsedMs = performance.now() - started;
  for (const { agent } of servers) agent.destroy();
  process.stdout.write(JSON.stringify(result));
}

// ---------------------------------------------------------------- orchestration

function tsx(args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
}

async function waitUntilUp(baseUrl: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if ((await fetch(`${baseUrl}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server at ${baseUrl} did not start`);
}

async function runLoad(baseUrls: string | string[], tokens: string[], connections: number, seconds: number, dir: string): Promise<LoadResult> {
  const file = path.join(dir, `tokens-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  fs.writeFileSync(file, tokens.join('\n'));
  const child = tsx([fileURLToPath(import.meta.url), '--load', [baseUrls].flat().join(','), file, String(connections), String(seconds)]);
  let out = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return JSON.parse(out) as LoadResult;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

interface RunFigures {
  rps: number;
  p50: number;
  p99: number;
  sent: number;
  errors: number;
}

function figures(result: LoadResult): RunFigures {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return { rps: result.acknowledged.length / (result.elapsedMs / 1000), p50: percentile(sorted, 50), p99: percentile(sorted, 99), sent: result.sent, errors: result.errors };
}

interface Medians {
  rps: number;
  p50: number;
  p99: number;
}

interface DatabaseFigures {
  bare: Medians;
  real: Medians;
  pairRatio: number;
  acknowledged: number;
  missing: number;
}

/** A published wave of WAVE_SIZE questionnaires in the database `env` names: its tokens, fresh for submissions. */
async function seedWave(label: string, env: Env, dir: string): Promise<string[]> {
  console.log(`${label}: tạo đợt khảo sát với ${WAVE_SIZE} phiếu đã phát hành …`);
  const { loadConfig } = await import('../server/config');
  const { migrateToLatest, openDatabase } = await import('../server/db/connect');
  const { createPublishedWave } = await import('../test/support/published-wave');
  const db = openDatabase(loadConfig(env, dir).database);
  await migrateToLatest(db);
  const units = Array.from({ length: 20 }, (_, i) => ({ code: `U${String(i).padStart(2, '0')}`, name: `Đơn vị ${i}`, kind: 'department' as const, predecessors: null }));
  const wave = await createPublishedWave(db, { units, perUnit: WAVE_SIZE / units.length, reserves: 0 });
  await db.destroy();
  return wave.questionnaires.map((q) => q.token);
}

/** The platform's own server (server/main.ts) on a free port of the loopback, once it answers. */
async function startServer(env: Env): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const server = tsx([path.join(root, 'server/main.ts')], { ...env, PORT: String(port), HOST: '127.0.0.1' });
  server.stdout!.resume();
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url);
  return { url, process: server };
}

/**
 * Kills the servers without warning right after their last reply (acknowledged must mean
 * durable), reopens the database and says how many acknowledged submissions are not counted.
 */
async function killAndCheck(label: string, servers: ChildProcess[], env: Env, dir: string, acknowledged: string[]): Promise<number> {
  const exited = servers.map((server) => new Promise((r) => server.on('exit', r)));
  for (const server of servers) server.kill('SIGKILL');
  await Promise.all(exited);
  const { loadConfig } = await import('../server/config');
  const { openDatabase } = await import('../server/db/connect');
  const check = openDatabase(loadConfig(env, dir).database);
  const stored = new Set<string>();
  const rows = await check
    .selectFrom('responses')
    .innerJoin('questionnaires', 'questionnaires.id', 'responses.questionnaire_id')
    .select('questionnaires.token')
    .where('responses.state', '=', 'counted')
    .execute();
  for (const r of rows) stored.add(r.token);
  await check.destroy();
  const missing = acknowledged.filter((t) => !stored.has(t)).length;
  console.log(`${label}: đã xác nhận (303): ${acknowledged.length}; có trong cơ sở dữ liệu sau SIGKILL: ${acknowledged.length - missing}; mất: ${missing}; tổng số phiếu được tính trong CSDL: ${stored.size}`);
  return missing;
}

function medians(runs: RunFigures[]): Medians {
  return { rps: median(runs.map((f) => f.rps)), p50: median(runs.map((f) => f.p50)), p99: median(runs.map((f) => f.p99)) };
}

function printMedians(label: string, name: string, m: Medians): void {
  console.log(`${label}: trung vị ${RUNS} lượt | ${name}: ${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(2)} ms, p99 ${m.p99.toFixed(2)} ms`);
}

/**
 * Alternated rounds against two targets (the baseline first, then the one measured), RUNS of
 * each, each round posting the tokens its `tokens` gives; the submissions acknowledged by a
 * target that `stores` them are added to `acknowledged`. Each measured run is compared with the baseline run just before it, so a change in the
 * machine's load between runs moves both; the median of those ratios is the figure.
 */
async function alternate(
  label: string,
  rounds: { name: string; urls: string | string[]; tokens: (n: number) => string[]; stores: boolean }[],
  budget: number,
  connections: number,
  seconds: number,
  dir: string,
  acknowledged: string[],
): Promise<{ baseline: Medians; measured: Medians; pairRatio: number }> {
  const runs: RunFigures[][] = rounds.map(() => []);
  console.log(`${label}: ${connections} kết nối đồng thời, tối đa ${seconds} s hoặc ${budget} phiếu mỗi lượt, Node ${process.version}, ${os.cpus().length} lõi, tải hệ thống ${os.loadavg()[0].toFixed(2)}`);
  console.log('lượt | máy chủ | req/s | p50 ms | p99 ms | gửi | lỗi | tỉ lệ lượt');
  for (let run = 1; run <= RUNS; run++) {
    for (const [i, round] of rounds.entries()) {
      const result = await runLoad(round.urls, round.tokens(budget), connections, seconds, dir);
      if (round.stores) acknowledged.push(...result.acknowledged);
      const f = figures(result);
      runs[i].push(f);
      console.log(`${run} | ${round.name} | ${f.rps.toFixed(0)} | ${f.p50.toFixed(2)} | ${f.p99.toFixed(2)} | ${f.sent} | ${f.errors} | ${i === 0 ? '' : (f.rps / runs[0][run - 1].rps).toFixed(2)}`);
    }
  }
  const [baseline, measured] = runs.map(medians);
  printMedians(label, rounds[0].name, baseline);
  printMedians(label, rounds[1].name, measured);
  return { baseline, measured, pairRatio: median(runs[1].map((f, i) => f.rps / runs[0][i].rps)) };
}

/**
 * One database's runs: a published wave in it, the real server on it, runs alternated with the
 * bare server (already listening at bareUrl), then the SIGKILL check.
 */
async function measure(label: string, env: Env, bareUrl: string, connections: number, seconds: number, dir: string): Promise<DatabaseFigures> {
  const tokens = await seedWave(label, env, dir);
  const real = await startServer(env);
  let nextToken = 0;
  const take = (n: number) => tokens.slice(nextToken, (nextToken += n));
  const acknowledged: string[] = [];
  acknowledged.push(...(await runLoad(real.url, take(WARM_UP), connections, seconds, dir)).acknowledged);
  await runLoad(bareUrl, tokens.slice(0, WARM_UP), connections, seconds, dir);

  const budget = Math.floor((tokens.length - nextToken) / RUNS);
  const rounds = [
    // The bare server stores nothing: it may post the same tokens each round.
    { name: 'bare', urls: bareUrl, tokens: (n: number) => tokens.slice(0, n), stores: false },
    { name: `SIPAS ${label}`, urls: real.url, tokens: take, stores: true },
  ];
  const { baseline, measured, pairRatio } = await alternate(label, rounds, budget, connections, seconds, dir, acknowledged);
  console.log(`${label}: tỉ lệ SIPAS / bare: trung vị các cặp ${pairRatio.toFixed(2)}, tỉ lệ hai trung vị ${(measured.rps / baseline.rps).toFixed(2)} (mục tiêu ≥ 0,5; p99 < 25 ms: ${measured.p99 < 25 ? 'đạt' : 'chưa đạt'})`);
  const missing = await killAndCheck(label, [real.process], env, dir, acknowledged);
  console.log('');
  return { bare: baseline, real: measured, pairRatio, acknowledged: acknowledged.length, missing };
}

/**
 * PostgreSQL only: one server process against two on the same database, rounds alternated, the
 * load split over the two in turn; then every server is killed and the submissions checked.
 */
async function measureInstances(connections: number, seconds: number): Promise<void> {
  const postgres = await benchPostgresDatabase();
  if (!postgres) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-bench-qr2-'));
  const env = { DATABASE_URL: postgres.url, DATA_DIR: dir };
  const label = 'PostgreSQL';
  try {
    const tokens = await seedWave(label, env, dir);
    // Started together, as behind a load balancer: the advisory lock makes them migrate in turn.
    // One-instance rounds go to the first alone while the second idles.
    const [a, b] = await Promise.all([startServer(env), startServer(env)]);
    let nextToken = 0;
    const take = (n: number) => tokens.slice(nextToken, (nextToken += n));
    const acknowledged: string[] = [];
    for (const urls of [a.url, [a.url, b.url]]) acknowledged.push(...(await runLoad(urls, take(WARM_UP), connections, seconds, dir)).acknowledged);

    const budget = Math.floor((tokens.length - nextToken) / (2 * RUNS));
    const rounds = [
      { name: '1 máy chủ', urls: a.url, tokens: take, stores: true },
      { name: '2 máy chủ', urls: [a.url, b.url], tokens: take, stores: true },
    ];
    const { baseline, measured, pairRatio } = await alternate(label, rounds, budget, connections, seconds, dir, acknowledged);
    const missing = await killAndCheck(label, [a.process, b.process], env, dir, acknowledged);
    console.log('');
    console.log(`${label} (trung vị ${RUNS} lượt) | req/s | p50 ms | p99 ms | 2 máy chủ / 1 (trung vị các cặp) | xác nhận | mất`);
    console.log(`1 máy chủ | ${baseline.rps.toFixed(0)} | ${baseline.p50.toFixed(2)} | ${baseline.p99.toFixed(2)} | | ${acknowledged.length} | ${missing}`);
    console.log(`2 máy chủ | ${measured.rps.toFixed(0)} | ${measured.p50.toFixed(2)} | ${measured.p99.toFixed(2)} | ${pairRatio.toFixed(2)} | |`);
    if (missing > 0) process.exitCode = 1;
  } finally {
    await postgres.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const connections = Number(process.argv[2] ?? 16);
  const seconds = Number(process.argv[3] ?? 5);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-bench-qr-'));
  const barePort = await freePort();
  const bare = tsx([fileURLToPath(import.meta.url), '--bare', String(barePort)]);
  bare.stdout!.resume();
  const bareUrl = `http://127.0.0.1:${barePort}`;
  await waitUntilUp(bareUrl);

  let results: [string, DatabaseFigures][];
  try {
    results = await onEachDatabase(dir, (label, env) => measure(label, env, bareUrl, connections, seconds, dir));
  } finally {
    bare.kill('SIGTERM');
    fs.rmSync(dir, { recursive: true, force: true });
  }

  console.log(`cạnh nhau (trung vị ${RUNS} lượt) | bare req/s | SIPAS req/s | p50 ms | p99 ms | SIPAS / bare (trung vị các cặp) | xác nhận | mất`);
  for (const [label, f] of results) {
    console.log(`${label} | ${f.bare.rps.toFixed(0)} | ${f.real.rps.toFixed(0)} | ${f.real.p50.toFixed(2)} | ${f.real.p99.toFixed(2)} | ${f.pairRatio.toFixed(2)} | ${f.acknowledged} | ${f.missing}`);
  }
  if (results.length === 2) console.log(`PostgreSQL / SQLite (tỉ lệ các cặp với bare): ${(results[1][1].pairRatio / results[0][1].pairRatio).toFixed(2)}`);
  if (results.some(([, f]) => f.missing > 0)) process.exitCode = 1;
}

const [mode, ...args] = process.argv.slice(2);
if (mode === '--bare') await bareServer(Number(args[0]));
else if (mode === '--load') await loadGenerator(args[0], args[1], Number(args[2]), Number(args[3]), Number(args[4] ?? 0));
else if (mode === '--two-instances') await measureInstances(Number(args[0] ?? 16), Number(args[1] ?? 5));
else await main();
