import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { criterionCodes, defaultQuestionnaire } from '../../../analysis';
import { createTestDeps } from '../../../test/support/test-deps';
import type { Db } from '../../db/connect';
import { readTransaction } from '../../db/unit-of-work';
import { replaceUnits, type Unit } from '../../repositories/units';
import { findWave, updateWaveSettings } from '../../repositories/waves';
import { createWave } from '../waves/waves';
import { analyseWave, type KeptTallies } from './wave-results';

const YEAR = 2025;
const UNITS: Unit[] = Array.from({ length: 5 }, (_, i) => ({ code: `U${i}`, name: `Đơn vị ${i}`, kind: i < 3 ? 'department' : 'district', predecessors: null }));
const items = criterionCodes(defaultQuestionnaire);

/**
 * `count` seeded responses of `year`: counted, invalid and review states, blank answers, an
 * unknown unit. With `firstId`, the ids from it on (a response committed out of id order).
 */
async function addResponses(db: Db, year: number, count: number, seed: number, firstId?: number): Promise<void> {
  let state = seed;
  const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  const rows = Array.from({ length: count }, (_, i) => ({
    ...(firstId === undefined ? {} : { id: firstId + i }),
    wave_year: year,
    questionnaire_id: null,
    unit_code: i % 41 === 40 ? 'ZZ' : UNITS[Math.floor(random() * UNITS.length)].code,
    channel: (['paper', 'qr', 'import'] as const)[i % 3],
    state: (i % 11 === 0 ? 'invalid' : i % 13 === 0 ? 'review' : 'counted') as 'invalid' | 'review' | 'counted',
    profile: JSON.stringify({ gender: random() < 0.5 ? 'nam' : 'nu' }),
    answers_json: JSON.stringify(Object.fromEntries(items.map((item) => [item, random() < 0.15 ? null : 1 + Math.floor(random() * 5)]))),
    comment: null,
    created_at: `${year}-06-01T00:00:00.000Z`,
    entered_by: 'test',
    note: null,
  }));
  await db.insertInto('responses').values(rows).execute();
}

/**
 * The results' thread keeps each wave's pass over its responses and, while nothing but new
 * responses arrived, only reads those (wave-results.ts, KeptTally). Whatever it does, the results
 * must be those of a computation from nothing at the same moment.
 */
describe('a kept pass over the responses', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  const kept: KeptTallies = new Map();

  /** The results computed with the kept pass, checked against a computation from nothing. */
  const analyse = async () => {
    const carried = await readTransaction(deps.db, (trx) => analyseWave(trx, YEAR, kept));
    const fresh = await readTransaction(deps.db, (trx) => analyseWave(trx, YEAR));
    expect(carried.results).toEqual(fresh.results);
    return carried.results;
  };
  const respondents = async () => (await analyse()).units.reduce((sum, u) => sum + u.respondents, 0);

  beforeEach(async () => {
    kept.clear();
    deps = await createTestDeps();
    for (const year of [YEAR - 1, YEAR]) {
      await createWave(deps.db, { year, actor: 'test' });
      await replaceUnits(deps.db, year, UNITS);
    }
    // Last year's raw answers give the deltas: the kept pass keeps them too.
    await addResponses(deps.db, YEAR - 1, 150, 2024);
    await addResponses(deps.db, YEAR, 300, 2025);
  });
  afterEach(() => deps.cleanup());

  it('is carried on while only responses arrive, and reads only those', async () => {
    const before = await respondents();
    const pass = kept.get(YEAR)!;
    expect(pass.pass.responses).toBeGreaterThan(250);
    expect((await analyse()).units.some((u) => u.prevIndex !== null)).toBe(true);

    await addResponses(deps.db, YEAR, 80, 7);
    const after = await respondents();
    expect(kept.get(YEAR)).toBe(pass);
    expect(after).toBeGreaterThan(before);
    const { n } = await deps.db
      .selectFrom('responses')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('wave_year', '=', YEAR)
      .where('state', 'in', ['counted', 'invalid'])
      .executeTakeFirstOrThrow();
    expect(pass.pass.responses).toBe(Number(n));
  });

  const lastId = async () => Number((await sql<{ id: number }>`select max(id) as id from responses`.execute(deps.db)).rows[0].id);

  /** Each change but a new response: the next computation starts over, and shows it. */
  const changes: [string, () => Promise<unknown>][] = [
    ['a response edited by hand', async () => sql`update responses set answers_json = ${JSON.stringify(Object.fromEntries(items.map((i) => [i, 1])))} where id = (select min(id) from responses where wave_year = ${YEAR} and state = 'counted')`.execute(deps.db)],
    ['a response deleted by hand', async () => sql`delete from responses where id = (select min(id) from responses where wave_year = ${YEAR} and state = 'counted')`.execute(deps.db)],
    [
      "the wave's validity rule",
      async () => {
        const { settings } = (await findWave(deps.db, YEAR))!;
        await updateWaveSettings(deps.db, YEAR, { ...settings, validity: { ...settings.validity, minAnsweredShare: 0.95 } });
      },
    ],
    ["the wave's units (one removed)", async () => replaceUnits(deps.db, YEAR, UNITS.slice(1))],
    ["last year's answers", async () => addResponses(deps.db, YEAR - 1, 20, 99)],
    // On PostgreSQL a response can commit after one with a greater id that a computation has read.
    [
      'a response committed after one with a greater id',
      async () => {
        const gap = (await lastId()) + 1;
        await addResponses(deps.db, YEAR, 1, 5, gap + 10);
        await analyse();
        expect(kept.get(YEAR)!.pass.lastId).toBe(gap + 10);
        await addResponses(deps.db, YEAR, 5, 6, gap);
      },
    ],
  ];

  it.each(changes)('starts over after %s', async (_, change) => {
    const first = await analyse();
    const pass = kept.get(YEAR);
    await change();
    const next = await analyse();
    expect(kept.get(YEAR)).not.toBe(pass);
    expect(next).not.toEqual(first);
  });
});
