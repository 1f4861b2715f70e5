import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps } from '../../../test/support/test-deps';
import { createWave } from '../waves/waves';
import { pageTask, startLongTask, trackTask } from './long-tasks';

type Deps = Awaited<ReturnType<typeof createTestDeps>>;
let deps: Deps;

beforeEach(async () => {
  deps = await createTestDeps();
  await createWave(deps.db, { year: 2023, settings: {}, actor: 'test' });
});

afterEach(async () => {
  await deps.cleanup();
});

const row = async (id: number) => deps.db.selectFrom('long_tasks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('a followed task', () => {
  it('writes what the reader handed over while it runs, and its last figures when it ends', async () => {
    const task = await startLongTask(deps.db, { year: 2023, kind: 'draw', actor: 'quantri', rowsTotal: 2000, bytesTotal: null }, new Date());
    const tracker = trackTask(deps.db, task);
    let started = false;
    void tracker.started.then(() => (started = true));
    tracker.onProgress({ pass: 1, rows: 500, bytes: 70_000 });
    await expect.poll(() => started).toBe(true);
    // The heartbeat writes the figures the reader last gave (about once a second, never per row).
    await expect.poll(async () => (await row(task.id)).rows_read, { timeout: 10_000 }).toBe(500);
    expect((await row(task.id)).state).toBe('running');
    const page = await pageTask(deps.db, 2023, 'draw', task.id, new Date());
    expect(page.running).toMatchObject({ state: 'running', rowsRead: 500, percent: 25, actor: 'quantri' });

    tracker.onProgress({ pass: 2, rows: 2000, bytes: 280_000 });
    await tracker.finish('done', 'Đã bốc mẫu');
    expect(await row(task.id)).toMatchObject({ state: 'done', pass: 2, rows_read: 2000, bytes_read: 280_000, outcome: 'Đã bốc mẫu' });
    expect(await pageTask(deps.db, 2023, 'draw', task.id, new Date())).toEqual({ running: null, ended: { ok: true, text: 'Đã bốc mẫu' } });
    // A done task is not shown to a page that did not follow it; a failed latest one is.
    expect(await pageTask(deps.db, 2023, 'draw', undefined, new Date())).toEqual({ running: null, ended: null });
  });

  it('refused before it began leaves no row, and one per wave and kind runs at a time', async () => {
    const first = await startLongTask(deps.db, { year: 2023, kind: 'frame-import', actor: 'a', rowsTotal: null, bytesTotal: 10 }, new Date());
    await expect(startLongTask(deps.db, { year: 2023, kind: 'frame-import', actor: 'b', rowsTotal: null, bytesTotal: 10 }, new Date())).rejects.toThrow(
      /^Nhập khung mẫu đợt 2023 đang chạy, do a bắt đầu lúc /,
    );
    // Another kind may run beside it.
    const draw = await startLongTask(deps.db, { year: 2023, kind: 'draw', actor: 'b', rowsTotal: null, bytesTotal: null }, new Date());
    await trackTask(deps.db, draw).forget();
    const tracker = trackTask(deps.db, first);
    await tracker.finish('failed', 'Tệp gửi lên bị ngắt giữa chừng: hãy gửi lại');
    expect((await deps.db.selectFrom('long_tasks').select('id').execute()).map((r) => r.id)).toEqual([first.id]);
    const page = await pageTask(deps.db, 2023, 'frame-import', undefined, new Date());
    expect(page.ended).toMatchObject({ ok: false, text: expect.stringMatching(/^Lần nhập khung mẫu bắt đầu lúc .* \(do a\) không xong: Tệp gửi lên bị ngắt giữa chừng: hãy gửi lại$/) });
  });
});
