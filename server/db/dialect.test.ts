import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps } from '../../test/support/test-deps';
import { byteOrder } from './dialect';

describe('byteOrder', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(async () => {
    await deps.cleanup();
  });

  it('orders text by its UTF-8 bytes on either database, whatever the collation', async () => {
    // Case, accents, digits and punctuation: a Vietnamese or English collation orders these differently.
    const values = ['b', 'B', 'á', 'a', 'a-1', 'a1', '_z', 'Z', 'đ', 'e'];
    await deps.db.insertInto('audit_log').values(values.map((action) => ({ at: 'now', actor: null, action, wave_year: null, detail: '{}' }))).execute();
    const rows = await deps.db.selectFrom('audit_log').select('action').orderBy(byteOrder(deps.db, 'action')).execute();
    const bytes = [...values].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect(rows.map((r) => r.action)).toEqual(bytes);
    expect(bytes).toEqual(['B', 'Z', '_z', 'a', 'a-1', 'a1', 'b', 'e', 'á', 'đ']);
  });
});
