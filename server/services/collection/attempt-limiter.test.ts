import { createHash, createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps } from '../../../test/support/test-deps';
import { openDatabase } from '../../db/connect';
import { isSqlite } from '../../db/dialect';
import type { InstallationSecret } from '../installation/installation-secret';
import { AttemptLimiter, attemptKeySecret } from './attempt-limiter';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let keys: InstallationSecret;
beforeEach(async () => {
  deps = await createTestDeps();
  keys = attemptKeySecret(deps.db);
});
afterEach(async () => {
  await deps.cleanup();
});

describe('AttemptLimiter', () => {
  it('blocks a key after the maximum failures within the window, and frees it afterwards', async () => {
    const limiter = new AttemptLimiter(deps.db, keys, 'test.client', 3, 60_000);
    for (const t of [0, 1000, 2000]) {
      expect(await limiter.isBlocked('1.2.3.4', t)).toBe(false);
      await limiter.recordFailure('1.2.3.4', t);
    }
    expect(await limiter.isBlocked('1.2.3.4', 3000)).toBe(true);
    expect(await limiter.isBlocked('5.6.7.8', 3000)).toBe(false);
    expect(await limiter.isBlocked('1.2.3.4', 60_500)).toBe(false);
  });

  it('counts together the failures seen by two limiters of the same scope (two instances), apart from other scopes', async () => {
    const [a, b] = [new AttemptLimiter(deps.db, keys, 'test.account', 2, 60_000), new AttemptLimiter(deps.db, keys, 'test.account', 2, 60_000)];
    const other = new AttemptLimiter(deps.db, keys, 'test.other', 2, 60_000);
    await a.recordFailure('tuan', 0);
    await b.recordFailure('tuan', 1);
    expect(await a.isBlocked('tuan', 2)).toBe(true);
    expect(await b.isBlocked('tuan', 2)).toBe(true);
    expect(await other.isBlocked('tuan', 2)).toBe(false);
  });

  it('stores no key in clear and purges the scope’s expired failures when recording a new one', async () => {
    const limiter = new AttemptLimiter(deps.db, keys, 'test.client', 5, 60_000);
    await limiter.recordFailure('203.0.113.9', 0);
    await limiter.recordFailure('198.51.100.7', 30_000);
    await new AttemptLimiter(deps.db, keys, 'test.other', 5, 1000).recordFailure('x', 0);
    const rows = async () => deps.db.selectFrom('attempts').selectAll().orderBy('at').execute();
    expect(JSON.stringify(await rows())).not.toMatch(/203\.0\.113\.9|198\.51\.100\.7/);
    await limiter.recordFailure('198.51.100.7', 70_000);
    // The first failure is past the window and goes; the other scope's row is its own to purge.
    expect((await rows()).map((r) => [r.scope, r.at])).toEqual([
      ['test.other', new Date(0).toISOString()],
      ['test.client', new Date(30_000).toISOString()],
      ['test.client', new Date(70_000).toISOString()],
    ]);
  });

  it('stores HMAC-SHA-256 of the key with one secret for every instance on the database, not a plain SHA-256', async () => {
    const second = openDatabase(deps.config.database);
    try {
      const [a, b] = [deps.db, second].map((db) => new AttemptLimiter(db, attemptKeySecret(db), 'test.client', 2, 60_000));
      if (isSqlite(deps.db)) {
        // One process cannot race two SQLite connections: better-sqlite3 waits for a lock synchronously, blocking its holder too.
        await a.recordFailure('203.0.113.9', 0);
        await b.recordFailure('203.0.113.9', 1);
      } else {
        // Two instances with no secret yet ask for it at the same moment: both must end up with the same one.
        await Promise.all([a.recordFailure('203.0.113.9', 0), b.recordFailure('203.0.113.9', 1)]);
      }
      const hashes = (await deps.db.selectFrom('attempts').select('key_hash').execute()).map((r) => r.key_hash);
      const secrets = await deps.db.selectFrom('installation_secrets').select(['name', 'value']).execute();
      expect(secrets.map((s) => [s.name, s.value.length])).toEqual([['attempt-keys', 64]]);
      const hmac = createHmac('sha256', Buffer.from(secrets[0].value, 'hex')).update('203.0.113.9').digest('hex');
      expect(hashes).toEqual([hmac, hmac]);
      expect(hmac).not.toBe(createHash('sha256').update('203.0.113.9').digest('hex'));
      expect(await b.isBlocked('203.0.113.9', 2)).toBe(true);
      // Read once per process: a limiter keeps hashing with the secret it read (a new one would count nothing).
      await deps.db.deleteFrom('installation_secrets').execute();
      expect(await a.isBlocked('203.0.113.9', 2)).toBe(true);
    } finally {
      await second.destroy();
    }
  });
});
