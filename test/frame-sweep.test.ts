import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '../server/db/unit-of-work';
import { sweepFrameFiles } from '../server/services/draw/frame-files';
import { createTestDeps } from './support/test-deps';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
beforeEach(async () => {
  deps = await createTestDeps();
});
afterEach(() => deps.cleanup());

describe('sweeping frame files', () => {
  it('keeps recorded files and copies a living process is still writing; removes the rest', async () => {
    const frames = path.join(deps.config.dataDir, 'frames');
    fs.mkdirSync(frames);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const names = {
      recorded: '2023-1-aaaa.csv',
      orphan: '2023-2-bbbb.csv',
      writtenByParent: `2023-3-cccc.csv.${process.ppid}.partial`,
      writtenHere: `2023-4-dddd.csv.${process.pid}.partial`,
      writerDied: `2023-5-eeee.csv.${dead}.partial`,
    };
    for (const name of Object.values(names)) fs.writeFileSync(path.join(frames, name), 'Mã hồ sơ,Họ và tên\r\n');
    await deps.db.insertInto('waves').values({ year: 2023, name: 'x', status: 'setup', settings: '{}', created_at: 'now' }).execute();
    await deps.db
      .insertInto('frame_imports')
      .values({ wave_year: 2023, file_name: 'f.csv', file_sha256: '0', stored_path: path.join('/elsewhere/frames', names.recorded), strict: 0, rows_read: 0, rows_accepted: 0, rows_rejected: 0, report: '{}', created_at: 'now', created_by: null })
      .execute();
    const sweep = (atStart: boolean) => writeTransaction(deps.db, (trx, afterCommit) => sweepFrameFiles(trx, afterCommit, deps.config.dataDir, { atStart }));

    expect((await sweep(false)).sort()).toEqual([names.orphan, names.writerDied]);
    expect(fs.readdirSync(frames).sort()).toEqual([names.recorded, names.writtenByParent, names.writtenHere]);
    // At start this process is writing nothing yet, whatever the name says.
    expect(await sweep(true)).toEqual([names.writtenHere]);
    expect(fs.readdirSync(frames).sort()).toEqual([names.recorded, names.writtenByParent]);
  });

  it('removes copies of verify uploads whose process is gone, and at start every one of this process', async () => {
    const verify = path.join(deps.config.dataDir, 'verify');
    fs.mkdirSync(verify);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const names = { running: `2023-1-aaaa.${process.ppid}.csv`, here: `2023-2-bbbb.${process.pid}.csv`, died: `2023-3-cccc.${dead}.csv`, unnamed: '2023-4-dddd.csv' };
    for (const name of Object.values(names)) fs.writeFileSync(path.join(verify, name), 'Mã hồ sơ,Họ và tên\r\n');
    const sweep = (atStart: boolean) => writeTransaction(deps.db, (trx, afterCommit) => sweepFrameFiles(trx, afterCommit, deps.config.dataDir, { atStart }));

    expect((await sweep(false)).sort()).toEqual([names.died, names.unnamed]);
    expect(await sweep(true)).toEqual([names.here]);
    expect(fs.readdirSync(verify)).toEqual([names.running]);
  });
});
