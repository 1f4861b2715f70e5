import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readTransaction } from '../db/unit-of-work';
import { createTestDeps } from '../../test/support/test-deps';
import { insertResponse, listResponses, responseBatches, type NewResponse, type StoredResponse } from './responses';
import { insertWave } from './waves';

/** Analysis reads a wave's responses in batches (responseBatches); the batches must add up to the plain list. */
describe('reading a wave’s responses in batches', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  beforeEach(async () => {
    deps = await createTestDeps();
    for (const year of [2023, 2024]) await insertWave(deps.db, { year, name: `SIPAS ${year}` });
  });
  afterEach(() => deps.cleanup());

  const response = (i: number, waveYear = 2024, state: NewResponse['state'] = 'counted'): NewResponse => ({
    waveYear,
    questionnaireId: null,
    unitCode: `U${i % 3}`,
    channel: 'import',
    state,
    answers: { A1: (i % 5) + 1, A2: i % 4 === 0 ? null : 4 },
    profile: { gender: i % 2 === 0 ? 'nam' : 'nu' },
    comment: `góp ý ${i}`,
    enteredBy: null,
  });

  // Responses of other waves and states interleaved with the ones read, so batches must skip them.
  async function seed(count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      await insertResponse(deps.db, response(i, 2024, i % 4 === 3 ? 'invalid' : 'counted'));
      if (i % 3 === 0) await insertResponse(deps.db, response(i, 2023));
      if (i % 5 === 0) await insertResponse(deps.db, response(i, 2024, 'review'));
    }
  }

  async function batches(size: number): Promise<StoredResponse[][]> {
    return readTransaction(deps.db, async (trx) => {
      const out: StoredResponse[][] = [];
      for await (const batch of responseBatches(trx, 2024, ['counted', 'invalid'], { batchSize: size })) out.push(batch);
      return out;
    });
  }

  it('gives every response once, in id order, in full batches but the last, whatever the batch size', async () => {
    await seed(11);
    const all = await listResponses(deps.db, 2024, ['counted', 'invalid']);
    expect(all).toHaveLength(11);
    expect(all.map((r) => r.state)).toContain('invalid');
    for (const [size, lengths] of [
      [4, [4, 4, 3]],
      [11, [11]],
      [1, Array(11).fill(1)],
      [50, [11]],
    ] as const) {
      const read = await batches(size);
      expect(read.map((b) => b.length)).toEqual(lengths);
      expect(read.flat()).toEqual(all);
    }
  });

  it('gives no batch for a wave without responses', async () => {
    await insertResponse(deps.db, response(1, 2023));
    expect(await batches(4)).toEqual([]);
  });

  it('frees the connection when the reader stops early, so the next query runs', async () => {
    await seed(9);
    for await (const batch of responseBatches(deps.db, 2024, ['counted', 'invalid'], { batchSize: 2 })) {
      expect(batch).toHaveLength(2);
      break;
    }
    await insertResponse(deps.db, response(100));
    expect(await listResponses(deps.db, 2024, ['counted', 'invalid'])).toHaveLength(10);
  });
});
