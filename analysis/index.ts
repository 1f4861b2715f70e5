export * from './questionnaire.js';
export * from './types.js';
export { isValidResponse } from './scoring.js';
export { computeWaveResults, type WaveInput } from './wave-results.js';
export { bandOf } from './unit-results.js';
export { studentTQuantile, UNCHANGED_BELOW } from './uncertainty.js';
export { formatNumber, formatPercent } from './format.js';
export { toCsv, spreadsheetSafeText, type Cell, type CellFormat, type CsvOptions } from './csv.js';
export {
  UNIT_TABLE_COLUMNS,
  unitTableColumns,
  unitTableRows,
  personTables,
  personTableCsv,
  channelTable,
  KIND_LABELS,
  NEW_UNIT_DELTA,
  type PersonTable,
} from './tables.js';
export { toXlsx } from './xlsx.js';
export { reportHtml, summarySentence, type ReportOptions } from './report-html.js';
export { parsePublishedIndexes, parseDecimal, type PublishedParseResult } from './published.js';
