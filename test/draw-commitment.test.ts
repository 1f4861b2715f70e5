import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { runCli } from '../server/cli/run-cli';
import { importFrame } from '../server/services/draw/frame-import';
import { dayInVietnam } from '../server/services/draw/seed-rule';
import { createWave, importUnits } from '../server/services/waves/waves';
import { createTestDeps, signIn } from './support/test-deps';

const DEMO = path.resolve(import.meta.dirname, '../server/demo');
const FRAME = path.join(DEMO, 'frame-2023-sample.csv');
const FRAME_SHA256 = '170348a042779da357cc644eec583483f6502ffe3021ea57ebf51c01c91052f9';
const YEAR = 2023;
const SOURCE = 'Xổ số kiến thiết An Giang, giải đặc biệt';

type Deps = Awaited<ReturnType<typeof createTestDeps>>;
let deps: Deps;
let env: NodeJS.ProcessEnv;
const cli = (...argv: string[]) => runCli(argv, env, deps.dir);

beforeEach(async () => {
  deps = await createTestDeps();
  env = { ...deps.databaseEnv, USER: 'tester' };
  await createWave(deps.db, { year: YEAR, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'test' });
  await importUnits(deps.db, YEAR, fs.readFileSync(path.join(DEMO, 'units-2023.csv')), 'test');
  const outcome = await importFrame({ db: deps.db, dataDir: deps.config.dataDir }, YEAR, { fileName: 'frame.csv', bytes: fs.createReadStream(FRAME), strict: false }, 'test');
  if (!outcome.ok) throw outcome.error;
});

afterEach(async () => {
  await deps.cleanup();
});

/** Moves the commitment back in time, as if it had been signed days before the drawing it names. */
async function backdate(createdAt: string, seedDate: string) {
  await deps.db.updateTable('draw_commitments').set({ created_at: createdAt, seed_date: seedDate }).execute();
}

describe('commit–reveal', () => {
  it('fixes frame, allocation and seed rule first; the draw takes only a seed of the rule, after the drawing day; verify checks it all', async () => {
    // A free draft before the commitment: superseded later, it stays in the record with its seed.
    expect((await cli('draw', '--wave', '2023', '--seed', 'hạt giống tự chọn', '--per-unit', '10')).code).toBe(0);

    const today = new Date();
    const tomorrow = dayInVietnam(new Date(today.getTime() + 36 * 3600 * 1000));
    const sameDay = await cli('draw', 'commit', '--wave', '2023', '--seed-rule', SOURCE, '--seed-date', dayInVietnam(today), '--per-unit', '25');
    expect(sameDay.code).not.toBe(0);
    expect(sameDay.stderr + sameDay.stdout).toContain('phải sau ngày lập biên bản');

    const committed = await cli('draw', 'commit', '--wave', '2023', '--seed-rule', SOURCE, '--seed-date', tomorrow, '--per-unit', '25', '--reserve', '20');
    expect(committed.code).toBe(0);
    expect(committed.stdout).toContain(`khung mẫu SHA-256 ${FRAME_SHA256}`);

    const early = await cli('draw', '--wave', '2023', '--seed', '123456');
    expect(early.code).not.toBe(0);
    expect(early.stderr + early.stdout).toContain('Chưa đến ngày quay');

    await backdate('2023-08-20T03:00:00.000Z', '2023-08-24');
    const chosen = await cli('draw', '--wave', '2023', '--seed', 'hạt giống tôi thích');
    expect(chosen.code).not.toBe(0);
    expect(chosen.stderr + chosen.stdout).toContain('không theo quy tắc đã cam kết');
    const otherAllocation = await cli('draw', '--wave', '2023', '--seed', '123456', '--per-unit', '30');
    expect(otherAllocation.code).not.toBe(0);
    expect(otherAllocation.stderr + otherAllocation.stdout).toContain('Phân bổ đã được cam kết');

    const drawn = await cli('draw', '--wave', '2023', '--seed', '123456');
    expect(drawn.code).toBe(0);
    const row = await deps.db.selectFrom('draws').selectAll().where('status', '=', 'draft').executeTakeFirstOrThrow();
    expect(row).toMatchObject({ seed: `${SOURCE} 24/08/2023 123456`, commitment_id: 1 });
    expect(JSON.parse(row.allocation)).toMatchObject({ kind: 'fixed', perUnit: 25 });

    const verified = await cli('draw', 'verify', '--wave', '2023', FRAME);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toContain('Đúng biên bản cam kết số 1');
    expect(verified.stdout).toContain('Kết luận: ĐẠT');

    // A commitment dated after the drawing it names is no commitment: verify fails.
    await backdate('2023-08-25T03:00:00.000Z', '2023-08-24');
    const late = await cli('draw', 'verify', '--wave', '2023', FRAME);
    expect(late.code).toBe(1);
    expect(late.stdout).toContain('Không đúng biên bản cam kết số 1');

    // The record: the commitment and both draws, the superseded free draft with its seed.
    const out = path.join(deps.dir, 'record.csv');
    expect((await cli('draw', 'record', '--wave', '2023', '--out', out)).code).toBe(0);
    const record = fs.readFileSync(out, 'utf8');
    expect(record.charCodeAt(0)).toBe(0xfeff);
    expect(record).toMatch(/draw,1,superseded,hạt giống tự chọn,/);
    expect(record).toContain(`draw,2,draft,"${SOURCE} 24/08/2023 123456",,1,${FRAME_SHA256}`);
    expect(record).toMatch(/commitment,1,,,/);

    // The printable record for the Fatherland Front, and the draw page naming it.
    const app = createApp(deps);
    const cookie = await signIn(deps, 'supervisor');
    const page = await (await app.request(`/waves/${YEAR}/draw/commitments/1`, { headers: { cookie } })).text();
    expect(page).toContain(FRAME_SHA256);
    expect(page).toContain('Đại diện Ủy ban Mặt trận Tổ quốc');
    expect(page).toContain('24/08/2023');
    const drawPage = await (await app.request(`/waves/${YEAR}/draw`, { headers: { cookie } })).text();
    expect(drawPage).toContain('biên bản số 1');
    expect(drawPage).toContain('hạt giống tự chọn');
  });
});
