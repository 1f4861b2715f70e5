import { createHash, createHmac } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { IndexCalculator, SATISFIED, UNSATISFIED, BLANK, addRespondent, criterionIndexes, emptyCounts, mean, type Scoring } from '../analysis/scoring';
import { indexInterval, jackknifeSe, Sample } from '../analysis/uncertainty';
import { drawFromIndex, drawSample, memoryScratch, sampleLines, scanFrame } from '../sampling';
import { diskFileRanges } from '../server/services/storage/disk-files';

import { makeQuestionnaireCode } from '../server/forms/questionnaire-codes';

/**
 * The test vectors of docs/phuong-phap-boc-mau.md (section 10), run through the platform's own
 * code: the document and the code must agree, and the ranks are also recomputed here with a
 * plain HMAC from the person keys the document writes out, as an auditor would.
 */

const FRAME = path.resolve(import.meta.dirname, '../docs/vectors/khung-mau-vi-du.csv');
const SEED = 'Xổ số kiến thiết An Giang, giải đặc biệt 24/08/2023 123456';
const UNITS = [
  { code: 'CMO', name: 'Huyện Chợ Mới' },
  { code: 'LXU', name: 'Thành phố Long Xuyên' },
  { code: 'STP', name: 'Sở Tư pháp' },
];
const OPTIONS = { units: UNITS, period: { from: '2023-01-01', to: '2023-12-31' }, seed: SEED, allocation: { kind: 'fixed' as const, perUnit: 3 }, reservePercent: 50 };
const line = (unitCode: string, role: 'primary' | 'reserve', rank: number, dossierCode: string) => ({ unitCode, role, rank, dossierCode });

const draw = (codeVersion?: string) => drawSample(() => createReadStream(FRAME), { ...OPTIONS, ...(codeVersion ? { codeVersion } : {}) });

describe('method document test vectors', () => {
  it('the frame file is the one the document names', () => {
    expect(createHash('sha256').update(readFileSync(FRAME)).digest('hex')).toBe('3502524d2898bc6fabc14a373caa4365351ec018fcf0fdf4c6b42976f8dba9c5');
  });

  it('method 1.2.0 draws the documented sample, linking an id written three ways (one Excel-damaged)', async () => {
    const result = await draw();
    expect(result.codeVersion).toBe('sipas-sampling-1.2.0');
    expect(result.report.eligibleByUnit).toEqual({ CMO: 6, LXU: 5, STP: 1 });
    expect(result.report).toMatchObject({ rowsRead: 19, rowsAccepted: 17, rowsRejected: 2, personsMerged: 3, ineligible: { outsidePeriod: 1, noAddress: 1, organisation: 0 } });
    expect(sampleLines(result)).toEqual([
      line('CMO', 'primary', 1, 'VD-002'),
      line('CMO', 'primary', 2, 'VD-008'),
      line('CMO', 'primary', 3, 'VD-004'),
      line('CMO', 'reserve', 1, 'VD-006'),
      line('CMO', 'reserve', 2, 'VD-009'),
      line('LXU', 'primary', 1, 'VD-014'),
      line('LXU', 'primary', 2, 'VD-013'),
      line('LXU', 'primary', 3, 'VD-011'),
      line('LXU', 'reserve', 1, 'VD-012'),
      line('LXU', 'reserve', 2, 'VD-015'),
      line('STP', 'primary', 1, 'VD-019'),
    ]);
    expect(result.units.find((u) => u.unitCode === 'STP')).toEqual({ unitCode: 'STP', eligible: 1, planned: 3, drawn: 1, reserve: 0, shortfall: 2 });
  });

  it('the draw from the index kept at import gives the same result as the draw from the file, under both method versions', async () => {
    for (const codeVersion of ['sipas-sampling-1.2.0', 'sipas-sampling-1.1.0']) {
      const { seed, allocation, reservePercent, ...frame } = OPTIONS;
      const frameRules = codeVersion === 'sipas-sampling-1.2.0' ? 2 : 1;
      const sink = memoryScratch();
      await scanFrame(createReadStream(FRAME), { ...frame, frameRules }, sink);
      const fromIndex = await drawFromIndex(sink.bytes(), diskFileRanges(FRAME), { seed, allocation, reservePercent, codeVersion });
      expect(fromIndex).toEqual(await draw(codeVersion));
    }
  });

  it('method 1.1.0 stays selectable for old draws and gives its own documented sample', async () => {
    const result = await draw('sipas-sampling-1.1.0');
    expect(result.report.eligibleByUnit).toEqual({ CMO: 7, LXU: 5, STP: 1 });
    expect(sampleLines(result).map((l) => `${l.unitCode} ${l.role} ${l.rank} ${l.dossierCode}`)).toEqual([
      'CMO primary 1 VD-002', 'CMO primary 2 VD-006', 'CMO primary 3 VD-008', 'CMO reserve 1 VD-009', 'CMO reserve 2 VD-010',
      'LXU primary 1 VD-013', 'LXU primary 2 VD-011', 'LXU primary 3 VD-015', 'LXU reserve 1 VD-014', 'LXU reserve 2 VD-012',
      'STP primary 1 VD-019',
    ]);
    await expect(draw('sipas-sampling-9.9.9')).rejects.toThrow(/không được hỗ trợ/);
  });

  it('the person keys written in the document, ranked with a plain HMAC, give the same order', async () => {
    const rank = (unit: string, key: string) => createHmac('sha256', SEED).update(`${unit}\u0000${key}`).digest('hex');
    const dossierRank = (code: string) => createHmac('sha256', SEED).update(`dossier\u0000${code}`).digest('hex');
    // Unit CMO under 1.2.0: person key → its eligible dossiers (document, section 10.2).
    const cmo: [string, string[]][] = [
      ['id:89123456789', ['VD-001', 'VD-002', 'VD-003']],
      ['na:tran thi binh\u0000ap long hoa, cho moi', ['VD-004', 'VD-005']],
      ['id:1234567890', ['VD-006']],
      ['id:1600123456', ['VD-008']],
      ['id:89200000009', ['VD-009']],
      ['id:89200000010', ['VD-010']],
    ];
    const order = cmo
      .map(([key, dossiers]) => ({ rank: rank('CMO', key), dossier: [...dossiers].sort((a, b) => (dossierRank(a) < dossierRank(b) ? -1 : 1))[0] }))
      .sort((a, b) => (a.rank < b.rank ? -1 : 1))
      .map((p) => p.dossier);
    const result = await draw();
    expect(result.entries.filter((e) => e.unitCode === 'CMO').map((e) => e.dossierCode)).toEqual(order.slice(0, 5));
    expect(rank('CMO', 'id:89123456789')).toBe(DOCUMENTED_RANK);
  });

  it('questionnaire codes carry the documented check character', () => {
    expect([makeQuestionnaireCode(2023, 'CMO', 1), makeQuestionnaireCode(2023, 'CMO', 2), makeQuestionnaireCode(2023, 'LXU', 1)]).toEqual(['23-CMO-0001-7', '23-CMO-0002-5', '23-LXU-0001-V']);
  });

  it('indexes of the documented four answers: criteria, elements, unit and group average', () => {
    // Criteria A1, A2 (element A) and B1 (element B); 4 and 5 are satisfied, blank is not counted.
    const scoring: Scoring = { criteria: ['A1', 'A2', 'B1'], elementCodes: ['A', 'B'], elementOf: Int32Array.from([0, 0, 1]), satisfied: new Set([4, 5]) };
    const answers = [[5, 4, 2], [3, null, 5], [4, 2, 4], [1, 5, null]];
    const counts = emptyCounts(3);
    for (const a of answers) addRespondent(counts, Uint8Array.from(a.map((v) => (v === null ? BLANK : v >= 4 ? SATISFIED : UNSATISFIED))), 0);
    const calculator = new IndexCalculator(scoring);
    expect(criterionIndexes(counts)).toEqual([50, 200 / 3, 200 / 3]);
    expect(calculator.elementIndexes(counts)).toEqual([(50 + 200 / 3) / 2, 200 / 3]);
    expect(calculator.unitIndex(counts)).toBeCloseTo(62.5, 12);
    expect(mean([calculator.unitIndex(counts), 80])).toBeCloseTo(71.25, 12);
  });

  it('95 % interval of the documented four answers, without and with a frame of 10 people', () => {
    const scoring: Scoring = { criteria: ['A1', 'A2', 'B1'], elementCodes: ['A', 'B'], elementOf: Int32Array.from([0, 0, 1]), satisfied: new Set([4, 5]) };
    const sample = new Sample(3, 4);
    for (const a of [[5, 4, 2], [3, null, 5], [4, 2, 4], [1, 5, null]]) sample.append(Uint8Array.from(a.map((v) => (v === null ? BLANK : v >= 4 ? SATISFIED : UNSATISFIED))), 0);
    const calculator = new IndexCalculator(scoring);
    const srsSe = jackknifeSe(sample, calculator)!;
    expect(srsSe).toBeCloseTo(8.8388, 4);
    const open = indexInterval({ index: 62.5, srsSe, n: 4, confidence: 0.95 });
    expect([open.low, open.high]).toEqual([expect.closeTo(29.4945, 4), expect.closeTo(88.5907, 4)]);
    const finite = indexInterval({ index: 62.5, srsSe, n: 4, frameSize: 10, confidence: 0.95 });
    expect([finite.low, finite.high]).toEqual([expect.closeTo(37.0063, 4), expect.closeTo(83.7349, 4)]);
  });
});

const DOCUMENTED_RANK = '143870b2c6c1288502e1435abb7e1077d511b965950764aef6cd6d08933ed566';
