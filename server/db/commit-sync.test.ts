import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDeps } from '../../test/support/test-deps';
import { transactionWithoutDiskWait, waitUntilCommittedOnDisk } from './commit-sync';

describe('commits whose fsync runs off the event loop', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await deps.cleanup();
  });

  const synchronous = async () => (await sql<{ synchronous: number }>`pragma synchronous`.execute(deps.db)).rows[0].synchronous;
  const FULL = 2;
  const NORMAL = 1;

  it('runs the transaction under synchronous=NORMAL and puts FULL back for everything else, also after a failure', async () => {
    expect(await synchronous()).toBe(FULL);
    const inside = await transactionWithoutDiskWait(deps.db, async (trx) => (await sql<{ synchronous: number }>`pragma synchronous`.execute(trx)).rows[0].synchronous);
    expect(inside).toBe(NORMAL);
    expect(await synchronous()).toBe(FULL);
    await expect(
      transactionWithoutDiskWait(deps.db, async (trx) => {
        await trx.insertInto('audit_log').values({ at: 'now', actor: null, action: 'rolled-back', wave_year: null, detail: '{}' }).execute();
        throw new Error('bad job');
      }),
    ).rejects.toThrow('bad job');
    expect(await synchronous()).toBe(FULL);
    const other = new SQLite(path.join(deps.dir, 'sipas.db'), { readonly: true });
    expect(other.prepare("select count(*) as n from audit_log where action = 'rolled-back'").get()).toEqual({ n: 0 });
    other.close();
  });

  it('fsyncs the database’s own WAL file, one fsync for the commits made while another ran', async () => {
    // The real fsync runs; only its answer is held back until the test lets it through, so the
    // "while another ran" below does not depend on how fast this disk is.
    const realFsync = fs.fsync;
    let letThrough: () => void = () => {};
    let gate: Promise<void> = Promise.resolve();
    const fsyncs = vi.spyOn(fs, 'fsync').mockImplementation(((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) =>
      realFsync(fd, (error) => void gate.then(() => callback(error)))) as typeof fs.fsync);
    const walPath = `${fs.realpathSync(path.join(deps.dir, 'sipas.db'))}-wal`;
    const commit = (action: string) =>
      transactionWithoutDiskWait(deps.db, (trx) => trx.insertInto('audit_log').values({ at: 'now', actor: null, action, wave_year: null, detail: '{}' }).execute());

    await commit('first');
    await waitUntilCommittedOnDisk(deps.db);
    expect(fsyncs).toHaveBeenCalledTimes(1);
    const fd = fsyncs.mock.calls[0][0] as number;
    expect(fs.fstatSync(fd).ino).toBe(fs.statSync(walPath).ino);

    // One fsync running (held), then five more commits each asking to be on disk: they share one more.
    gate = new Promise((resolve) => (letThrough = resolve));
    const running = waitUntilCommittedOnDisk(deps.db);
    const waits: Promise<void>[] = [];
    for (let i = 0; i < 5; i++) {
      await commit(`later-${i}`);
      waits.push(waitUntilCommittedOnDisk(deps.db));
    }
    expect(fsyncs).toHaveBeenCalledTimes(2);
    letThrough();
    await Promise.all([running, ...waits]);
    expect(fsyncs).toHaveBeenCalledTimes(3);
  });
});
