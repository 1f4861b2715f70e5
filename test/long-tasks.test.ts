import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertLongTask } from '../server/repositories/long-tasks';
import { importFrame } from '../server/services/draw/frame-import';
import { failAbandonedTasks } from '../server/services/tasks/long-tasks';
import { createWave, importUnits } from '../server/services/waves/waves';
import { startLiveServer } from './support/live-server';
import { startServerProcess } from './support/server-process';
import { createTestDeps, signInSession, type StaffSession } from './support/test-deps';

/**
 * Frame imports and draws started from the pages run in the server process whatever the browser
 * does, and their progress lives in the database (long_tasks): through the real HTTP server.
 */

const DEMO = path.resolve(import.meta.dirname, '../server/demo');
// 3,000 rows, two of which share a dossier code: the import reads the saved copy a second time.
const FRAME = path.join(DEMO, 'frame-2023-sample.csv');
const YEAR = 2023;
const TRIAL = { seed: 'thử 2023', allocation: 'fixed', perUnit: '25', reserve: '20' };

type Deps = Awaited<ReturnType<typeof createTestDeps>>;
let deps: Deps;
let server: { url: string; close: () => Promise<void> };
let admin: StaffSession;

beforeEach(async () => {
  deps = await createTestDeps();
  await createWave(deps.db, { year: YEAR, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'test' });
  await importUnits(deps.db, YEAR, fs.readFileSync(path.join(DEMO, 'units-2023.csv')), 'test');
  server = await startLiveServer(deps);
  admin = await signInSession(deps, 'admin', 'quantri');
});

afterEach(async () => {
  await server.close();
  await deps.cleanup();
});

/** Sends the whole request, then hangs up at once without waiting for any answer, as a closed browser tab. */
function sendAndHangUp(url: string, headers: Record<string, string>, body: Buffer): Promise<void> {
  return new Promise((resolve) => {
    const request = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } });
    request.on('error', () => undefined);
    request.end(body, () => {
      request.destroy();
      resolve();
    });
  });
}

async function multipartBody(fileName: string, content: Buffer): Promise<{ body: Buffer; type: string }> {
  const form = new FormData();
  form.append('file', new Blob([content], { type: 'text/csv' }), fileName);
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { body: Buffer.from(await request.arrayBuffer()), type: request.headers.get('content-type')! };
}

async function importFixture(): Promise<void> {
  const imported = await importFrame({ db: deps.db, dataDir: deps.config.dataDir }, YEAR, { fileName: 'khung.csv', bytes: fs.createReadStream(FRAME), strict: false }, 'test');
  if (!imported.ok) throw imported.error;
}

const tasks = () => deps.db.selectFrom('long_tasks').selectAll().orderBy('id').execute();
const page = async (pathname: string) => (await fetch(`${server.url}${pathname}`, { headers: { cookie: admin.cookie } })).text();

/** A task some instance is running right now (its heartbeat is fresh). */
async function runningTask(kind: 'draw' | 'frame-import', at = new Date()) {
  const task = await insertLongTask(deps.db, { waveYear: YEAR, kind, rowsTotal: kind === 'draw' ? 30_000 : null, bytesTotal: kind === 'draw' ? null : 4_000_000, startedAt: at.toISOString(), actor: 'nguyenvana' });
  await deps.db.updateTable('long_tasks').set({ rows_read: 12_345, bytes_read: 1_000_000, pass: 1 }).where('id', '=', task.id).execute();
  return task;
}

describe('a draw started from the page', () => {
  it('is recorded though the browser hung up right after sending the form, and its task ends done with the rows it read', async () => {
    await importFixture();
    await sendAndHangUp(`${server.url}/waves/${YEAR}/draw`, { ...admin, 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from(new URLSearchParams(TRIAL).toString()));
    await expect.poll(async () => (await tasks()).map((t) => t.state), { timeout: 20_000 }).toEqual(['done']);
    const [task] = await tasks();
    const draw = await deps.db.selectFrom('draws').select(['id', 'created_by']).executeTakeFirstOrThrow();
    expect(draw.created_by).toBe('quantri');
    expect(task).toMatchObject({ kind: 'draw', wave_year: YEAR, actor: 'quantri', rows_total: 3000 });
    expect(task.outcome).toContain(`Đã bốc mẫu (bản nháp số ${draw.id})`);
    expect(task.finished_at).not.toBeNull();
    // Whoever opens the page sent by the redirect sees how it ended.
    expect(await page(`/waves/${YEAR}/draw?task=${task.id}`)).toContain(`Đã bốc mẫu (bản nháp số ${draw.id})`);
  });

  it('answers a refusal at once, as before, and leaves no task', async () => {
    // No frame yet.
    const refused = await fetch(`${server.url}/waves/${YEAR}/draw`, { method: 'POST', headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(TRIAL), redirect: 'manual' });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain('chưa có khung mẫu');
    expect(await tasks()).toEqual([]);
  });

  it('is refused while another draw of the wave runs, naming who started it and when; the page shows the progress and reloads itself', async () => {
    await importFixture();
    const started = new Date('2026-12-02T01:30:00Z');
    await runningTask('draw', started);
    // Its heartbeat is fresh: running on some instance.
    await deps.db.updateTable('long_tasks').set({ updated_at: new Date().toISOString() }).execute();
    const second = await fetch(`${server.url}/waves/${YEAR}/draw`, { method: 'POST', headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(TRIAL), redirect: 'manual' });
    expect(second.status).toBe(409);
    expect(await second.text()).toContain(`Bốc mẫu đợt ${YEAR} đang chạy, do nguyenvana bắt đầu lúc 08:30:00 2/12/2026`);
    expect(await deps.db.selectFrom('draws').select('id').execute()).toEqual([]);

    const drawPage = await page(`/waves/${YEAR}/draw`);
    expect(drawPage).toContain('<strong>Đang bốc mẫu…</strong> đã đọc 12.345 dòng (41 %)');
    expect(drawPage).toContain(`<meta http-equiv="refresh" content="2;url=/waves/${YEAR}/draw"`);
    expect(drawPage).toContain('có thể đóng trình duyệt');
    // No draw form while it runs (it would be refused, and the reloads would clear it).
    expect(drawPage).not.toContain(`action="/waves/${YEAR}/draw?`);
  });

  it('left running by a process that died is failed by the next start, with a message to draw again; a live one is left alone', async () => {
    await importFixture();
    const minuteAgo = new Date(Date.now() - 60_000);
    const dead = await runningTask('draw', minuteAgo);
    await deps.db.updateTable('long_tasks').set({ updated_at: minuteAgo.toISOString() }).where('id', '=', dead.id).execute();
    const live = await runningTask('frame-import');
    await deps.db.updateTable('long_tasks').set({ updated_at: new Date().toISOString() }).where('id', '=', live.id).execute();

    expect(await failAbandonedTasks(deps.db, new Date())).toBe(1);
    const [deadAfter, liveAfter] = await tasks();
    expect(deadAfter.state).toBe('failed');
    expect(deadAfter.outcome).toBe('Bốc mẫu bị dừng giữa chừng (máy chủ đã tắt hoặc khởi động lại trong lúc chạy), không có gì được ghi: hãy bốc mẫu lại.');
    expect(liveAfter.state).toBe('running');
    // The page says so to whoever comes back, and a new draw may start.
    const drawPage = await page(`/waves/${YEAR}/draw`);
    expect(drawPage).toContain('không xong: Bốc mẫu bị dừng giữa chừng');
    expect(drawPage).not.toContain('http-equiv="refresh"');
    const again = await fetch(`${server.url}/waves/${YEAR}/draw`, { method: 'POST', headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(TRIAL), redirect: 'manual' });
    expect(again.status).toBe(303);
  });

  it('is failed by the start sweep of server/main.ts when its process died', async () => {
    const minuteAgo = new Date(Date.now() - 60_000).toISOString();
    const dead = await runningTask('draw', new Date(minuteAgo));
    await deps.db.updateTable('long_tasks').set({ updated_at: minuteAgo }).where('id', '=', dead.id).execute();
    const started = await startServerProcess(deps.databaseEnv.DATABASE_URL, { DATA_DIR: deps.databaseEnv.DATA_DIR });
    try {
      expect((await tasks())[0]).toMatchObject({ state: 'failed', outcome: expect.stringContaining('hãy bốc mẫu lại') });
    } finally {
      await started.kill();
    }
  });
});

describe('a frame import started from the page', () => {
  it('finishes and is recorded when the browser hangs up right after the last byte, repeats and links decided after the read', async () => {
    const { body, type } = await multipartBody('khung.csv', fs.readFileSync(FRAME));
    await sendAndHangUp(`${server.url}/waves/${YEAR}/frame`, { ...admin, 'content-type': type }, body);
    // Node would drop the bytes it still holds when the client closes (server/http-server.ts).
    await expect.poll(async () => (await tasks()).map((t) => t.state), { timeout: 20_000 }).toEqual(['done']);
    const [task] = await tasks();
    // The last figures are written when it ends: the file's totals, told again as pass 2 while
    // repeated dossier codes and rows without a usable number are decided from the read's log.
    expect(task).toMatchObject({ kind: 'frame-import', actor: 'quantri', rows_read: 3000, bytes_total: body.length });
    expect(task.pass).toBe(2);
    expect(task.outcome).toBe('Đã nhập khung mẫu khung.csv: 2.988 dòng hợp lệ, 12 dòng bị từ chối');
    const imported = await deps.db.selectFrom('frame_imports').select(['file_name', 'rows_read']).execute();
    expect(imported).toEqual([{ file_name: 'khung.csv', rows_read: 3000 }]);
    // The outcome is on the frame page at the next visit.
    const framePage = await page(`/waves/${YEAR}/frame`);
    expect(framePage).toContain('Tệp <strong>khung.csv</strong>');
  });

  it('while one runs: the page shows the rows read, reloads itself and offers no second upload; the script’s endpoint gives the same', async () => {
    await runningTask('frame-import');
    const framePage = await page(`/waves/${YEAR}/frame`);
    expect(framePage).toContain('<strong>Đang nhập khung mẫu…</strong> đã đọc 12.345 dòng (25 %)');
    expect(framePage).toContain(`<meta http-equiv="refresh" content="2;url=/waves/${YEAR}/frame"`);
    expect(framePage).not.toContain('id="frame-upload"');
    const progress = (await (await fetch(`${server.url}/waves/${YEAR}/frame/progress`, { headers: { cookie: admin.cookie } })).json()) as { running: { rowsRead: number; percent: number } };
    expect(progress.running).toMatchObject({ rowsRead: 12_345, percent: 25 });
    const { body, type } = await multipartBody('khung.csv', fs.readFileSync(FRAME));
    const second = await fetch(`${server.url}/waves/${YEAR}/frame`, { method: 'POST', headers: { ...admin, 'content-type': type }, body });
    expect(second.status).toBe(409);
    expect(await second.text()).toContain(`Nhập khung mẫu đợt ${YEAR} đang chạy, do nguyenvana`);
  });

  it('says on the page that the browser is needed until the file is sent, and loads the upload script', async () => {
    const framePage = await page(`/waves/${YEAR}/frame`);
    expect(framePage).toContain('giữ trang này mở cho đến khi tệp được gửi hết');
    expect(framePage).toContain('<script src="/assets/frame-upload.js">');
    const script = await fetch(`${server.url}/assets/frame-upload.js`);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain('upload.onprogress');
  });
});
