import { describe, expect, it } from 'vitest';
import { CODES, response, settings } from './fixtures/builders.js';
import { defaultQuestionnaire } from './questionnaire.js';
import { emptyCounts, encodeAnswers, IndexCalculator, isValidResponse, scoringOf, addRespondent } from './scoring.js';

const scoring = scoringOf(defaultQuestionnaire);

function indexesOf(rows: (number | null)[][]) {
  const counts = emptyCounts(CODES.length);
  const codes = new Uint8Array(CODES.length);
  for (const row of rows) {
    encodeAnswers(response('X', row).answers, scoring, codes, 0);
    addRespondent(counts, codes, 0);
  }
  const calc = new IndexCalculator(scoring);
  return { unit: calc.unitIndex(counts), elements: calc.elementIndexes(counts), counts };
}

const all = (v: number | null) => CODES.map(() => v);

describe('index formulas (SIPAS.md s.10)', () => {
  it('criterion = 100·#{4,5}/#{1..5}; element = mean of criteria; unit = mean of elements', () => {
    // A1: one of two satisfied (50), A2: 4 and 5 (100), A3: 2 and 4 (50) → A = 66.67; B…E = 100.
    const r1 = all(5);
    const r2 = all(4);
    r2[0] = 3;
    r1[2] = 2;
    const { unit, elements } = indexesOf([r1, r2]);
    expect(elements[0]).toBeCloseTo(200 / 3, 12);
    expect(elements.slice(1)).toEqual([100, 100, 100, 100]);
    expect(unit).toBeCloseTo((200 / 3 + 400) / 5, 12);
  });

  it('leaves blanks out of the denominator (not 0, not 3)', () => {
    const r1 = all(4);
    const r2 = all(2);
    r2[0] = null; // A1 answered only by the satisfied respondent → 100
    const { elements } = indexesOf([r1, r2]);
    expect(elements[0]).toBeCloseTo((100 + 50 + 50) / 3, 12);
  });

  it('leaves a criterion nobody answered out of its element, and an empty element out of the unit', () => {
    const r = all(4);
    r[1] = null; // A2
    r[13] = r[14] = r[15] = null; // E1..E3
    const row2 = all(3);
    row2[1] = null;
    row2[13] = row2[14] = row2[15] = null;
    const { elements, unit } = indexesOf([r, row2]);
    expect(elements[0]).toBe(50);
    expect(elements[4]).toBeNull();
    expect(unit).toBe(50);
  });

  it('treats values outside the 1–5 scale as blank', () => {
    const r = all(4);
    r[0] = 0;
    r[1] = 6;
    r[2] = 3.5;
    const { counts } = indexesOf([r]);
    expect([counts.ans[0], counts.ans[1], counts.ans[2], counts.ans[3]]).toEqual([0, 0, 0, 1]);
  });
});

describe('validity rule', () => {
  const s = settings();
  const answering = (k: number) => response('X', CODES.map((_, i) => (i < k ? 4 : null)));

  it('needs at least half of the 16 criteria answered', () => {
    expect(isValidResponse(answering(8), defaultQuestionnaire, s)).toBe(true);
    expect(isValidResponse(answering(7), defaultQuestionnaire, s)).toBe(false);
  });

  it('follows the configured share', () => {
    const strict = settings({ validity: { minAnsweredShare: 0.75 } });
    expect(isValidResponse(answering(12), defaultQuestionnaire, strict)).toBe(true);
    expect(isValidResponse(answering(11), defaultQuestionnaire, strict)).toBe(false);
  });

  it('never counts an empty form, even with a zero share', () => {
    expect(isValidResponse(answering(0), defaultQuestionnaire, settings({ validity: { minAnsweredShare: 0 } }))).toBe(false);
  });

  it('does not count out-of-scale values as answers', () => {
    const r = response('X', CODES.map((_, i) => (i < 8 ? (i === 0 ? 9 : 4) : null)));
    expect(isValidResponse(r, defaultQuestionnaire, s)).toBe(false);
  });
});
