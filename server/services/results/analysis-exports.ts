/**
 * The downloads of the SIPAS tables (SIPAS.md s.11), shared by the `report` command and the
 * analysis pages so both give the same bytes.
 */
import type { UnitShape } from '../../../analysis/commune-map';
import { toCsv } from '../../../analysis/csv';
import { reportHtml } from '../../../analysis/report-html';
import { methodNotes, personTableCsv, personTables, unitTableColumns, unitTableRows, type PersonTable } from '../../../analysis/tables';
import type { WaveResults } from '../../../analysis/types';
import { vietnameseUnitCsv } from '../../../analysis/unit-csv-vi';
import { toXlsx } from '../../../analysis/xlsx';
import { removeAccents } from '../../../sampling';
import { UserError } from '../../errors';

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json', 'html'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** In the order personTables returns them. */
export const TABLE_NAMES = ['units', 'groups', 'criteria', 'tracking', 'profile'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

/** ASCII parts of download names, e.g. sipas-2023-nhom-don-vi.csv. */
const TABLE_SLUGS: Record<TableName, string> = {
  units: 'don-vi',
  groups: 'nhom-don-vi',
  criteria: 'tieu-chi',
  tracking: 'theo-doi-phieu',
  profile: 'nguoi-tra-loi',
};

export interface ExportFile {
  body: string | Buffer;
  contentType: string;
  fileName: string;
}

export function parseExportFormat(value: string): ExportFormat {
  if (!(EXPORT_FORMATS as readonly string[]).includes(value)) {
    throw new UserError(`định dạng "${value}" không hỗ trợ: chọn một trong ${EXPORT_FORMATS.join(', ')}`);
  }
  return value as ExportFormat;
}

export function parseTableName(value: string): TableName {
  if (!(TABLE_NAMES as readonly string[]).includes(value)) {
    throw new UserError(`bảng "${value}" không có: chọn một trong ${TABLE_NAMES.join(', ')}`);
  }
  return value as TableName;
}

export function personTable(results: WaveResults, table: TableName): PersonTable {
  return personTables(results)[TABLE_NAMES.indexOf(table)];
}

/** The machine-readable unit table: exactly the s.11 columns, unrounded, '.' decimals. */
export function unitTableCsv(results: WaveResults): string {
  return toCsv(unitTableRows(results), unitTableColumns(results), { bom: true });
}

/** The unit table for people, opened in Vietnamese-format Excel (analysis/unit-csv-vi.ts says why ";"). */
export function vietnameseUnitCsvFile(results: WaveResults): ExportFile {
  return { body: vietnameseUnitCsv(results), contentType: 'text/csv; charset=utf-8', fileName: `sipas-${results.year}-don-vi-tieng-viet.csv` };
}

export function unitTableJson(results: WaveResults) {
  return {
    wave: results.year,
    previous: results.previous,
    /** How ci_low/ci_high, delta_ci_* and significant were computed. */
    methods: methodNotes(results),
    columns: unitTableColumns(results),
    units: unitTableRows(results),
  };
}

export interface ExportRequest {
  format: ExportFormat;
  table?: TableName;
  /** Shown under the report title (the library never reads the clock). */
  subtitle?: string;
  /** The wave's communes' outlines: the printed report then has the map. */
  boundaries?: readonly UnitShape[];
}

export async function buildExport(results: WaveResults, request: ExportRequest): Promise<ExportFile> {
  const { format, table } = request;
  const base = `sipas-${results.year}`;
  switch (format) {
    case 'csv':
      if (!table || table === 'units') {
        return { body: unitTableCsv(results), contentType: 'text/csv; charset=utf-8', fileName: `${base}-don-vi.csv` };
      }
      return {
        body: personTableCsv(personTable(results, table)),
        contentType: 'text/csv; charset=utf-8',
        fileName: `${base}-${TABLE_SLUGS[table]}.csv`,
      };
    case 'json': {
      const machine = unitTableJson(results);
      const extra =
        table && table !== 'units'
          ? (({ name, columns, rows }: PersonTable) => ({ table: { key: table, name, columns, rows } }))(personTable(results, table))
          : {};
      return {
        body: JSON.stringify({ ...machine, ...extra }, null, 2),
        contentType: 'application/json; charset=utf-8',
        fileName: `${base}-${table && table !== 'units' ? TABLE_SLUGS[table] : 'don-vi'}.json`,
      };
    }
    case 'xlsx':
      return {
        body: await toXlsx(table ? [personTable(results, table)] : personTables(results)),
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
        fileName: `${base}-${table ? TABLE_SLUGS[table] : 'cac-bang'}.xlsx`,
      };
    case 'html':
      return {
        body: reportHtml(results, { ...(request.subtitle ? { subtitle: request.subtitle } : {}), ...(request.boundaries ? { boundaries: request.boundaries } : {}) }),
        contentType: 'text/html; charset=utf-8',
        fileName: `${base}-bao-cao.html`,
      };
  }
}

/**
 * An attachment header every browser reads: a plain ASCII name for old clients and the exact
 * name in RFC 5987 form for the rest.
 */
export function contentDisposition(fileName: string, disposition: 'attachment' | 'inline' = 'attachment'): string {
  const ascii = removeAccents(fileName).replace(/[^A-Za-z0-9._-]+/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
