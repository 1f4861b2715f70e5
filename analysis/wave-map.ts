/**
 * A wave's map from its results and its boundary file: which units are drawn (the communes, or
 * the districts of a wave from before the 2025 reorganisation), the legend in the wave's own
 * band limits, and what an administrator must hear about a boundary file (shapes that match no
 * unit, units that have no shape). The dashboard, the printed report and the import share it.
 */
import { communeMap, type BoundaryFile, type CommuneMap, type MapUnit, type UnitShape } from './commune-map.js';
import { bandLabel, KIND_LABELS } from './tables.js';
import type { UnitKind, WaveResults } from './types.js';

export const NO_DATA_LABEL = 'Chưa có số liệu';

export type MapKind = Extract<UnitKind, 'commune' | 'district'>;

/** Communes when the wave has any (after 2025 there are no districts), otherwise districts; null for departments only. */
export function mapKindOf(units: readonly { kind: UnitKind }[]): MapKind | null {
  if (units.some((u) => u.kind === 'commune')) return 'commune';
  if (units.some((u) => u.kind === 'district')) return 'district';
  return null;
}

export interface NamedCode {
  code: string;
  name: string;
}

/** What an import says about a boundary file against the wave's units (named, so they can be fixed). */
export interface BoundaryReport {
  /** Usable outlines read from the file. */
  shapesRead: number;
  /** Features left out, with their position and why (Vietnamese). */
  problems: string[];
  /** The kind of unit the map shows; null when the wave has no communes or districts. */
  kind: MapKind | null;
  /** Outlines whose code is no commune (district) of the wave: not drawn. */
  shapesWithoutUnit: NamedCode[];
  /** Communes (districts) of the wave without an outline: listed under the map. */
  unitsWithoutShape: NamedCode[];
}

export function boundaryReport(file: BoundaryFile, units: readonly (NamedCode & { kind: UnitKind })[]): BoundaryReport {
  const kind = mapKindOf(units);
  const mapped = units.filter((u) => u.kind === kind);
  const unitCodes = new Set(mapped.map((u) => u.code));
  const shapeCodes = new Set(file.shapes.map((s) => s.code));
  return {
    shapesRead: file.shapes.length,
    problems: file.problems,
    kind,
    shapesWithoutUnit: file.shapes.filter((s) => !unitCodes.has(s.code)).map(({ code, name }) => ({ code, name })),
    unitsWithoutShape: mapped.filter((u) => !shapeCodes.has(u.code)).map(({ code, name }) => ({ code, name })),
  };
}

export interface WaveMap extends CommuneMap {
  kind: MapKind;
  title: string;
  /** Every unit of the map's kind with its figures, in the wave's order (the list beside the map). */
  units: MapUnit[];
}

/**
 * The map of the wave's communes (districts) coloured by band, or null when there is nothing to
 * draw: no unit of those kinds, or no outline matching one of them.
 */
export function waveMap(results: WaveResults, shapes: readonly UnitShape[], options: { width?: number } = {}): WaveMap | null {
  const kind = mapKindOf(results.units);
  if (kind === null) return null;
  const units: MapUnit[] = results.units.filter((u) => u.kind === kind).map((u) => ({ code: u.code, name: u.name, index: u.index, band: u.band }));
  const codes = new Set(units.map((u) => u.code));
  if (!shapes.some((s) => codes.has(s.code))) return null;
  const title = `Chỉ số hài lòng năm ${results.year} của ${KIND_LABELS[kind].subject}, theo mức`;
  const legend = { high: bandLabel('high', results), mid: bandLabel('mid', results), low: bandLabel('low', results), none: NO_DATA_LABEL };
  return { ...communeMap(shapes, units, legend, { title, ...(options.width ? { width: options.width } : {}) }), kind, title, units };
}
