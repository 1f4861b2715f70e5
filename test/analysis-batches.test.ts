import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { criterionCodes, defaultQuestionnaire, isValidResponse, type ResponseRecord } from '../analysis';
import { computeWaveResults } from '../analysis/wave-results';
import { readTransaction } from '../server/db/unit-of-work';
import { listResponses, RESPONSE_BATCH } from '../server/repositories/responses';
import { listUnits, replaceUnits, type Unit } from '../server/repositories/units';
import { analyseWave } from '../server/services/results/wave-results';
import { createWave } from '../server/services/waves/waves';
import { createTestDeps } from './support/test-deps';

const YEAR = 2025;
const UNITS: Unit[] = Array.from({ length: 7 }, (_, i) => ({ code: `U${i}`, name: `Đơn vị ${i}`, kind: i < 4 ? 'department' : 'district', predecessors: null }));

/**
 * analyseWave reads a wave's responses in batches (RESPONSE_BATCH) and keeps none of them; the
 * results must be those of the whole list computed at once, whatever falls on a batch boundary.
 */
describe('wave results read in batches', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  beforeEach(async () => {
    deps = await createTestDeps();
    await createWave(deps.db, { year: YEAR, actor: 'test' });
    await replaceUnits(deps.db, YEAR, UNITS);
  });
  afterEach(() => deps.cleanup());

  /** Two and a half batches: counted, invalid and review states, blanks, an unknown unit, multi-choice and free-text profile keys. */
  async function seed(count: number): Promise<void> {
    let state = 2025;
    const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
    const items = criterionCodes(defaultQuestionnaire);
    const rows = Array.from({ length: count }, (_, i) => {
      const blanks = random() < 0.1 ? 10 : 0;
      const answers = Object.fromEntries(items.map((item, k) => [item, k < blanks || random() < 0.05 ? null : 1 + Math.floor(random() * 5)]));
      const profile = i % 7 === 0 ? { procedure_channel: ['truc_tiep', 'mot_phan'], ghi_chu: 'tên người' } : { gender: random() < 0.5 ? 'nam' : 'nu', age_band: null };
      return {
        wave_year: YEAR,
        questionnaire_id: null,
        unit_code: i % 997 === 0 ? 'ZZ' : UNITS[Math.floor(random() * UNITS.length)].code,
        channel: (['paper', 'qr', 'import'] as const)[i % 3],
        state: (i % 11 === 0 ? 'invalid' : i % 13 === 0 ? 'review' : 'counted') as 'invalid' | 'review' | 'counted',
        profile: JSON.stringify(profile),
        answers_json: JSON.stringify(answers),
        comment: null,
        created_at: '2025-06-01T00:00:00.000Z',
        entered_by: 'test',
        note: null,
      };
    });
    for (let k = 0; k < rows.length; k += 1000) await deps.db.insertInto('responses').values(rows.slice(k, k + 1000)).execute();
  }

  // Seeded, analysed and listed: more than the default time limit on a loaded machine.
  it('gives the results of all responses computed at once', async () => {
    await seed(Math.floor(2.5 * RESPONSE_BATCH));
    const { results } = await readTransaction(deps.db, (trx) => analyseWave(trx, YEAR));

    const stored = await listResponses(deps.db, YEAR, ['counted', 'invalid']);
    const choiceItems = new Set(defaultQuestionnaire.profile.map((p) => p.code));
    const records: ResponseRecord[] = stored.map((r) => ({
      unitCode: r.unitCode,
      channel: r.channel,
      answers: r.answers,
      profile: Object.fromEntries(Object.entries(r.profile).filter(([code]) => choiceItems.has(code))),
    }));
    const settings = results.settings;
    const units = (await listUnits(deps.db, YEAR)).map(({ code, name, kind, predecessors }) => ({ code, name, kind, predecessors }));
    const expected = computeWaveResults({ year: YEAR, questionnaire: defaultQuestionnaire, units, responses: records, previous: null, settings });

    expect(stored.length).toBeGreaterThan(2 * RESPONSE_BATCH);
    expect(results.excluded).toEqual(expected.excluded);
    expect(results.excluded.unknownUnit).toBeGreaterThan(0);
    expect(results.units).toEqual(expected.units);
    expect(results.groups).toEqual(expected.groups);
    expect(results.criteria).toEqual(expected.criteria);
    expect(results.profile).toEqual(expected.profile);
    expect(results.byChannel).toEqual(expected.byChannel);
    expect(results.tracking).toEqual(expected.tracking);

    // The notes on states that disagree with the current rule count over every batch.
    const valid = records.map((r) => isValidResponse(r, defaultQuestionnaire, settings));
    const countedButInvalid = stored.filter((r, i) => r.state === 'counted' && !valid[i]).length;
    const invalidButValid = stored.filter((r, i) => r.state === 'invalid' && valid[i]).length;
    expect(countedButInvalid).toBeGreaterThan(0);
    expect(invalidButValid).toBeGreaterThan(0);
    expect(results.warnings).toEqual([
      ...expected.warnings,
      `${countedButInvalid} phiếu được ghi nhận là hợp lệ khi nhập nhưng không đạt quy tắc hợp lệ hiện tại của đợt (không tính)`,
      `${invalidButValid} phiếu bị đánh dấu không hợp lệ khi nhập nhưng đạt quy tắc hợp lệ hiện tại của đợt (được tính)`,
    ]);
  }, 120_000);
});
