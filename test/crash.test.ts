import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../server/config';
import { migrateToLatest, openDatabase } from '../server/db/connect';
import { insertUser } from '../server/repositories/users';
import { CRITERIA, keyedAnswers, qrAnswers } from './support/personal-data';
import { createTestDatabase } from './support/postgres-cluster';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { startServerProcess, type ServerProcess } from './support/server-process';
import { seededRandom } from '../sampling/test-support';

/**
 * The real server as its own process on a real SQLite file (or, in the PostgreSQL run, a real
 * PostgreSQL database: the server process dies, the database does not, so what is tested there
 * is that nothing is acknowledged before its commit), taking citizens' QR submissions and
 * clerks' paper forms at the same time, killed with SIGKILL at seeded moments and started again
 * on the same database. Whatever was acknowledged (303 for QR, 200 for a keyed form) must be
 * there afterwards, counted exactly once with the answers sent; whatever was not must be either
 * wholly there or not at all. The verdict does not depend on speed: each kill waits for the
 * round's first acknowledgement, so every round has something to lose, however slow the machine.
 */

const SEED = 0x5eed10;
const KILLS = 3;
const PER_ROUND = 24;
const QR_WORKERS = 4;
const CLERKS = ['buudien-a', 'buudien-b'];
const PASSWORD = 'crash-test-password-1';

interface Attempt {
  q: PublishedQuestionnaire;
  channel: 'qr' | 'paper';
  acknowledged: boolean;
}

/** The answers a questionnaire is sent with, different per questionnaire so a mix-up shows. */
const sentAnswers = (q: PublishedQuestionnaire) => Object.fromEntries(CRITERIA.map((c, i) => [c, ((i + q.id) % 5) + 1]));

/** Signs a clerk in over HTTP and reads the session's form token from the entry page, as the browser would. */
async function signInOver(url: string, username: string): Promise<Record<string, string>> {
  const response = await fetch(`${url}/dang-nhap`, {
    method: 'POST',
    body: new URLSearchParams({ username, password: PASSWORD, next: '/' }),
    redirect: 'manual',
  });
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (response.status !== 303 || !cookie) throw new Error(`sign-in of ${username} failed: ${response.status}`);
  const page = await (await fetch(`${url}/waves/2023/entry`, { headers: { cookie } })).text();
  const token = /name="_token" value="([^"]+)"/.exec(page)?.[1];
  if (!token) throw new Error('the entry page carries no form token');
  return { cookie, 'x-sipas-token': token };
}

/** Sends one submission; true only when the server acknowledged it. A killed server throws, which is "not acknowledged". */
async function submit(url: string, attempt: Attempt, session: Record<string, string>): Promise<boolean> {
  try {
    if (attempt.channel === 'qr') {
      const response = await fetch(`${url}/q/${attempt.q.token}`, { method: 'POST', body: qrAnswers(attempt.q.id), redirect: 'manual' });
      await response.arrayBuffer();
      return response.status === 303;
    }
    const response = await fetch(`${url}/waves/2023/entry/forms`, {
      method: 'POST',
      body: keyedAnswers(attempt.q.code, attempt.q.id),
      headers: { ...session, accept: 'application/json' },
    });
    const body = (await response.json()) as { outcome?: { kind: string; state?: string } };
    return response.status === 200 && body.outcome?.kind === 'recorded' && body.outcome.state === 'counted';
  } catch {
    return false;
  }
}

describe('crash test: SIGKILL under concurrent QR and paper submissions', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-crash-'));
  let database = path.join(dir, 'sipas.db');
  let dropPostgres: (() => Promise<void>) | undefined;
  let server: ServerProcess | null = null;
  const open = () => openDatabase(loadConfig({ DATABASE_URL: database, DATA_DIR: dir }, dir).database);
  beforeAll(async () => {
    if (process.env.SIPAS_TEST_DB !== 'postgres') return;
    const postgres = await createTestDatabase();
    database = postgres.url;
    dropPostgres = postgres.drop;
  });
  afterAll(async () => {
    await server?.kill();
    await dropPostgres?.();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every acknowledged answer exactly once and writes nothing by halves', { timeout: 120_000 }, async () => {
    const db = open();
    await migrateToLatest(db);
    const rounds = KILLS + 1;
    const { questionnaires } = await createPublishedWave(db, { perUnit: (rounds * PER_ROUND) / 3, reserves: 0 });
    for (const username of CLERKS) await insertUser(db, { username, role: 'clerk', password: PASSWORD });
    await db.destroy();

    const next = seededRandom(SEED);
    const attempts: Attempt[] = questionnaires.map((q) => ({ q, channel: next() < 0.6 ? 'qr' : 'paper', acknowledged: false }));
    for (let round = 0; round < rounds; round++) {
      server = await startServerProcess(database, { DATA_DIR: dir });
      const { url } = server;
      const sessions = await Promise.all(CLERKS.map((clerk) => signInOver(url, clerk)));
      const batch = attempts.slice(round * PER_ROUND, (round + 1) * PER_ROUND);
      const queues = { qr: batch.filter((a) => a.channel === 'qr'), paper: batch.filter((a) => a.channel === 'paper') };
      let firstAck!: () => void;
      const acknowledged = new Promise<void>((resolve) => (firstAck = resolve));
      // A worker stops at its first failure: the server is gone, and what it was sending stays unacknowledged.
      const worker = async (queue: Attempt[], session: Record<string, string>) => {
        for (let attempt = queue.shift(); attempt; attempt = queue.shift()) {
          attempt.acknowledged = await submit(url, attempt, session);
          if (!attempt.acknowledged) return;
          firstAck();
        }
      };
      const workers = Promise.all([
        ...Array.from({ length: QR_WORKERS }, () => worker(queues.qr, {})),
        ...sessions.map((session) => worker(queues.paper, session)),
      ]);
      if (round < KILLS) {
        await Promise.race([acknowledged, workers]);
        await new Promise((r) => setTimeout(r, Math.floor(next() * 120)));
        await server.kill();
        await workers;
      } else {
        // The last round runs to the end, then the power goes too.
        await workers;
        await server.kill();
      }
    }

    // The database as the next start finds it (opening an SQLite file replays the WAL, as a restart would).
    const check = open();
    try {
      if (!dropPostgres) {
        const { rows: integrity } = await sql<{ integrity_check: string }>`PRAGMA integrity_check`.execute(check);
        expect(integrity).toEqual([{ integrity_check: 'ok' }]);
      }
      const responses = await check.selectFrom('responses').selectAll().execute();
      const keyings = await check.selectFrom('paper_keyings').selectAll().execute();
      const rows = await check.selectFrom('questionnaires').select(['id', 'status']).execute();
      const statusOf = new Map(rows.map((r) => [r.id, r.status]));
      const problems: string[] = [];
      let acked = 0;
      let unackedKept = 0;
      for (const { q, channel, acknowledged } of attempts) {
        const mine = responses.filter((r) => r.questionnaire_id === q.id);
        const keyed = keyings.filter((k) => k.questionnaire_id === q.id);
        if (acknowledged) acked++;
        if (mine.length === 0) {
          if (acknowledged) problems.push(`${q.code} (${channel}) acknowledged but missing`);
          if (keyed.length > 0) problems.push(`${q.code}: a paper keying without its response`);
          if (statusOf.get(q.id) !== 'drawn') problems.push(`${q.code}: status ${statusOf.get(q.id)} without a response`);
          continue;
        }
        if (!acknowledged) unackedKept++;
        const [response] = mine;
        if (mine.length > 1) problems.push(`${q.code}: ${mine.length} responses`);
        if (response.state !== 'counted') problems.push(`${q.code}: response ${response.state}, not counted`);
        if (response.channel !== channel) problems.push(`${q.code}: stored as ${response.channel}, sent as ${channel}`);
        if (!isDeepStrictEqual(JSON.parse(response.answers_json), sentAnswers(q))) problems.push(`${q.code}: answers ${response.answers_json} differ from those sent`);
        const expectedStatus = channel === 'qr' ? 'answered-qr' : 'returned-paper';
        if (statusOf.get(q.id) !== expectedStatus) problems.push(`${q.code}: status ${statusOf.get(q.id)}, expected ${expectedStatus}`);
        if (channel === 'paper' && (keyed.length !== 1 || keyed[0].response_id !== response.id)) problems.push(`${q.code}: ${keyed.length} keyings for one recorded form`);
      }
      expect(problems).toEqual([]);
      // Every round acknowledged something before its kill, so the check above had answers to lose.
      expect(acked).toBeGreaterThanOrEqual(rounds);
      expect(responses.length).toBe(acked + unackedKept);
      // With no kill, the server took every submission: a refusal there would be a bug, not a crash.
      expect(attempts.slice(KILLS * PER_ROUND).filter((a) => !a.acknowledged).map((a) => a.q.code)).toEqual([]);
    } finally {
      await check.destroy();
    }
  });
});
