import path from 'node:path';
import SQLite from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTestDeps } from '../../../test/support/test-deps';
import { takeWriteLock } from '../../db/dialect';
import { GroupCommitter } from './group-commit';

describe('GroupCommitter', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let other: SQLite.Database;
  beforeEach(async () => {
    deps = await createTestDeps();
    other = new SQLite(path.join(deps.dir, 'sipas.db'));
  });
  afterEach(async () => {
    other.close();
    await deps.cleanup();
  });

  const insertLog = (action: string) => (trx: Parameters<Parameters<GroupCommitter['run']>[0]>[0]) =>
    trx.insertInto('audit_log').values({ at: 'now', actor: null, action, wave_year: null, detail: '{}' }).returning('id').executeTakeFirstOrThrow();
  const visibleElsewhere = (action: string) => other.prepare('select count(*) as n from audit_log where action = ?').get(action) as { n: number };

  it('answers each caller only once its write is committed, sharing transactions under load', async () => {
    const committer = new GroupCommitter(deps.db);
    const transactions = vi.spyOn(deps.db, 'connection');
    const seenOnResolve: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        committer.run(insertLog(`job-${i}`)).then(() => seenOnResolve.push(visibleElsewhere(`job-${i}`).n)),
      ),
    );
    expect(seenOnResolve).toEqual(Array(50).fill(1));
    const ids = (other.prepare("select id from audit_log where action like 'job-%'").all() as { id: number }[]).map((r) => r.id);
    expect(ids).toHaveLength(50);
    expect(transactions.mock.calls.length).toBeLessThan(5);
  });

  it('rolls back a failing job alone and hands its error to its own caller', async () => {
    const committer = new GroupCommitter(deps.db);
    const results = await Promise.allSettled([
      committer.run(insertLog('kept-1')),
      committer.run(async (trx) => {
        await insertLog('dropped')(trx);
        throw new Error('bad input');
      }),
      committer.run(insertLog('kept-2')),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('bad input'));
    expect(visibleElsewhere('kept-1').n + visibleElsewhere('kept-2').n).toBe(2);
    expect(visibleElsewhere('dropped').n).toBe(0);
  });

  it('gives the jobs of one batch one scope, read once, and a retried job a fresh one', async () => {
    const committer = new GroupCommitter(deps.db);
    let loads = 0;
    const readOnce = (fail = false) =>
      committer.run(async (trx, batch) => {
        const value = await batch.once('wave', async () => ++loads);
        await insertLog(`scoped-${value}`)(trx);
        if (fail) throw new Error('bad input');
        return value;
      });
    expect(await Promise.all([readOnce(), readOnce(), readOnce()])).toEqual([1, 1, 1]);
    // One job fails: the batch (scope 2) is rolled back and each job runs again with its own scope.
    const results = await Promise.allSettled([readOnce(), readOnce(), readOnce(true), readOnce()]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : 'failed'))).toEqual([3, 4, 'failed', 6]);
    expect(visibleElsewhere('scoped-2').n).toBe(0);
    expect(visibleElsewhere('scoped-1').n).toBe(3);
  });

  it('takes the write lock with its first statement, so another writer waits instead of racing', async () => {
    other.pragma('busy_timeout = 0');
    await deps.db.transaction().execute(async (trx) => {
      await takeWriteLock(trx);
      expect(() => other.prepare("insert into audit_log (at, action, detail) values ('now', 'other', '{}')").run()).toThrowError(/database is locked/);
    });
    expect(() => other.prepare("insert into audit_log (at, action, detail) values ('now', 'other', '{}')").run()).not.toThrow();
  });
});
