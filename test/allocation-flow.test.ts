import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { runCli } from '../server/cli/run-cli';
import { findWave } from '../server/repositories/waves';
import { runDraw } from '../server/services/draw/draw';
import { verifyDraw } from '../server/services/draw/draw-verify';
import { importFrame } from '../server/services/draw/frame-import';
import { createWave, importUnits } from '../server/services/waves/waves';
import { pageAfterDraw } from './support/followed-draw';
import { createTestDeps, signIn, signInSession } from './support/test-deps';

/** Issue 11, item 3: proportional allocation with bounds, through the command line, the page and `draw verify`. */

const DEMO = path.resolve(import.meta.dirname, '../server/demo');
const FRAME = path.join(DEMO, 'frame-2023-sample.csv');
const YEAR = 2023;

let deps: Awaited<ReturnType<typeof createTestDeps>>;
const cli = (...argv: string[]) => runCli(argv, { ...deps.databaseEnv, USER: 'tester' }, deps.dir);
const drawCount = async () => Number((await deps.db.selectFrom('draws').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

beforeEach(async () => {
  deps = await createTestDeps();
  await createWave(deps.db, { year: YEAR, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'test' });
  await importUnits(deps.db, YEAR, fs.readFileSync(path.join(DEMO, 'units-2023.csv')), 'test');
  const imported = await importFrame({ db: deps.db, dataDir: deps.config.dataDir }, YEAR, { fileName: 'frame.csv', bytes: fs.createReadStream(FRAME), strict: false }, 'test');
  if (!imported.ok) throw imported.error;
});

afterEach(() => deps.cleanup());

describe('proportional allocation with bounds', () => {
  it('the command line refuses a total the bounds cannot reach, with the reachable range, and records nothing', async () => {
    // 28 units of 16 to 325 eligible people: at most 20 each (SCT has 16, SKHDT 18) gives 554.
    const tooMany = await cli('draw', '--wave', '2023', '--seed', 'x', '--total', '700', '--min', '10', '--max', '20');
    expect(tooMany.code).toBe(1);
    expect(tooMany.stderr).toContain('Không chia được tổng 700 phiếu: với tối thiểu 10, tối đa 20 phiếu mỗi đơn vị (và không quá số người đủ điều kiện), 28 đơn vị có người đủ điều kiện chỉ cho tổng từ 280 đến 554 phiếu.');
    const tooFew = await cli('draw', '--wave', '2023', '--seed', 'x', '--total', '300', '--min', '15');
    expect(tooFew.code).toBe(1);
    expect(tooFew.stderr).toContain('chỉ cho tổng từ 420 đến 2.667 phiếu');
    expect(await drawCount()).toBe(0);

    const met = await cli('draw', '--wave', '2023', '--seed', 'x', '--total', '700', '--min', '10', '--max', '30', '--json');
    expect(met.code).toBe(0);
    const draw = JSON.parse(met.stdout) as { allocation: unknown; units: { planned: number; eligible: number }[] };
    // Version 1 planned 580 here without a word; now the total is met, within the bounds and N.
    expect(draw.units.reduce((s, u) => s + u.planned, 0)).toBe(700);
    expect(draw.units.every((u) => u.planned >= Math.min(10, u.eligible) && u.planned <= Math.min(30, u.eligible))).toBe(true);
    expect(draw.allocation).toEqual({ kind: 'proportional', total: 700, min: 10, max: 30, version: 2 });
  });

  it('the draw page shows the refusal and states the rules of each allocation', async () => {
    const app = createApp(deps);
    const admin = await signInSession(deps, 'admin');
    const post = (fields: Record<string, string>) =>
      app.request(`/waves/${YEAR}/draw`, { method: 'POST', headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ seed: 's', reserve: '20', ...fields }) });
    const refused = await post({ allocation: 'proportional', total: '700', min: '10', max: '20' });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('chỉ cho tổng từ 280 đến 554 phiếu. Hãy chọn tổng trong khoảng này hoặc đổi mức tối thiểu, tối đa.');
    expect(await drawCount()).toBe(0);

    const form = await (await app.request(`/waves/${YEAR}/draw`, { headers: { cookie: admin.cookie } })).text();
    expect(form).toContain('làm tròn lên');
    expect(form).toContain('tổng không đạt được thì bị từ chối');

    const margin = await pageAfterDraw(await post({ allocation: 'margin', margin: '0,05', marginMax: '40' }), (path) => app.request(path, { headers: { cookie: admin.cookie } }));
    expect(margin).toContain('n = N / (1 + N·e²) với e = 0,05, làm tròn lên, tối đa 40 mỗi đơn vị (n không bao giờ quá N)');
  });

  it('a draw recorded before allocation rules were versioned still verifies, under the rule it was drawn with', async () => {
    const allocation = { kind: 'proportional' as const, total: 700, min: 10, max: 30 };
    const old = await runDraw(deps.db, YEAR, { seed: 'sipas-2023', allocation: { ...allocation, version: 1 }, reservePercent: 20 }, 'test');
    expect(old.units.reduce((s, u) => s + u.planned, 0)).toBe(580);
    // As such a draw was stored: its allocation without a version.
    const setStored = (value: object) => deps.db.updateTable('draws').set({ allocation: JSON.stringify(value) }).where('id', '=', old.id).execute();
    await setStored(allocation);
    const wave = (await findWave(deps.db, YEAR))!;
    const verify = () => verifyDraw({ db: deps.db, dataDir: deps.config.dataDir }, wave, () => fs.createReadStream(FRAME), 'test');
    expect(await verify()).toMatchObject({ identical: true, sha256Matches: true });
    const page = await (await createApp(deps).request(`/waves/${YEAR}/draw`, { headers: { cookie: await signIn(deps, 'supervisor') } })).text();
    expect(page).toContain('quy tắc phân bổ phiên bản 1');
    // The version decides: re-run under today's rule, the same draw differs.
    await setStored({ ...allocation, version: 2 });
    expect(await verify()).toMatchObject({ identical: false, sha256Matches: true });
  });
});
