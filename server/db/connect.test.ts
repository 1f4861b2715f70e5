import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps } from '../../test/support/test-deps';
import { reusableQuery } from './connect';

describe('reusableQuery', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(async () => {
    await deps.cleanup();
  });

  it('builds the query once and runs it with each call’s own values, constants kept, in and out of transactions', async () => {
    let builds = 0;
    const insertLog = reusableQuery((db, action: string, detail: string) => {
      builds++;
      return db.insertInto('audit_log').values({ at: 'now', actor: 'test', action, wave_year: null, detail }).returning(['id', 'action', 'actor', 'detail']);
    });
    const first = (await insertLog(deps.db, 'một', '{"n":1}')).rows;
    const second = await deps.db.transaction().execute(async (trx) => (await insertLog(trx, 'hai', '{"n":2}')).rows);
    expect(builds).toBe(1);
    expect([...first, ...second].map(({ action, actor, detail }) => ({ action, actor, detail }))).toEqual([
      { action: 'một', actor: 'test', detail: '{"n":1}' },
      { action: 'hai', actor: 'test', detail: '{"n":2}' },
    ]);
    const stored = await deps.db.selectFrom('audit_log').select('action').where('actor', '=', 'test').orderBy('id').execute();
    expect(stored.map((r) => r.action)).toEqual(['một', 'hai']);
  });

  it('builds again for another database', async () => {
    const other = await createTestDeps();
    try {
      let builds = 0;
      const countLogs = reusableQuery((db, action: string) => {
        builds++;
        return db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('action', '=', action);
      });
      await deps.db.insertInto('audit_log').values({ at: 'now', actor: null, action: 'x', wave_year: null, detail: '{}' }).execute();
      expect((await countLogs(deps.db, 'x')).rows[0].n).toBe(1);
      expect((await countLogs(other.db, 'x')).rows[0].n).toBe(0);
      expect(builds).toBe(2);
    } finally {
      await other.cleanup();
    }
  });
});
