import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppDeps, type AppDeps } from '../server/app-env';
import { loadConfig } from '../server/config';
import { migrateToLatest, openDatabase } from '../server/db/connect';
import { withStartLock } from '../server/db/dialect';
import { seedDemoIfEmpty } from '../server/demo/seed-demo';
import { insertUser } from '../server/repositories/users';
import { writeTransaction } from '../server/db/unit-of-work';
import { closeWave, purgePersonalData } from '../server/services/waves/wave-lifecycle';
import { createWave, importUnits } from '../server/services/waves/waves';
import { commitTwoDaysAgo } from './support/committed-draw';
import { pageAfterDraw } from './support/followed-draw';
import { storedChunks, storedUploads } from './support/stored-uploads';
import { startLiveServer } from './support/live-server';
import { createTestDatabase, onPostgresInEveryRun } from './support/postgres-cluster';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { signInSession, type StaffSession } from './support/test-deps';

/**
 * Several stateless instances over one PostgreSQL database, as behind a load balancer: two
 * real HTTP servers on two ports, each with its own AppDeps and connection pool. PostgreSQL by
 * nature: in the SQLite run it starts its own throwaway cluster (postgres-cluster.ts), so it
 * never passes by skipping.
 */
onPostgresInEveryRun();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-two-'));

afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** Each instance has a data folder of its own, as on separate machines: they share only the database. */
function instanceDeps(url: string): AppDeps {
  const folder = fs.mkdtempSync(path.join(dataDir, 'instance-'));
  const config = loadConfig({ DATABASE_URL: url, DATA_DIR: folder, PORT: '0' }, folder);
  return createAppDeps({ db: openDatabase(config.database), config });
}

type LiveServer = Awaited<ReturnType<typeof startLiveServer>>;

/** For the tests of a describe block: two instances serving one fresh database, handed to `use` once started. */
function runTwoInstances(use: (a: AppDeps, b: AppDeps, servers: LiveServer[]) => void): void {
  let database: { url: string; drop: () => Promise<void> } | undefined;
  let instances: AppDeps[] = [];
  let servers: LiveServer[] = [];
  beforeAll(async () => {
    database = await createTestDatabase();
    instances = [instanceDeps(database.url), instanceDeps(database.url)];
    await migrateToLatest(instances[0].db);
    servers = [await startLiveServer(instances[0]), await startLiveServer(instances[1])];
    use(instances[0], instances[1], servers);
  }, 60_000);
  afterAll(async () => {
    for (const server of servers) await server.close();
    for (const instance of instances) await instance.db.destroy();
    await database?.drop();
  });
}

const CRITERIA = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'];

function qrForm(): URLSearchParams {
  const body = new URLSearchParams();
  for (const code of CRITERIA) body.set(code, '4');
  body.set('comment', 'Trả lời qua mã QR');
  return body;
}

/** A keyed paper form as the entry page posts it (see test/entry.test.ts). */
function paperForm(code: string): URLSearchParams {
  const body = new URLSearchParams({ code, opened_at: new Date(Date.now() - 40_000).toISOString(), corrections: '0' });
  CRITERIA.forEach((c, i) => body.set(c, String((i % 5) + 1)));
  body.set('gender', '2');
  body.set('age_band', '3');
  body.append('priorities', '1');
  body.set('comment', 'Phiếu giấy');
  return body;
}

const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('two server instances sharing one PostgreSQL database', () => {
  let a: AppDeps;
  let b: AppDeps;
  let servers: LiveServer[] = [];
  runTwoInstances((...started) => ([a, b, servers] = started));

  it('counts exactly one response when a QR answer (instance A) and a paper entry (instance B) for one questionnaire arrive together, 50 times', async () => {
    const { questionnaires } = await createPublishedWave(a.db, { perUnit: 17, reserves: 0 });
    const clerk: StaffSession = await signInSession(b, 'clerk', 'buudien.b');
    const [onA, onB] = servers.map((s) => s.url);
    const targets: PublishedQuestionnaire[] = questionnaires.slice(0, 50);
    expect(targets).toHaveLength(50);
    const statuses: number[] = [];
    for (const q of targets) {
      const [qr, paper] = await Promise.all([
        fetch(`${onA}/q/${q.token}`, { method: 'POST', body: qrForm(), headers: form, redirect: 'manual' }),
        fetch(`${onB}/waves/2023/entry/forms`, { method: 'POST', body: paperForm(q.code), headers: { ...form, ...clerk, accept: 'application/json' } }),
      ]);
      statuses.push(qr.status, paper.status);
      await Promise.all([qr.arrayBuffer(), paper.arrayBuffer()]);
    }
    // Either order is right (the other one is kept for review); an error or a deadlock is not.
    expect(statuses.filter((s) => s >= 400)).toEqual([]);
    const rows = await a.db
      .selectFrom('responses')
      .select(['questionnaire_id', 'state', 'channel'])
      .where(
        'questionnaire_id',
        'in',
        targets.map((q) => q.id),
      )
      .execute();
    for (const q of targets) {
      const mine = rows.filter((r) => r.questionnaire_id === q.id);
      expect(mine.filter((r) => r.state === 'counted'), q.code).toHaveLength(1);
      expect(mine.map((r) => r.channel).sort(), q.code).toEqual(['paper', 'qr']);
      expect(mine.map((r) => r.state).sort(), q.code).toEqual(['counted', 'review']);
    }
  });

  it('holds the sign-in limit across instances: 10 wrong passwords spread over A and B, then the 11th attempt is refused on either', async () => {
    await insertUser(a.db, { username: 'phantich.ab', role: 'analyst', password: 'mat-khau-dung-123' });
    const attempt = (server: string, password: string) =>
      fetch(`${server}/dang-nhap`, { method: 'POST', body: new URLSearchParams({ username: 'phantich.ab', password, next: '/' }), headers: form, redirect: 'manual' });
    for (let i = 0; i < 10; i++) expect((await attempt(servers[i % 2].url, `sai-${i}`)).status).toBe(401);
    for (const server of servers) expect((await attempt(server.url, 'mat-khau-dung-123')).status).toBe(429);
  });
});

describe('a frame imported through one instance and drawn through the other', () => {
  let a: AppDeps;
  let b: AppDeps;
  let servers: LiveServer[] = [];
  runTwoInstances((...started) => ([a, b, servers] = started));

  const DEMO = path.resolve(import.meta.dirname, '../server/demo');
  const frame = fs.readFileSync(path.join(DEMO, 'frame-2023-sample.csv'));
  const upload = (fields: Record<string, string> = {}) => {
    const body = new FormData();
    for (const [name, value] of Object.entries(fields)) body.append(name, value);
    body.append('file', new Blob([frame], { type: 'text/csv' }), 'khung.csv');
    return body;
  };
  /** Every uploaded file either instance still holds, in its data folder or in the database. */
  const uploads = async () => [...(await storedUploads(a.db, a.config.dataDir)), ...(await storedUploads(b.db, b.config.dataDir)).filter((f) => !f.startsWith('database:'))];

  it('keeps the frame in the database: B draws and verifies what A received, publish deletes it, purge leaves no chunk', async () => {
    // Both waves read the same 2023 file, so both take its period.
    for (const year of [2023, 2024]) {
      await createWave(a.db, { year, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'test' });
      await importUnits(a.db, year, fs.readFileSync(path.join(DEMO, 'units-2023.csv')), 'test');
    }
    const onA = await signInSession(a, 'admin', 'quantri.a');
    const onB = await signInSession(b, 'admin', 'quantri.b');
    const [urlA, urlB] = servers.map((s) => s.url);

    const imported = await fetch(`${urlA}/waves/2023/frame`, { method: 'POST', headers: { ...onA }, body: upload() });
    expect(imported.status).toBe(200);
    expect(await imported.text()).toContain('Đã nhập khung mẫu khung.csv: 2.988 dòng hợp lệ');
    // The frame and the draw index its import wrote, both in the database.
    const stored = await uploads();
    expect(stored).toHaveLength(2);
    for (const reference of stored) expect(reference).toMatch(/^database:\d+$/);

    await commitTwoDaysAgo(b.db, 2023, { allocation: { kind: 'fixed', perUnit: 5 }, reservePercent: 20 });
    const drawn = await fetch(`${urlB}/waves/2023/draw`, { method: 'POST', headers: { ...onB, ...form }, body: new URLSearchParams({ seed: '123456' }), redirect: 'manual' });
    // Followed through the other instance: the draw's progress and end are in the database.
    expect(await pageAfterDraw(drawn, (path) => fetch(`${urlA}${path}`, { headers: { cookie: onA.cookie } }))).toContain('Đã bốc mẫu (bản nháp số');
    const verified = await fetch(`${urlB}/waves/2023/draw/verify`, { method: 'POST', headers: { ...onB }, body: upload() });
    expect(verified.status).toBe(200);
    expect(await verified.text()).toContain('Giống hệt');
    // The copy uploaded for the verification is gone; the frame waits for publication.
    expect(await uploads()).toEqual(stored);

    const draw = await a.db.selectFrom('draws').select('id').where('status', '=', 'draft').executeTakeFirstOrThrow();
    const published = await fetch(`${urlA}/waves/2023/draw/publish`, { method: 'POST', headers: { ...onA, ...form }, body: new URLSearchParams({ drawId: String(draw.id), confirm: '1' }) });
    expect(published.status).toBe(200);
    expect(await uploads()).toEqual([]);
    expect(await storedChunks(a.db)).toBe(0);

    // A frame that never got its draw: imported through B, purged through A with its wave.
    expect((await fetch(`${urlB}/waves/2024/frame`, { method: 'POST', headers: { ...onB }, body: upload() })).status).toBe(200);
    expect(await uploads()).toHaveLength(2);
    expect(await storedChunks(a.db)).toBeGreaterThan(0);
    await writeTransaction(a.db, (trx) => closeWave(trx, 2024, 'test'));
    const purged = await writeTransaction(a.db, (trx, afterCommit) => purgePersonalData(trx, afterCommit, 2024, a.config.dataDir, 'test'));
    expect(purged.frameFilesDeleted).toBe(2);
    expect(await uploads()).toEqual([]);
    expect(await storedChunks(a.db)).toBe(0);
  }, 120_000);
});

describe('instances starting together on one fresh PostgreSQL database', () => {
  it('migrate and seed the demo once: the start lock makes them take turns', async () => {
    const database = await createTestDatabase();
    const [one, two] = [instanceDeps(database.url), instanceDeps(database.url)];
    try {
      const start = (deps: AppDeps) =>
        withStartLock(deps.db, async () => {
          await migrateToLatest(deps.db);
          return seedDemoIfEmpty(deps.db, dataDir);
        });
      const outcomes = await Promise.all([start(one), start(two)]);
      expect(outcomes.map((o) => o.seeded).sort()).toEqual([false, true]);
      expect((await one.db.selectFrom('waves').select('year').execute()).map((w) => w.year)).toEqual([2023]);
      expect((await one.db.selectFrom('users').select('username').orderBy('username').execute()).map((u) => u.username)).toEqual(['admin', 'analyst', 'buudien', 'supervisor']);
    } finally {
      await one.db.destroy();
      await two.db.destroy();
      await database.drop();
    }
  }, 120_000);
});
