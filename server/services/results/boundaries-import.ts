/**
 * The communes' boundaries of a wave (a GeoJSON file, e.g. exported from QGIS), drawn as the
 * map on the dashboard and in the printed report. One file per wave, kept in the database; a new
 * import replaces it. The import report names what will not be drawn, so the file or the units
 * can be fixed before anyone reads the map.
 */
import { readBoundaries, type BoundaryFile } from '../../../analysis/commune-map';
import { boundaryReport, type BoundaryReport } from '../../../analysis/wave-map';
import type { Executor } from '../../db/schema';
import { UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { findUnitBoundaries, replaceUnitBoundaries } from '../../repositories/unit-boundaries';
import { listUnits } from '../../repositories/units';
import { waveFor } from '../waves/wave-policy';

/** A province's communes simplified for a map are well under 1 MB; unsimplified ones a few MB. */
export const BOUNDARIES_MAX_BYTES = 20 * 1024 * 1024;

export interface BoundariesImport extends BoundaryReport {
  fileName: string;
  featureCount: number;
  importedAt: string;
  importedBy: string | null;
}

/** Line and column of a character offset, as an editor shows them (both from 1). */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** GeoJSON is UTF-8 (RFC 7946); a leading BOM some tools write is dropped. */
function decodeGeoJson(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '').normalize('NFC');
  } catch {
    throw new UserError('Tệp ranh giới không phải văn bản UTF-8: hãy xuất lại tệp GeoJSON với mã hóa UTF-8');
  }
}

const JSON_STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const JSON_NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * Where `text` stops being JSON, as an offset (text.length when it ends too early). Run only
 * after JSON.parse failed: V8 gives the position for some errors only ("Unexpected token ','"
 * quotes the text instead).
 */
function jsonErrorOffset(text: string): number {
  let i = 0;
  const space = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const token = (pattern: RegExp) => {
    pattern.lastIndex = i;
    if (!pattern.test(text)) return false;
    i = pattern.lastIndex;
    return true;
  };
  /** The elements of an object or array, from its opening bracket to its closing one. */
  const items = (close: '}' | ']', item: () => boolean): boolean => {
    i++;
    space();
    for (let first = true; ; first = false) {
      if (text[i] === close && first) break;
      if (!item()) return false;
      space();
      if (text[i] === close) break;
      if (text[i] !== ',') return false;
      i++;
    }
    i++;
    return true;
  };
  const member = (): boolean => {
    space();
    if (!token(JSON_STRING)) return false;
    space();
    if (text[i] !== ':') return false;
    i++;
    return value();
  };
  const value = (): boolean => {
    space();
    if (text[i] === '{') return items('}', member);
    if (text[i] === '[') return items(']', value);
    if (text[i] === '"') return token(JSON_STRING);
    const word = ['true', 'false', 'null'].find((w) => text.startsWith(w, i));
    if (!word) return token(JSON_NUMBER);
    i += word.length;
    return true;
  };
  if (value()) space();
  return i;
}

/** Parses the text, saying where it breaks: "dòng 12, cột 5" finds the place in any editor. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const position = /position (\d+)/.exec((error as Error).message);
    const offset = position ? Number(position[1]) : jsonErrorOffset(text);
    if (offset >= text.trimEnd().length) throw new UserError('Tệp ranh giới không phải JSON hợp lệ: tệp bị cắt ngang hoặc rỗng (hết tệp khi chưa đóng hết ngoặc)');
    const { line, column } = lineAndColumn(text, offset);
    throw new UserError(`Tệp ranh giới không phải JSON hợp lệ: lỗi ở dòng ${line}, cột ${column}. Hãy mở tệp bằng trình soạn thảo hoặc xuất lại từ phần mềm bản đồ.`);
  }
}

function readBoundaryText(text: string): BoundaryFile {
  try {
    return readBoundaries(parseJson(text));
  } catch (error) {
    if (error instanceof RangeError) throw new UserError(error.message);
    throw error;
  }
}

/**
 * Replaces the wave's boundaries with the file (inside writeTransaction). A file with no usable
 * outline is refused: it would replace a working map with none.
 */
export async function importBoundaries(
  trx: Executor,
  year: number,
  file: { bytes: Uint8Array; fileName: string },
  actor: string | null,
  now: Date = new Date(),
): Promise<BoundariesImport> {
  if (file.bytes.byteLength > BOUNDARIES_MAX_BYTES) {
    throw new UserError(`Tệp ranh giới quá lớn: tối đa ${BOUNDARIES_MAX_BYTES / (1024 * 1024)} MB. Hãy đơn giản hóa ranh giới (ví dụ Simplify trong QGIS) rồi xuất lại.`, 413);
  }
  const geojson = decodeGeoJson(file.bytes);
  const boundaries = readBoundaryText(geojson);
  if (boundaries.shapes.length === 0) {
    throw new UserError(
      `Tệp ranh giới không có vùng nào dùng được${boundaries.problems.length > 0 ? `: ${boundaries.problems.slice(0, 3).join('; ')}` : ''}`,
      400,
      boundaries.problems,
    );
  }
  await waveFor(trx, year, 'import-boundaries');
  const report = boundaryReport(boundaries, await listUnits(trx, year));
  const stored = {
    waveYear: year,
    geojson,
    fileName: file.fileName.normalize('NFC').slice(0, 200),
    featureCount: boundaries.shapes.length + boundaries.problems.length,
    importedAt: now.toISOString(),
    importedBy: actor,
  };
  await replaceUnitBoundaries(trx, stored);
  await recordAudit(trx, {
    actor,
    action: 'boundaries.import',
    waveYear: year,
    detail: {
      shapes: report.shapesRead,
      skipped: report.problems.length,
      shapesWithoutUnit: report.shapesWithoutUnit.length,
      unitsWithoutShape: report.unitsWithoutShape.length,
    },
  });
  return { ...report, fileName: stored.fileName, featureCount: stored.featureCount, importedAt: stored.importedAt, importedBy: actor };
}

export interface WaveBoundaries {
  /** The outlines as read now, for the map. */
  file: BoundaryFile;
  /** The last import's report, against the wave's units as they are now. */
  report: BoundariesImport;
}

/** The wave's stored boundaries, or null when none were imported. */
export async function waveBoundaries(db: Executor, year: number): Promise<WaveBoundaries | null> {
  const stored = await findUnitBoundaries(db, year);
  if (!stored) return null;
  // Stored only after it was read once, so it parses; read with the same code as the import.
  const file = readBoundaryText(stored.geojson);
  const report = boundaryReport(file, await listUnits(db, year));
  return {
    file,
    report: { ...report, fileName: stored.fileName, featureCount: stored.featureCount, importedAt: stored.importedAt, importedBy: stored.importedBy },
  };
}
