import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BAND_COLOURS, communeMap, readBoundaries, type MapUnit } from './commune-map';

const DIR = new URL('../server/demo/an-giang-2025/', import.meta.url);
const GEOJSON = JSON.parse(readFileSync(new URL('an-giang-2025-communes.geojson', DIR), 'utf8'));
const LEGEND = { high: 'Từ 90 % trở lên', mid: 'Từ 80 % đến dưới 90 %', low: 'Dưới 80 %', none: 'Chưa có số liệu' };

/** The 102 communes of the units file, each with an index chosen by its position (fixed, covers every band). */
function communes(): MapUnit[] {
  const rows = readFileSync(new URL('units-2025-an-giang.csv', DIR), 'utf8').trim().split(/\r?\n/).slice(1);
  return rows
    .map((line) => line.split(','))
    .filter((cells) => cells[2] === 'commune')
    .map(([code, name], i) => {
      const index = i % 4 === 3 ? null : [95, 85, 70][i % 4];
      return { code, name, index, band: index === null ? null : index >= 90 ? 'high' : index >= 80 ? 'mid' : 'low' };
    });
}

describe('readBoundaries', () => {
  it('reads the 102 commune outlines of the merged An Giang, keyed by official code', () => {
    const { shapes, problems } = readBoundaries(GEOJSON);
    expect(problems).toEqual([]);
    expect(shapes).toHaveLength(102);
    expect(shapes.find((s) => s.code === '30292')?.name).toBe('Phường Bình Đức');
  });

  it('names each feature it cannot use, by position and code, and refuses what is not a FeatureCollection', () => {
    const square = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] };
    const { shapes, problems } = readBoundaries({
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'A' }, geometry: square },
        { type: 'Feature', properties: {}, geometry: square },
        { type: 'Feature', properties: { code: 'B' }, geometry: { type: 'Point', coordinates: [0, 0] } },
        { type: 'Feature', properties: { code: 'A' }, geometry: square },
      ],
    });
    expect(shapes.map((s) => s.code)).toEqual(['A']);
    expect(problems).toEqual([
      'Vùng thứ 2: thiếu mã đơn vị (properties.code)',
      'Vùng thứ 3 (mã B): hình không phải Polygon/MultiPolygon hợp lệ',
      'Vùng thứ 4: mã A đã có ở một vùng trước, vùng này bị bỏ qua',
    ]);
    expect(() => readBoundaries({ type: 'Feature' })).toThrow(/FeatureCollection/);
    expect(() => readBoundaries('x')).toThrow(/FeatureCollection/);
  });
});

describe('communeMap', () => {
  const { shapes } = readBoundaries(GEOJSON);

  it('draws every commune once, coloured by its band, with its name and index as a title', () => {
    const units = communes();
    const map = communeMap(shapes, units, LEGEND, { title: 'Chỉ số SIPAS 2025 theo xã, phường' });
    const paths = [...map.svg.matchAll(/<path d="[^"]+" fill="(#[0-9a-f]{6})" data-code="([^"]+)" data-band="(\w+)"><title>([^<]+)<\/title><\/path>/g)];
    expect(paths).toHaveLength(102);
    expect(new Set(paths.map((p) => p[2])).size).toBe(102);
    for (const [, fill, code, band, title] of paths) {
      const unit = units.find((u) => u.code === code)!;
      expect(band).toBe(unit.band ?? 'none');
      expect(fill).toBe(BAND_COLOURS[unit.band ?? 'none']);
      expect(title).toBe(`${unit.name}: ${unit.index === null ? 'chưa có số liệu' : `${unit.index},00 %`}`);
    }
    for (const text of Object.values(LEGEND)) expect(map.svg).toContain(`>${text}</text>`);
    expect(map.unitsWithoutShape).toEqual([]);
    expect(map.shapesWithoutUnit).toEqual([]);
    // Small enough to inline in a page and in the printed report.
    expect(map.svg.length).toBeLessThan(150_000);
  });

  it('lists a unit without a shape under the map and names a shape without a unit', () => {
    const units = communes().filter((u) => u.code !== '30292');
    units.push({ code: 'SNV', name: 'Sở Nội vụ', index: 91, band: 'high' });
    const map = communeMap(shapes, units, LEGEND, { title: 'x' });
    expect(map.unitsWithoutShape.map((u) => u.code)).toEqual(['SNV']);
    expect(map.shapesWithoutUnit).toEqual([{ code: '30292', name: 'Phường Bình Đức' }]);
    expect(map.svg).not.toContain('data-code="30292"');
  });

  it('keeps the map inside its box and north up', () => {
    const map = communeMap(shapes, communes(), LEGEND, { title: 'x', width: 500 });
    const [, w, h] = /viewBox="0 0 (\d+) (\d+)"/.exec(map.svg)!.map(Number);
    const numbers = [...map.svg.matchAll(/[ML](-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(w).toBe(500);
    expect(Math.min(...numbers.map((p) => p[0]))).toBeGreaterThanOrEqual(0);
    expect(Math.max(...numbers.map((p) => p[0]))).toBeLessThanOrEqual(500);
    expect(Math.max(...numbers.map((p) => p[1]))).toBeLessThan(h);
    // West stays left and north stays up: the shape reaching furthest west has the smallest x, the one reaching furthest north the smallest y.
    const drawnXY = (code: string) => {
      const d = new RegExp(`<path d="([^"]+)" fill="[^"]+" data-code="${code}"`).exec(map.svg)![1];
      const points = [...d.matchAll(/(-?[\d.]+) (-?[\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
      return { x: Math.min(...points.map((p) => p[0])), y: Math.min(...points.map((p) => p[1])) };
    };
    const extreme = (pick: (lonLat: [number, number]) => number) =>
      shapes.reduce((best, shape) => (Math.max(...shape.polygons.flat(2).map(pick)) > Math.max(...best.polygons.flat(2).map(pick)) ? shape : best)).code;
    const west = extreme(([lon]) => -lon);
    const north = extreme(([, lat]) => lat);
    expect(Math.min(...shapes.map((s) => drawnXY(s.code).x))).toBe(drawnXY(west).x);
    expect(Math.min(...shapes.map((s) => drawnXY(s.code).y))).toBe(drawnXY(north).y);
  });

  it('escapes names', () => {
    const map = communeMap([{ code: 'X', name: 'x', polygons: [[[[0, 0], [1, 0], [1, 1], [0, 0]]]] }], [{ code: 'X', name: 'A <b> & "c"', index: 50, band: 'low' }], LEGEND, { title: 'T<' });
    expect(map.svg).toContain('<title>A &lt;b&gt; &amp; &quot;c&quot;: 50,00 %</title>');
    expect(map.svg).toContain('<title id="commune-map-title">T&lt;</title>');
  });
});
