import fs from 'node:fs';
import path from 'node:path';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { openDatabase } from '../server/db/connect';
import { runDraw } from '../server/services/draw/draw';
import { drawnMessage } from '../server/services/draw/draw-task';
import { importFrame } from '../server/services/draw/frame-import';
import { startLongTask, trackTask } from '../server/services/tasks/long-tasks';
import { createWave, importUnits } from '../server/services/waves/waves';
import { createTestDeps, signInSession } from './support/test-deps';

/**
 * A page that follows a long task reads the task and what the task records in two queries. A
 * task ends (marked done) only after what it recorded is committed; if the page read the
 * record first, a draw landing between the two reads showed "done" beside "not drawn yet"
 * (seen once in CI on PostgreSQL). Here the draw is made to land exactly there.
 */

const DEMO = path.resolve(import.meta.dirname, '../server/demo');
const YEAR = 2023;

let deps: Awaited<ReturnType<typeof createTestDeps>>;

beforeEach(async () => {
  deps = await createTestDeps();
  await createWave(deps.db, { year: YEAR, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'test' });
  await importUnits(deps.db, YEAR, fs.readFileSync(path.join(DEMO, 'units-2023.csv')), 'test');
  const imported = await importFrame({ db: deps.db, dataDir: deps.config.dataDir }, YEAR, { fileName: 'frame.csv', bytes: fs.createReadStream(path.join(DEMO, 'frame-2023-sample.csv')), strict: false }, 'test');
  if (!imported.ok) throw imported.error;
});

afterEach(() => deps.cleanup());

/** Runs `land` once, right after the first query that reads `table` has its rows. */
function afterFirstRead(table: string, land: () => Promise<void>): KyselyPlugin {
  const readsTable = new WeakSet<object>();
  let armed = true;
  return {
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      if (node.kind === 'SelectQueryNode' && JSON.stringify(node).includes(`"name":"${table}"`)) readsTable.add(queryId);
      return node;
    },
    async transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      if (armed && readsTable.has(queryId)) {
        armed = false;
        await land();
      }
      return result;
    },
  };
}

it('a page that sees the draw done also shows the draw, even when it lands between the page’s reads', async () => {
  const task = await startLongTask(deps.db, { year: YEAR, kind: 'draw', actor: 'test', rowsTotal: null, bytesTotal: null }, new Date());
  // The draw runs as it would on the server, on its own connection: the page's query holds its own.
  const drawer = openDatabase(deps.config.database);
  const land = async () => {
    const draw = await runDraw(drawer, YEAR, { seed: 's', allocation: { kind: 'fixed', perUnit: 5 }, reservePercent: 20 }, 'test');
    await trackTask(drawer, task).finish('done', drawnMessage(draw));
  };
  const app = createApp({ ...deps, db: deps.db.withPlugin(afterFirstRead('draws', land)) });
  const admin = await signInSession(deps, 'admin');
  const get = async () => (await app.request(`/waves/${YEAR}/draw?task=${task.id}`, { headers: { cookie: admin.cookie } })).text();

  const first = await get();
  // Read while the draw was still running: its progress, and nothing claimed about its end.
  expect(first).toContain('id="task-progress"');
  expect(first).not.toContain('Đã bốc mẫu');
  const next = await get();
  expect(next).toContain('Đã bốc mẫu (bản nháp số 1)');
  expect(next).not.toContain('Chưa bốc mẫu');
  expect(next).not.toContain('id="task-progress"');
  await drawer.destroy();
});

it('a frame page that no longer sees the import running shows the frame it recorded', async () => {
  const task = await startLongTask(deps.db, { year: YEAR, kind: 'frame-import', actor: 'test', rowsTotal: null, bytesTotal: null }, new Date());
  const importer = openDatabase(deps.config.database);
  const land = async () => {
    const file = { fileName: 'khung-lan-hai.csv', bytes: fs.createReadStream(path.join(DEMO, 'frame-2023-sample.csv')), strict: false };
    const imported = await importFrame({ db: importer, dataDir: deps.config.dataDir }, YEAR, file, 'test');
    if (!imported.ok) throw imported.error;
    await trackTask(importer, task).finish('done', 'Đã nhập khung mẫu');
  };
  const app = createApp({ ...deps, db: deps.db.withPlugin(afterFirstRead('frame_imports', land)) });
  const admin = await signInSession(deps, 'admin');
  const get = async () => (await app.request(`/waves/${YEAR}/frame`, { headers: { cookie: admin.cookie } })).text();

  // Read while the import was running: its progress beside the frame imported before.
  expect(await get()).toContain('id="task-progress"');
  const next = await get();
  expect(next).toContain('khung-lan-hai.csv');
  expect(next).not.toContain('id="task-progress"');
  await importer.destroy();
});
