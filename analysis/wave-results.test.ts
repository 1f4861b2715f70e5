import { describe, expect, it, vi } from 'vitest';
import { CODES, response, responsesWithShare, settings, unit } from './fixtures/builders.js';
import { defaultQuestionnaire } from './questionnaire.js';
import type { AnalysisUnit, PreviousYear, ResponseRecord, TrackingInput } from './types.js';
import { bandOf } from './unit-results.js';
import { computeWaveResults } from './wave-results.js';

// Counts each respondent's answers added to or taken from a unit's counts, so the scale test can
// check that the work grows linearly with the responses without reading the clock.
const work = vi.hoisted(() => ({ addRespondent: 0 }));
vi.mock('./scoring.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./scoring.js')>();
  return {
    ...actual,
    addRespondent: (...args: Parameters<typeof actual.addRespondent>) => {
      work.addRespondent++;
      actual.addRespondent(...args);
    },
  };
});

function run(
  units: AnalysisUnit[],
  responses: ResponseRecord[],
  previous: PreviousYear = null,
  extra: { minRespondents?: number; tracking?: TrackingInput[] } = {},
) {
  return computeWaveResults({
    year: 2024,
    questionnaire: defaultQuestionnaire,
    units,
    responses,
    previous,
    settings: settings({ minRespondents: extra.minRespondents ?? 1 }),
    tracking: extra.tracking,
  });
}

const published = (rows: [string, number, number | null][], kind?: 'department' | 'district'): PreviousYear => ({
  source: 'published',
  year: 2023,
  rows: rows.map(([unitCode, index, respondents]) => ({
    unitCode,
    unitName: unitCode,
    index,
    respondents,
    ...(kind ? { unitKind: kind } : {}),
  })),
});

describe('unit and group results', () => {
  const r = run(
    [unit('B'), unit('A'), unit('H1', 'district')],
    [...responsesWithShare('A', 9, 10), ...responsesWithShare('B', 17, 20), ...responsesWithShare('H1', 3, 4)],
  );

  it('sorts units by kind, then code', () => {
    expect(r.units.map((u) => u.code)).toEqual(['A', 'B', 'H1']);
  });

  it('gives group average = mean of unit indexes and PAR points = index × max / 100', () => {
    const a = r.units[0];
    expect(a.index).toBe(90);
    expect(r.units[1].index).toBeCloseTo(85, 12);
    expect(a.parPoints).toBeCloseTo(28.8, 12);
    const dep = r.groups.find((g) => g.kind === 'department')!;
    expect(dep.average).toBeCloseTo(87.5, 12);
    expect(dep.parPoints).toBeCloseTo(28, 12);
    expect(dep.respondents).toBe(30);
    expect(r.groups.map((g) => g.kind)).toEqual(['department', 'district']);
  });

  it('puts exactly 90.00 in the top band (unrounded comparison)', () => {
    expect(r.units[0].band).toBe('high');
    expect(r.groups[0].atOrAbove90).toBe(1);
    const s = settings();
    expect(bandOf(89.99999, s)).toBe('mid');
    expect(bandOf(80, s)).toBe('mid');
    expect(bandOf(79.999, s)).toBe('low');
  });

  it('reports per-criterion indexes per unit, per kind and overall', () => {
    const a1 = r.criteria.find((c) => c.code === 'A1')!;
    expect(a1.units).toEqual({ A: 90, B: 85, H1: 75 });
    expect(a1.byKind.department).toBeCloseTo(87.5, 12);
    expect(a1.overall).toBeCloseTo(250 / 3, 12);
    expect(a1.pooled).toBeCloseTo((100 * 29) / 34, 12);
  });
});

describe('ranks', () => {
  it('lets ties share a rank (1, 2, 2, 4) within each kind', () => {
    const r = run(
      [unit('P'), unit('Q'), unit('R'), unit('S'), unit('D1', 'district')],
      [
        ...responsesWithShare('P', 10, 10),
        ...responsesWithShare('Q', 8, 10),
        ...responsesWithShare('R', 4, 5),
        ...responsesWithShare('S', 7, 10),
        ...responsesWithShare('D1', 1, 10),
      ],
    );
    expect(r.units.map((u) => [u.code, u.rank])).toEqual([
      ['P', 1],
      ['Q', 2],
      ['R', 2],
      ['S', 4],
      ['D1', 1],
    ]);
  });

  it('flags units below the minimum and leaves them unranked, without a gap for the others', () => {
    const r = run(
      [unit('P'), unit('Q'), unit('R')],
      [...responsesWithShare('P', 9, 10), ...responsesWithShare('Q', 3, 3), ...responsesWithShare('R', 8, 10)],
      null,
      { minRespondents: 10 },
    );
    const q = r.units.find((u) => u.code === 'Q')!;
    expect(q.belowMinimum).toBe(true);
    expect(q.rank).toBeNull();
    expect(q.index).toBe(100);
    expect(r.units.map((u) => u.rank)).toEqual([1, null, 2]);
    expect(r.groups[0].belowMinimum).toBe(1);
  });

  it('gives a unit without valid responses no index, band or rank', () => {
    const r = run([unit('P'), unit('Z')], responsesWithShare('P', 9, 10));
    const z = r.units[1];
    expect([z.index, z.band, z.rank, z.parPoints, z.ciLow]).toEqual([null, null, null, null, null]);
    expect(r.groups[0].unitsWithIndex).toBe(1);
    expect(r.groups[0].average).toBe(90);
  });
});

describe('validity and data problems', () => {
  it('excludes invalid responses from the index and counts them', () => {
    const invalid = response('P', CODES.map((_, i) => (i < 7 ? 1 : null)));
    const r = run([unit('P')], [...responsesWithShare('P', 9, 10), invalid, invalid]);
    expect(r.units[0].respondents).toBe(10);
    expect(r.units[0].invalidResponses).toBe(2);
    expect(r.units[0].index).toBe(90);
    expect(r.excluded).toEqual({ invalid: 2, unknownUnit: 0 });
  });

  it('counts responses of units not in the wave and warns', () => {
    const r = run([unit('P')], [...responsesWithShare('P', 9, 10), response('NOPE', 4)]);
    expect(r.excluded.unknownUnit).toBe(1);
    expect(r.warnings.join()).toContain('NOPE');
  });

  it('rejects duplicate unit codes and invalid questionnaires', () => {
    expect(() => run([unit('P'), unit('P')], [])).toThrow(/trùng/);
    expect(() =>
      computeWaveResults({
        year: 2024,
        questionnaire: { ...defaultQuestionnaire, elements: [] },
        units: [],
        responses: [],
        previous: null,
        settings: settings(),
      }),
    ).toThrow(/không hợp lệ/);
  });
});

describe('year on year through lineage', () => {
  it('uses last year’s unit with the same code when no lineage is given', () => {
    const r = run([unit('P')], responsesWithShare('P', 9, 10), published([['P', 85, 25]]));
    expect(r.units[0].prevIndex).toBe(85);
    expect(r.units[0].delta).toBeCloseTo(5, 12);
    expect(r.units[0].isNew).toBe(false);
    expect(r.units[0].predecessorsUsed).toEqual(['P']);
  });

  it('pools merged units from published figures, weighted by respondents', () => {
    const r = run([unit('M', 'department', ['X', 'Y'])], responsesWithShare('M', 9, 10), published([['X', 80, 10], ['Y', 90, 30]]));
    expect(r.units[0].prevIndex).toBeCloseTo((80 * 10 + 90 * 30) / 40, 12);
    expect(r.units[0].prevRespondents).toBe(40);
  });

  it('falls back to an unweighted mean when any predecessor’s respondents are unknown', () => {
    const r = run([unit('M', 'department', ['X', 'Y'])], responsesWithShare('M', 9, 10), published([['X', 80, 10], ['Y', 90, null]]));
    expect(r.units[0].prevIndex).toBe(85);
    expect(r.units[0].prevRespondents).toBeNull();
  });

  it('pools merged units from raw answers over the union of their respondents', () => {
    // X: 2 of 4 satisfied, Y: 6 of 6 → pooled 8 of 10 = 80 (a mean of the two indexes would say 75).
    const previous: PreviousYear = {
      source: 'raw',
      year: 2023,
      units: [unit('X'), unit('Y'), unit('W')],
      responses: [...responsesWithShare('X', 2, 4), ...responsesWithShare('Y', 6, 6), ...responsesWithShare('W', 5, 10)],
    };
    const r = run([unit('M', 'department', ['X', 'Y']), unit('W')], [...responsesWithShare('M', 9, 10), ...responsesWithShare('W', 6, 10)], previous);
    const m = r.units.find((u) => u.code === 'M')!;
    expect(m.prevIndex).toBeCloseTo(80, 12);
    expect(m.prevRespondents).toBe(10);
    expect(m.prevElements).toEqual({ A: 80, B: 80, C: 80, D: 80, E: 80 });
    expect(m.delta).toBeCloseTo(10, 12);
    // Pooled SE = jackknife on the 10 pooled answers: scores 100 ×8, 0 ×2 → stdev/√n.
    const scores = [...Array(8).fill(100), 0, 0];
    const meanScore = 80;
    const sd = Math.sqrt(scores.reduce((s, x) => s + (x - meanScore) ** 2, 0) / 9);
    expect(m.prevSe).toBeCloseTo(sd / Math.sqrt(10), 10);
    // Last year's group average is over last year's own units: (50 + 100 + 50) / 3.
    expect(r.groups[0].prevAverage).toBeCloseTo(200 / 3, 12);
  });

  it('pools raw predecessors exactly as a merged unit computed directly would be', () => {
    const answersX = [response('X', [4, 3, null, 5, 5, 2, 4, 4, 4, 1, 5, 4, 4, null, 3, 5]), response('X', 4)];
    const answersY = [response('Y', [2, 2, 4, 5, null, 4, 4, 4, 3, 3, 5, 4, 4, 4, 4, null]), response('Y', 3)];
    const previous: PreviousYear = { source: 'raw', year: 2023, units: [unit('X'), unit('Y')], responses: [...answersX, ...answersY] };
    const merged = run([unit('M', 'department', ['X', 'Y'])], responsesWithShare('M', 9, 10), previous).units[0];
    const direct = run([unit('M')], [...answersX, ...answersY].map((a) => ({ ...a, unitCode: 'M' }))).units[0];
    expect(merged.prevIndex).toBeCloseTo(direct.index!, 12);
    expect(merged.prevSe).toBeCloseTo(direct.se!, 12);
  });

  it('marks units with no predecessor as new: no delta, counted as new', () => {
    const r = run(
      [unit('N', 'department', []), unit('Q'), unit('P')],
      [...responsesWithShare('N', 9, 10), ...responsesWithShare('Q', 9, 10), ...responsesWithShare('P', 9, 10)],
      published([['P', 80, 25]]),
    );
    const [n, p, q] = r.units.map((u) => u);
    expect([n.code, n.isNew, n.delta, n.significant]).toEqual(['N', true, null, null]);
    expect([q.code, q.isNew, q.delta]).toEqual(['Q', true, null]);
    expect(p.isNew).toBe(false);
    expect(r.groups[0].new).toBe(2);
    expect(r.groups[0].rising).toBe(1);
  });

  it('pools the predecessors found and warns about missing ones', () => {
    const r = run([unit('M', 'department', ['X', 'GONE'])], responsesWithShare('M', 9, 10), published([['X', 80, 10]]));
    expect(r.units[0].prevIndex).toBe(80);
    expect(r.warnings.join()).toContain('GONE');
    const none = run([unit('M', 'department', ['GONE'])], responsesWithShare('M', 9, 10), published([['X', 80, 10]]));
    expect(none.units[0].isNew).toBe(true);
  });

  it('has no delta and no "new" flag when there is no previous year at all', () => {
    const r = run([unit('P')], responsesWithShare('P', 9, 10));
    expect([r.units[0].delta, r.units[0].isNew, r.groups[0].prevAverage]).toEqual([null, false, null]);
  });

  it('counts rising, falling and unchanged (|Δ| < 0.005, i.e. shown as 0,00)', () => {
    const r = run(
      [unit('A'), unit('B'), unit('C'), unit('D')],
      ['A', 'B', 'C', 'D'].flatMap((c) => responsesWithShare(c, 9, 10)),
      published([
        ['A', 89.996, 10],
        ['B', 90, 10],
        ['C', 89.99, 10],
        ['D', 90.01, 10],
      ]),
    );
    expect(r.groups[0]).toMatchObject({ rising: 1, falling: 1, unchanged: 2 });
  });

  it('takes last year’s group average over last year’s units of the kind, including units without successor', () => {
    const prev = published([['P', 80, 10], ['GONE', 70, 10]]);
    (prev as { rows: { unitKind?: string }[] }).rows[1].unitKind = 'department';
    const r = run([unit('P'), unit('D1', 'district')], [...responsesWithShare('P', 9, 10), ...responsesWithShare('D1', 9, 10)], prev);
    expect(r.groups[0].prevAverage).toBe(75);
    expect(r.groups[0].delta).toBeCloseTo(15, 12);
    expect(r.groups[1].prevAverage).toBeNull();
  });

  it('against published figures, gives last year this year’s design effect at last year’s respondent count', () => {
    // 25 respondents, 20 satisfied with everything and 5 with nothing: index 80, yes/no answers, so
    // the design effect is about 1 and last year's 25 published answers weigh like 25 yes/no answers.
    // A 30-point change is significant, a 10-point one is not; without a count there is no test.
    const r = run(
      [unit('A'), unit('B'), unit('C')],
      [...responsesWithShare('A', 20, 25), ...responsesWithShare('B', 20, 25), ...responsesWithShare('C', 20, 25)],
      published([['A', 50, 25], ['B', 70, 25], ['C', 50, null]]),
    );
    const sd = Math.sqrt((20 * 20 ** 2 + 5 * 80 ** 2) / 24);
    expect(r.units[0].se).toBeCloseTo(sd / 5, 10);
    expect(r.units.map((u) => u.significant)).toEqual([true, false, null]);
    expect(r.units.map((u) => u.deltaTest)).toEqual(['published', 'published', 'untestable']);
    expect(r.units[1].deltaLow!).toBeLessThan(0);
    expect(r.units[1].deltaHigh!).toBeGreaterThan(10);
  });
});

describe('tracking, profile and channels', () => {
  const responses = [
    response('P', 4, 'paper', { gender: 'nam', priorities: ['cong_khai', 'thai_do'] }),
    response('P', 3, 'qr', { gender: 'nu', priorities: ['cong_khai'] }),
    response('P', 4, 'qr', { gender: null, priorities: [], age_band: 'sai_ma' }),
    response('D1', 5, 'import', { gender: 'nu' }),
    response('P', null, 'paper', { gender: 'nam' }),
  ];

  it('derives returns from the responses when no tracking input is given', () => {
    const r = run([unit('P'), unit('D1', 'district')], responses);
    expect(r.tracking.rows[0]).toMatchObject({ unitCode: 'P', planned: null, paperReturned: 2, qrAnswered: 2, returned: 4, imported: 0, counted: 3, valid: null });
    expect(r.tracking.total).toMatchObject({ planned: null, returned: 4, imported: 1, counted: 4, rates: { plan: null, response: null, contact: null, refusal: null } });
  });

  it('uses collection figures when given: the plan is the draw\'s, rows from outside the list are apart, no rate passes 100 %', () => {
    const t = (unitCode: string, over: Partial<TrackingInput> = {}): TrackingInput => ({
      unitCode,
      planned: 25,
      shortfall: 0,
      drawn: 30,
      released: 27,
      dispatched: 27,
      undeliverable: 1,
      refused: 1,
      paperReturned: 20,
      qrAnswered: 2,
      responded: 22,
      refusals: 1,
      valid: 21,
      filled: 21,
      imported: 0,
      importedValid: 0,
      ...over,
    });
    // D1: a frame of 10 for a plan of 25, and 12 anonymous rows imported for it (11 valid).
    const small = t('D1', { shortfall: 15, drawn: 10, released: 10, dispatched: 10, undeliverable: 0, refused: 0, paperReturned: 9, qrAnswered: 0, responded: 9, refusals: 0, valid: 9, filled: 9, imported: 12, importedValid: 11 });
    const r = run([unit('P'), unit('D1', 'district')], responses, null, { tracking: [t('P'), small, t('ZZ')] });
    const [p, d1] = r.tracking.rows;
    expect(p.rates.plan).toBeCloseTo(84, 12);
    expect(p.rates.response).toBeCloseTo((100 * 21) / 27, 12);
    expect(p.rates.contact).toBeCloseTo((100 * 23) / 27, 12);
    expect(p.rates.refusal).toBeCloseTo(100 / 27, 12);
    expect(d1).toMatchObject({ planned: 25, shortfall: 15, valid: 9, imported: 12, importedValid: 11 });
    expect(d1.rates.plan).toBeCloseTo(36, 12);
    expect(d1.rates.response).toBeCloseTo(90, 12);
    expect(r.tracking.total).toMatchObject({ planned: 50, shortfall: 15, released: 37, returned: 31, valid: 30, filled: 30, imported: 12, importedValid: 11, counted: 4 });
    expect(r.tracking.total.rates.plan).toBeCloseTo(60, 12);
    expect(r.warnings.join()).toContain('ZZ');
  });

  it('tabulates the profile of valid respondents per option, overall and per kind', () => {
    const r = run([unit('P'), unit('D1', 'district')], responses);
    const gender = r.profile.find((p) => p.item === 'gender')!;
    expect(gender.base).toEqual({ overall: 4, byKind: { department: 3, district: 1 } });
    expect(gender.rows.map((x) => [x.option, x.overall])).toEqual([
      ['nam', 1],
      ['nu', 2],
      [null, 1],
    ]);
    expect(gender.rows[1].byKind).toEqual({ department: 1, district: 1 });
    const priorities = r.profile.find((p) => p.item === 'priorities')!;
    expect(priorities.multi).toBe(true);
    expect(priorities.rows.find((x) => x.option === 'cong_khai')!.overall).toBe(2);
    expect(priorities.rows.find((x) => x.option === null)!.overall).toBe(2);
    const age = r.profile.find((p) => p.item === 'age_band')!;
    expect(age.rows.find((x) => x.option === 'sai_ma')!.overall).toBe(1);
    expect(r.profile.some((p) => p.item === 'comment')).toBe(false);
  });

  it('computes the index per response channel', () => {
    const r = run([unit('P'), unit('D1', 'district')], responses);
    expect(r.byChannel[0].channels).toEqual({
      paper: { respondents: 1, index: 100 },
      qr: { respondents: 2, index: 50 },
      import: { respondents: 0, index: null },
    });
    expect(r.byChannel[1].channels.import).toEqual({ respondents: 1, index: 100 });
  });
});

describe('scale', () => {
  it('computes a 100,000-response wave over 28 units in linear time', () => {
    const units = Array.from({ length: 28 }, (_, i) => unit(`U${i}`, i < 17 ? 'department' : 'district'));
    const responses: ResponseRecord[] = [];
    for (let i = 0; i < 100_000; i++) {
      responses.push(response(`U${i % 28}`, CODES.map((_, c) => ((i * 7 + c * 3) % 11 === 0 ? null : 1 + ((i + c) % 5)))));
    }
    work.addRespondent = 0;
    const r = run(units, responses);
    // Counted, not timed: each response is added to its unit, channel and groups, and the jackknife takes each
    // out and back once (a few calls per response); recomputing every leave-one-out index from scratch would take
    // n²/28 ≈ 3.6·10⁸ calls (minutes).
    expect(work.addRespondent).toBeGreaterThanOrEqual(100_000);
    expect(work.addRespondent).toBeLessThanOrEqual(10 * 100_000);
    expect(r.units.reduce((s, u) => s + u.respondents, 0)).toBe(100_000);
    expect(r.units.every((u) => u.se !== null && u.se > 0)).toBe(true);
  });
});
