import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '../server/db/unit-of-work';
import { ABANDONED_AFTER_MS, newDatabaseFile } from '../server/services/storage/database-files';
import { sweepStoredFiles } from '../server/services/storage/stored-files';
import { storedBytes, storedChunks, storedUploads } from './support/stored-uploads';
import { createTestDeps } from './support/test-deps';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
beforeEach(async () => {
  deps = await createTestDeps();
});
afterEach(() => deps.cleanup());

describe('sweeping stored files', () => {
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
      .values({ wave_year: 2023, file_name: 'f.csv', file_sha256: '0', stored_file: path.join('/elsewhere/frames', names.recorded), strict: 0, rows_read: 0, rows_accepted: 0, rows_rejected: 0, report: '{}', created_at: 'now', created_by: null })
      .execute();
    const sweep = (atStart: boolean) => writeTransaction(deps.db, (trx, afterCommit) => sweepStoredFiles(trx, afterCommit, deps.config.dataDir, { atStart }));

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
    const sweep = (atStart: boolean) => writeTransaction(deps.db, (trx, afterCommit) => sweepStoredFiles(trx, afterCommit, deps.config.dataDir, { atStart }));

    expect((await sweep(false)).sort()).toEqual([names.died, names.unnamed]);
    expect(await sweep(true)).toEqual([names.here]);
    expect(fs.readdirSync(verify)).toEqual([names.running]);
  });

  it("removes scratch files of a frame's read whose process is gone, and at start every one of this process", async () => {
    const scratch = path.join(deps.config.dataDir, 'scratch');
    fs.mkdirSync(scratch);
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const names = { running: `1-aaaa.${process.ppid}.tmp`, here: `2-bbbb.${process.pid}.tmp`, died: `3-cccc.${dead}.tmp`, unnamed: '4-dddd.tmp' };
    for (const name of Object.values(names)) fs.writeFileSync(path.join(scratch, name), 'id:089123456789');
    const sweep = (atStart: boolean) => writeTransaction(deps.db, (trx, afterCommit) => sweepStoredFiles(trx, afterCommit, deps.config.dataDir, { atStart }));

    expect((await sweep(false)).sort()).toEqual([names.died, names.unnamed]);
    expect(await sweep(true)).toEqual([names.here]);
    expect(fs.readdirSync(scratch)).toEqual([names.running]);
  });

  it('in the database: keeps a recorded file and uploads being written; deletes a file no record refers to and an upload untouched for long, chunks included', async () => {
    await deps.db.insertInto('waves').values({ year: 2023, name: 'x', status: 'setup', settings: '{}', created_at: 'now' }).execute();
    const upload = async (content: Buffer) => {
      const file = await newDatabaseFile(deps.db, 'frame');
      // In pieces smaller than a chunk, as an upload arrives.
      for (let at = 0; at < content.length; at += 100_000) await file.write(content.subarray(at, at + 100_000));
      await file.finish();
      return file;
    };
    // Five chunks of 1.1 MB (eleven pieces each): read back in two queries.
    const big = Buffer.alloc(5_500_000, 'Mã hồ sơ,Họ và tên\r\n');
    const first = await upload(big);
    const recorded = await writeTransaction(deps.db, async (trx) => {
      const reference = await first.keep(trx);
      await trx
        .insertInto('frame_imports')
        .values({ wave_year: 2023, file_name: 'f.csv', file_sha256: '0', stored_file: reference, strict: 0, rows_read: 0, rows_accepted: 0, rows_rejected: 0, report: '{}', created_at: 'now', created_by: null })
        .execute();
      return reference;
    });
    // Kept, then no longer referred to: what publish, purge or a newer import leave.
    const second = await upload(Buffer.from('b'));
    const unreferenced = await writeTransaction(deps.db, (trx) => second.keep(trx));
    await upload(Buffer.from('c'));
    const stale = await upload(Buffer.from('d'));
    const [writing, abandoned] = (await storedUploads(deps.db, deps.config.dataDir)).slice(-2);
    const longAgo = new Date(Date.now() - ABANDONED_AFTER_MS - 60_000).toISOString();
    await deps.db.updateTable('stored_files').set({ touched_at: longAgo }).where('id', '=', Number(abandoned.split(':')[1])).execute();
    expect(await storedChunks(deps.db)).toBe(5 + 3);

    const swept = await writeTransaction(deps.db, (trx, afterCommit) => sweepStoredFiles(trx, afterCommit, deps.config.dataDir, { atStart: false }));
    expect(swept.sort()).toEqual([unreferenced, abandoned].sort());
    expect(await storedUploads(deps.db, deps.config.dataDir)).toEqual([recorded, writing]);
    expect(await storedChunks(deps.db)).toBe(5 + 1);
    expect((await storedBytes(deps.db, recorded)).equals(big)).toBe(true);
    // The process that was writing the swept upload finds it gone, and records nothing.
    await expect(writeTransaction(deps.db, (trx) => stale.keep(trx))).rejects.toMatchObject({ status: 409, message: expect.stringContaining('hãy tải lên lại') });
  });
});
