import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { findWave } from '../server/repositories/waves';
import { createPublishedWave } from './support/published-wave';
import { createTestDeps, signInSession } from './support/test-deps';

/**
 * The wave's rules and the double-entry switch are both stored in the wave's settings: each page
 * reads them, changes its part and writes them back. Sent at the same moment, neither change may
 * overwrite the other (a read outside the writing transaction would lose one).
 */
describe('two settings updates at the same moment', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  beforeEach(async () => {
    deps = await createTestDeps();
    await createPublishedWave(deps.db, { year: 2024 });
  });
  afterEach(() => deps.cleanup());

  it('keeps both: the PAR points from the rules page and double entry from the entry settings page', async () => {
    const app = createApp(deps);
    const session = await signInSession(deps, 'admin');
    const post = (path: string, fields: Record<string, string>) =>
      app.request(path, { method: 'POST', headers: { ...session, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
    for (let round = 0; round < 5; round++) {
      const parMax = String(20 + round);
      const on = round % 2 === 0;
      const [rules, entry] = await Promise.all([
        post('/waves/2024/settings', { parMax }),
        post('/waves/2024/entry/settings', on ? { double_entry: '1' } : {}),
      ]);
      expect([rules.status, entry.status]).toEqual([200, 200]);
      expect((await findWave(deps.db, 2024))?.settings).toMatchObject({ parMaxPoints: Number(parMax), doubleEntry: on });
    }
  });
});
