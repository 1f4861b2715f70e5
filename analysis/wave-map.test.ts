import { describe, expect, it } from 'vitest';
import { responsesWithShare, settings, unit } from './fixtures/builders';
import type { UnitShape } from './commune-map';
import { defaultQuestionnaire } from './questionnaire';
import { computeWaveResults } from './wave-results';
import { boundaryReport, mapKindOf, waveMap } from './wave-map';

const square = (x: number): UnitShape['polygons'] => [[[[x, 10], [x + 1, 10], [x + 1, 11], [x, 10]]]];
const shape = (code: string, x: number): UnitShape => ({ code, name: `Vùng ${code}`, polygons: square(x) });

function results(units: ReturnType<typeof unit>[], answered: Record<string, number>) {
  return computeWaveResults({
    year: 2025,
    questionnaire: defaultQuestionnaire,
    units,
    responses: Object.entries(answered).flatMap(([code, satisfied]) => responsesWithShare(code, satisfied, 10)),
    previous: null,
    settings: settings({ bandLimits: { high: 85, mid: 70 } }),
  });
}

describe('mapKindOf', () => {
  it('maps communes after the reorganisation, districts before it, nothing for departments only', () => {
    expect(mapKindOf([{ kind: 'department' }, { kind: 'commune' }, { kind: 'district' }])).toBe('commune');
    expect(mapKindOf([{ kind: 'department' }, { kind: 'district' }])).toBe('district');
    expect(mapKindOf([{ kind: 'department' }])).toBeNull();
  });
});

describe('boundaryReport', () => {
  it('names outlines matching no commune and communes without an outline, ignoring departments', () => {
    const report = boundaryReport({ shapes: [shape('X1', 0), shape('X9', 1), shape('SNV', 2)], problems: ['Vùng thứ 4: thiếu mã đơn vị (properties.code)'] }, [
      { code: 'SNV', name: 'Sở Nội vụ', kind: 'department' },
      { code: 'X1', name: 'Xã Một', kind: 'commune' },
      { code: 'X2', name: 'Xã Hai', kind: 'commune' },
    ]);
    expect(report).toEqual({
      shapesRead: 3,
      problems: ['Vùng thứ 4: thiếu mã đơn vị (properties.code)'],
      kind: 'commune',
      shapesWithoutUnit: [
        { code: 'X9', name: 'Vùng X9' },
        { code: 'SNV', name: 'Vùng SNV' },
      ],
      unitsWithoutShape: [{ code: 'X2', name: 'Xã Hai' }],
    });
  });
});

describe('waveMap', () => {
  const units = [unit('SNV'), unit('X1', 'commune'), unit('X2', 'commune'), unit('X3', 'commune'), unit('X4', 'commune')];

  it("colours the communes by the wave's own band limits, with a legend in those limits", () => {
    const map = waveMap(results(units, { SNV: 10, X1: 9, X2: 8, X3: 6 }), [shape('X1', 0), shape('X2', 1), shape('X3', 2), shape('X4', 3), shape('SNV', 4)])!;
    expect(map.kind).toBe('commune');
    const bands = [...map.svg.matchAll(/data-code="(\w+)" data-band="(\w+)"/g)].map((m) => `${m[1]}:${m[2]}`);
    // 90 % ≥ 85 high, 80 % mid, 60 % < 70 low, X4 unanswered; the department's outline is not drawn.
    expect(bands).toEqual(['X1:high', 'X2:mid', 'X3:low', 'X4:none']);
    expect(map.svg).toContain('>Từ 85 % trở lên</text>');
    expect(map.svg).toContain('>Từ 70 % đến dưới 85 %</text>');
    expect(map.svg).toContain('>Chưa có số liệu</text>');
    expect(map.svg).toContain('<title>Đơn vị X2: 80,00 %</title>');
    expect(map.units.map((u) => u.code)).toEqual(['X1', 'X2', 'X3', 'X4']);
  });

  it('lists communes without an outline, and draws nothing when no outline matches', () => {
    const wave = results(units, { X1: 9 });
    expect(waveMap(wave, [shape('X1', 0)])!.unitsWithoutShape.map((u) => u.code)).toEqual(['X2', 'X3', 'X4']);
    expect(waveMap(wave, [shape('Y1', 0)])).toBeNull();
    expect(waveMap(results([unit('SNV')], { SNV: 9 }), [shape('SNV', 0)])).toBeNull();
  });
});
