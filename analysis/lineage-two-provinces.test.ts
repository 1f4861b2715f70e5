/**
 * Year on year across the 2025 merger of An Giang and Kiên Giang (server/demo/an-giang-2025):
 * Sở Nội vụ of the merged province succeeds four departments of two provinces (SNV, SLDTBXH,
 * KG-SNV, KG-SLDTBXH), and the 102 communes are new. Last year's value is checked against a
 * computation written here from the index definition (docs/sipas-domain-reference.md s.10),
 * not through the analysis code.
 */
import fs from 'node:fs';
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../sampling/test-support.js';
import { CODES, response, responsesWithShare, settings } from './fixtures/builders.js';
import { PreviousTally } from './previous.js';
import { parsePublishedIndexes } from './published.js';
import { defaultQuestionnaire } from './questionnaire.js';
import type { AnalysisUnit, PreviousYear, PublishedRow, ResponseRecord } from './types.js';
import { computeWaveResults } from './wave-results.js';

const DIR = new URL('../server/demo/an-giang-2025/', import.meta.url);
const SNV_PREDECESSORS = ['SNV', 'SLDTBXH', 'KG-SNV', 'KG-SLDTBXH'];

/** The merged province's units with their lineage as the file gives it (empty = same code, `-` = new). */
function units2025(): AnalysisUnit[] {
  const rows = Papa.parse<Record<string, string>>(fs.readFileSync(new URL('units-2025-an-giang.csv', DIR), 'utf8'), { header: true, skipEmptyLines: true }).data;
  return rows.map((r) => ({
    code: r.unit_code,
    name: r.unit_name,
    kind: r.unit_kind as AnalysisUnit['kind'],
    predecessors: r.predecessors === '' ? null : r.predecessors === '-' ? [] : r.predecessors.split(';'),
  }));
}

function published2024(): PublishedRow[] {
  const parsed = parsePublishedIndexes(fs.readFileSync(new URL('published-2024-an-giang-kien-giang.csv', DIR), 'utf8'));
  expect(parsed.errors).toEqual([]);
  return parsed.rows;
}

/** Answers 1–5 or blank, each respondent with a leaning of their own; fixed seed. */
function varied(unitCode: string, n: number, seed: number): ResponseRecord[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => {
    const leaning = 1 + Math.floor(random() * 5);
    return response(
      unitCode,
      CODES.map(() => (random() < 0.12 ? null : Math.min(5, Math.max(1, leaning + Math.floor(random() * 3) - 1)))),
    );
  });
}

/**
 * The index by its definition: valid responses = at least half of the 16 criteria answered;
 * criterion = 100 × answers 4–5 / answers 1–5; element = mean of its criteria; unit = mean of elements.
 */
function handIndex(responses: ResponseRecord[]): { index: number; elements: Record<string, number>; valid: number } {
  const elements: Record<string, string[]> = {
    A: ['A1', 'A2', 'A3'],
    B: ['B1', 'B2', 'B3', 'B4'],
    C: ['C1', 'C2', 'C3'],
    D: ['D1', 'D2', 'D3'],
    E: ['E1', 'E2', 'E3'],
  };
  const criteria = Object.values(elements).flat();
  const valid = responses.filter((r) => criteria.filter((c) => r.answers[c] !== null).length >= criteria.length / 2);
  const criterion = (c: string) => {
    const answered = valid.filter((r) => r.answers[c] !== null);
    return (100 * answered.filter((r) => r.answers[c]! >= 4).length) / answered.length;
  };
  const byElement = Object.fromEntries(Object.entries(elements).map(([e, cs]) => [e, cs.reduce((s, c) => s + criterion(c), 0) / cs.length]));
  const values = Object.values(byElement);
  return { index: values.reduce((s, v) => s + v, 0) / values.length, elements: byElement, valid: valid.length };
}

/** Two answered criteria out of 16: invalid, so it must not count last year either. */
const invalidResponse = (unitCode: string) => response(unitCode, CODES.map((_, i) => (i < 2 ? 5 : null)));

function run(previous: PreviousYear) {
  const units = units2025();
  return computeWaveResults({
    year: 2025,
    questionnaire: defaultQuestionnaire,
    units,
    responses: units.flatMap((u, i) => responsesWithShare(u.code, 15 + (i % 10), 25)),
    previous,
    settings: settings({ minRespondents: 10 }),
  });
}

const LAST_YEAR_SIZES: Record<string, number> = { SNV: 26, SLDTBXH: 19, 'KG-SNV': 31, 'KG-SLDTBXH': 9 };

/** Last year in the system as answers: both provinces' departments (as after a migration of both databases). */
function rawLastYear(without: string[] = []): PreviousYear & { source: 'raw'; responses: ResponseRecord[] } {
  const departments = published2024().filter((r) => !without.includes(r.unitCode));
  const responses = departments.flatMap((r, i) => [...varied(r.unitCode, LAST_YEAR_SIZES[r.unitCode] ?? 20, 100 + i), invalidResponse(r.unitCode)]);
  return {
    source: 'raw',
    year: 2024,
    units: departments.map((r) => ({ code: r.unitCode, name: r.unitName, kind: 'department', predecessors: null })),
    responses,
  };
}

describe('lineage across the merger of two provinces', () => {
  it('takes last year from raw answers as the index over the union of the four predecessors\' valid responses', () => {
    const previous = rawLastYear();
    const r = run(previous);
    const snv = r.units.find((u) => u.code === 'SNV')!;
    const union = previous.responses.filter((x) => SNV_PREDECESSORS.includes(x.unitCode));
    const hand = handIndex(union);
    expect(hand.valid).toBe(26 + 19 + 31 + 9);
    expect(snv.predecessorsUsed).toEqual(SNV_PREDECESSORS);
    expect(snv.prevRespondents).toBe(hand.valid);
    expect(snv.prevIndex).toBeCloseTo(hand.index, 10);
    for (const [element, value] of Object.entries(hand.elements)) expect(snv.prevElements![element]).toBeCloseTo(value, 10);
    expect(snv.delta).toBeCloseTo(snv.index! - hand.index, 10);
    expect(snv.deltaTest).toBe('raw');
    // Pooled, not averaged: the mean of the four departments' own indexes is another number.
    const meanOfFour = SNV_PREDECESSORS.map((c) => handIndex(previous.responses.filter((x) => x.unitCode === c)).index).reduce((s, v) => s + v, 0) / 4;
    expect(Math.abs(meanOfFour - hand.index)).toBeGreaterThan(0.01);
    expect(r.warnings.filter((w) => w.includes('tiền thân'))).toEqual([]);
  });

  it('gives the same results when last year is tallied as it is read (PreviousTally), frame sizes bound after the pass', () => {
    const asRead = rawLastYear();
    // Frame sizes known only once every answer was seen (the server's case), so the finite population correction applies.
    const units = asRead.units.map((u, i) => ({ ...u, frameSize: 200 + 10 * i }));
    const tally = new PreviousTally(2024, asRead.units, defaultQuestionnaire, settings({ minRespondents: 10 }));
    for (const response of asRead.responses) tally.add(response);
    const tallied = run(tally.previousYear(units, defaultQuestionnaire));
    expect(tallied).toEqual(run({ ...asRead, units }));
    // The frame sizes count: without them last year's intervals are wider.
    const snv = tallied.units.find((u) => u.code === 'SNV')!;
    expect(snv.prevIndex).not.toBeNull();
    expect(run(asRead).units.find((u) => u.code === 'SNV')).not.toEqual(snv);
    expect(() => tally.previousYear(units.slice(1), defaultQuestionnaire)).toThrow('PreviousTally: not the units the tally was started with');
  });

  it('takes last year from the published tables of both provinces as the respondent-weighted mean, tested as published', () => {
    const r = run({ source: 'published', year: 2024, rows: published2024() });
    const snv = r.units.find((u) => u.code === 'SNV')!;
    // From the file: SNV 89,64 (26), SLDTBXH 93,15 (25), KG-SNV 86,11 (30), KG-SLDTBXH 93,77 (30).
    const expected = (89.64 * 26 + 93.15 * 25 + 86.11 * 30 + 93.77 * 30) / (26 + 25 + 30 + 30);
    expect(snv.prevIndex).toBeCloseTo(expected, 10);
    expect(snv.prevRespondents).toBe(111);
    expect(snv.predecessorsUsed).toEqual(SNV_PREDECESSORS);
    expect(snv.deltaTest).toBe('published');
    expect(snv.significant).not.toBeNull();
    expect(snv.deltaLow!).toBeLessThan(snv.delta!);
    expect(snv.deltaHigh!).toBeGreaterThan(snv.delta!);
    // Three predecessors, one of them (KG-SDL) with no namesake in the new province.
    const culture = r.units.find((u) => u.code === 'SVHTTDL')!;
    expect(culture.prevIndex).toBeCloseTo((87.97 * 25 + 85.41 * 30 + 86.36 * 30) / 85, 10);
    // Last year's department average is over last year's 35 departments of both provinces.
    const rows = published2024();
    expect(r.groups.find((g) => g.kind === 'department')!.prevAverage).toBeCloseTo(rows.reduce((s, x) => s + x.index, 0) / rows.length, 10);
    expect(r.warnings.filter((w) => w.includes('tiền thân'))).toEqual([]);
  });

  it('warns about a predecessor missing from last year\'s table and pools the others', () => {
    const rows = published2024().filter((x) => x.unitCode !== 'KG-SLDTBXH');
    const r = run({ source: 'published', year: 2024, rows });
    const snv = r.units.find((u) => u.code === 'SNV')!;
    expect(r.warnings).toContain('SNV: không có số liệu năm 2024 của đơn vị tiền thân KG-SLDTBXH (tính gộp từ các đơn vị còn lại)');
    expect(snv.predecessorsUsed).toEqual(['SNV', 'SLDTBXH', 'KG-SNV']);
    expect(snv.prevIndex).toBeCloseTo((89.64 * 26 + 93.15 * 25 + 86.11 * 30) / 81, 10);
    expect(snv.isNew).toBe(false);
  });

  it('warns about a predecessor missing from last year\'s answers and pools the others\' answers', () => {
    const previous = rawLastYear(['KG-SNV']);
    const r = run(previous);
    const snv = r.units.find((u) => u.code === 'SNV')!;
    expect(r.warnings).toContain('SNV: không có số liệu năm 2024 của đơn vị tiền thân KG-SNV (tính gộp từ các đơn vị còn lại)');
    const hand = handIndex(previous.responses.filter((x) => ['SNV', 'SLDTBXH', 'KG-SLDTBXH'].includes(x.unitCode)));
    expect(snv.predecessorsUsed).toEqual(['SNV', 'SLDTBXH', 'KG-SLDTBXH']);
    expect(snv.prevRespondents).toBe(26 + 19 + 9);
    expect(snv.prevIndex).toBeCloseTo(hand.index, 10);
  });

  it('counts a predecessor with no valid answer last year as missing, not as pooled', () => {
    const previous = rawLastYear();
    previous.responses = previous.responses.filter((x) => x.unitCode !== 'KG-SLDTBXH').concat(invalidResponse('KG-SLDTBXH'));
    const snv = run(previous);
    expect(snv.warnings).toContain('SNV: không có số liệu năm 2024 của đơn vị tiền thân KG-SLDTBXH (tính gộp từ các đơn vị còn lại)');
    expect(snv.units.find((u) => u.code === 'SNV')!.predecessorsUsed).toEqual(['SNV', 'SLDTBXH', 'KG-SNV']);
  });

  it('shows the communes and the new department as "mới": no last year, no delta', () => {
    for (const previous of [rawLastYear(), { source: 'published' as const, year: 2024, rows: published2024() }]) {
      const r = run(previous);
      const fresh = r.units.filter((u) => u.isNew);
      expect(fresh.map((u) => u.code).sort()).toEqual(units2025().filter((u) => u.predecessors?.length === 0).map((u) => u.code).sort());
      expect(fresh).toHaveLength(103);
      for (const u of fresh) expect([u.prevIndex, u.delta, u.deltaTest, u.significant, u.predecessorsUsed]).toEqual([null, null, null, null, []]);
      expect(r.groups.find((g) => g.kind === 'commune')).toMatchObject({ new: 102, rising: 0, falling: 0, prevAverage: null });
      expect(r.units.filter((u) => u.kind === 'department' && !u.isNew).every((u) => u.delta !== null)).toBe(true);
    }
  });
});
