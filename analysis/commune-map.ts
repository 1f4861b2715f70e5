/**
 * The province's communes coloured by band, as one SVG drawn on the server from a GeoJSON of
 * their boundaries: no map tiles, no network, the same picture on the dashboard and in the
 * printed report. Pure: boundaries and results in, SVG text and the lists a person must see
 * beside it (units without a shape, shapes without a unit) out.
 */
import { formatPercent } from './format.js';
import type { Band } from './types.js';

/** One unit's outline: polygons of rings of [longitude, latitude]. */
export interface UnitShape {
  code: string;
  name: string;
  polygons: [number, number][][][];
}

export interface BoundaryFile {
  shapes: UnitShape[];
  /** Why a feature was left out, with its position in the file (Vietnamese). */
  problems: string[];
}

/** Most boundary files hold a few hundred communes; a larger one is not a commune map. */
const MAX_FEATURES = 5000;

/**
 * Reads a GeoJSON FeatureCollection of Polygon/MultiPolygon features keyed by
 * `properties.code` (the unit code); `properties.name` is optional. A feature without a code
 * or with a geometry that is not a polygon is skipped and named in `problems`; a file that is
 * not a FeatureCollection is refused (RangeError with a Vietnamese message).
 */
export function readBoundaries(geojson: unknown): BoundaryFile {
  const collection = geojson as { type?: unknown; features?: unknown };
  if (typeof collection !== 'object' || collection === null || collection.type !== 'FeatureCollection' || !Array.isArray(collection.features)) {
    throw new RangeError('Tệp ranh giới phải là GeoJSON dạng FeatureCollection (mỗi xã, phường một Feature có properties.code)');
  }
  if (collection.features.length > MAX_FEATURES) throw new RangeError(`Tệp ranh giới có ${collection.features.length} vùng, nhiều hơn ${MAX_FEATURES}`);
  const shapes: UnitShape[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  collection.features.forEach((feature: unknown, i) => {
    const where = `Vùng thứ ${i + 1}`;
    const f = feature as { properties?: Record<string, unknown> | null; geometry?: { type?: unknown; coordinates?: unknown } | null };
    const code = typeof f?.properties?.code === 'string' || typeof f?.properties?.code === 'number' ? String(f.properties.code).normalize('NFC').trim() : '';
    if (code === '') return void problems.push(`${where}: thiếu mã đơn vị (properties.code)`);
    if (seen.has(code)) return void problems.push(`${where}: mã ${code} đã có ở một vùng trước, vùng này bị bỏ qua`);
    const polygons = polygonsOf(f.geometry);
    if (polygons === null) return void problems.push(`${where} (mã ${code}): hình không phải Polygon/MultiPolygon hợp lệ`);
    seen.add(code);
    const name = typeof f.properties?.name === 'string' ? f.properties.name.normalize('NFC') : code;
    shapes.push({ code, name, polygons });
  });
  return { shapes, problems };
}

function polygonsOf(geometry: { type?: unknown; coordinates?: unknown } | null | undefined): [number, number][][][] | null {
  if (!geometry) return null;
  const list = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.type === 'MultiPolygon' ? geometry.coordinates : null;
  if (!Array.isArray(list) || list.length === 0) return null;
  const isPoint = (p: unknown): p is [number, number] => Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]);
  const isRing = (r: unknown): r is [number, number][] => Array.isArray(r) && r.length >= 4 && r.every(isPoint);
  for (const polygon of list) if (!Array.isArray(polygon) || polygon.length === 0 || !polygon.every(isRing)) return null;
  return (list as [number, number][][][]).map((polygon) => polygon.map((ring) => ring.map(([x, y]) => [x, y] as [number, number])));
}

export interface MapUnit {
  code: string;
  name: string;
  index: number | null;
  band: Band | null;
}

export interface MapLegend {
  /** What each band means, in words ("Từ 90 % trở lên"), from the wave's own limits. */
  high: string;
  mid: string;
  low: string;
  none: string;
}

/** Colour-blind safe (ColorBrewer RdYlBu-like); the text in the legend and titles carries the meaning too. */
export const BAND_COLOURS: Record<Band | 'none', string> = { high: '#1a7837', mid: '#fdb863', low: '#b2182b', none: '#d9d9d9' };

export interface CommuneMap {
  svg: string;
  /** Units of the results with no outline in the boundaries: listed under the map. */
  unitsWithoutShape: MapUnit[];
  /** Outlines whose code is no unit of the wave: named in the import report. */
  shapesWithoutUnit: { code: string; name: string }[];
}

/**
 * Equirectangular projection scaled by cos(latitude) at the map's centre: at a province's size
 * (≈ 2°) shapes and areas are true to within a percent, and no projection library is needed.
 */
export function communeMap(shapes: readonly UnitShape[], units: readonly MapUnit[], legend: MapLegend, options: { width?: number; title: string }): CommuneMap {
  const width = options.width ?? 640;
  const byCode = new Map(units.map((u) => [u.code, u]));
  const drawn = shapes.filter((s) => byCode.has(s.code));
  const shapeCodes = new Set(shapes.map((s) => s.code));
  const bounds = boundsOf(drawn.length > 0 ? drawn : shapes);
  const kx = Math.cos(((bounds.minY + bounds.maxY) / 2) * (Math.PI / 180));
  const spanX = Math.max(1e-9, (bounds.maxX - bounds.minX) * kx);
  const spanY = Math.max(1e-9, bounds.maxY - bounds.minY);
  const scale = width / spanX;
  const mapHeight = Math.ceil(spanY * scale);
  const project = ([x, y]: [number, number]) => `${round((x - bounds.minX) * kx * scale)} ${round((bounds.maxY - y) * scale)}`;

  const paths = drawn.map((shape) => {
    const unit = byCode.get(shape.code)!;
    const d = shape.polygons.map((polygon) => polygon.map((ring) => `M${ring.map(project).join('L')}Z`).join('')).join('');
    const value = unit.index === null ? 'chưa có số liệu' : formatPercent(unit.index);
    return `<path d="${d}" fill="${BAND_COLOURS[unit.band ?? 'none']}" data-code="${escapeXml(unit.code)}" data-band="${unit.band ?? 'none'}"><title>${escapeXml(unit.name)}: ${value}</title></path>`;
  });

  const legendTop = mapHeight + 12;
  const entries: [Band | 'none', string][] = [['high', legend.high], ['mid', legend.mid], ['low', legend.low], ['none', legend.none]];
  const legendItems = entries.map(([band, text], i) => {
    const y = legendTop + i * 22;
    return `<rect x="0" y="${y}" width="16" height="16" fill="${BAND_COLOURS[band]}" stroke="#555" stroke-width="0.5"/><text x="24" y="${y + 13}">${escapeXml(text)}</text>`;
  });
  const height = legendTop + entries.length * 22;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="commune-map-title" class="commune-map" font-family="system-ui,sans-serif" font-size="13">` +
    `<title id="commune-map-title">${escapeXml(options.title)}</title>` +
    `<g stroke="#fff" stroke-width="0.6" stroke-linejoin="round">${paths.join('')}</g>` +
    `<g class="legend">${legendItems.join('')}</g></svg>`;
  return {
    svg,
    unitsWithoutShape: units.filter((u) => !shapeCodes.has(u.code)),
    shapesWithoutUnit: shapes.filter((s) => !byCode.has(s.code)).map(({ code, name }) => ({ code, name })),
  };
}

function boundsOf(shapes: readonly UnitShape[]) {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const s of shapes) {
    for (const polygon of s.polygons) {
      for (const ring of polygon) {
        for (const [x, y] of ring) {
          if (x < minX) minX = x;
          if (x > maxX) maxX = x;
          if (y < minY) minY = y;
          if (y > maxY) maxY = y;
        }
      }
    }
  }
  return Number.isFinite(minX) ? { minX, minY, maxX, maxY } : { minX: 0, minY: 0, maxX: 1, maxY: 1 };
}

/** One decimal of a pixel: invisible on screen and in print, and a third of the bytes of full precision. */
function round(x: number): string {
  return (Math.round(x * 10) / 10).toString();
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
