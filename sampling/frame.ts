import Papa from 'papaparse';
import { dayNumber } from './dates';
import { decodeFrame, FatalFrameError, type DecodeState } from './decode';
import { DrawIndexWriter, type DrawIndexSink } from './draw-index';
import { FingerprintSet } from './fingerprint-set';
import { FIELD_LABELS, REQUIRED_FIELDS, mapColumns, type Field } from './headers';
import { Fingerprint, cleanField, fold, identityKey, isUsableAddress, nfc, normaliseIdNumber } from './text';
import type { ByteSource, FrameOptions, FrameScan, ImportReport, Rejection } from './types';

const MAX_LISTED_REJECTIONS = 1000;
const MAX_LISTED_UNKNOWN_UNITS = 1000;
// A record longer than this is an unclosed quote swallowing the rest of the file, not data.
const MAX_RECORD_CHARS = 1 << 20;
const CACHE_LIMIT = 4096;
// Rows named in the message of a duplicated dossier code; the rest are counted.
const MAX_LISTED_DUPLICATE_ROWS = 5;
const NO_LINE_BREAK = 'Tệp không có dấu xuống dòng sau dòng tiêu đề; đây không phải tệp CSV hợp lệ.';

const REASON = {
  missingDossier: 'Thiếu mã hồ sơ',
  duplicateDossier: 'Mã hồ sơ bị trùng',
  missingUnit: 'Thiếu đơn vị giải quyết',
  unknownUnit: 'Đơn vị không thuộc đợt khảo sát',
  missingName: 'Thiếu họ tên người nộp',
  missingDate: 'Thiếu ngày trả kết quả',
  badDate: 'Ngày trả kết quả không hợp lệ',
  cellCount: 'Số ô khác số cột của dòng tiêu đề (dòng bị cắt ngắn hoặc thừa dấu phân cách)',
  unclosedQuote: 'Dấu ngoặc kép (") không được đóng: dòng bị cắt ngắn',
  nulByte: 'Có ký tự NUL (byte 0) trong ô: tệp bị hỏng',
} as const;

const ORGANISATION_TYPES = new Set([
  'to chuc', 'tc', 'doanh nghiep', 'dn', 'cong ty', 'co quan', 'organisation', 'organization', 'org', 'company',
]);

/**
 * One eligible row as handed to a consumer. The object is reused for every row so a large
 * frame creates no per-row garbage here; a consumer that keeps a row must copy what it needs.
 * Text fields are as read (trimmed, not yet NFC): `text()` gives the NFC form to keep.
 */
export interface EligibleRow {
  /** Index of the unit in FrameOptions.units. */
  unitIndex: number;
  unitCode: string;
  /**
   * The person key is personKind + personBody: 'id:' + identity number, or
   * 'na:' + folded name + U+0000 + folded address. Kept in two parts so the hot path builds
   * no joined string.
   */
  personKind: 'id:' | 'na:';
  personBody: string;
  /** 53 bits of the person's fingerprint within the unit: equal for the same person. */
  personId: number;
  /** False when the same person was already seen, eligible, in this unit. */
  newPerson: boolean;
  /** NFC. */
  dossierCode: string;
  /** The date as yyyymmdd (see dayNumber). */
  resultDay: number;
  organisation: boolean;
  /** NFC. */
  idNumber: string;
  /** A field of the row, cleaned and NFC, read on demand: only a drawn row needs these. */
  text(field: 'applicant_name' | 'address' | 'procedure' | 'phone' | 'channel'): string;
  /**
   * Where the row's record lies in the raw file, when the reader was asked for positions (else
   * 0): it starts `skip` characters after byte `at`, and is `chars` characters long with its
   * line break. Characters, not bytes, because only they come out of the CSV parser; `at` is
   * an anchor the decoder noted at most a few kilobytes before (RecordLayout).
   */
  at: number;
  skip: number;
  chars: number;
  /** How the file's records read, known from the header on; null before. */
  layout: RecordLayout | null;
}

/** What it takes to read one record back from the raw bytes, alone: a draw index keeps it. */
export interface RecordLayout {
  encoding: string;
  delimiter: string;
  newline: '\n' | '\r';
  /** Cell index of each field, -1 when the file has no such column. */
  columns: Record<Field, number>;
}

/** Fields of a row read back alone, for the same description of a drawn row as when streaming. */
export type RecordFields = Pick<EligibleRow, 'dossierCode' | 'resultDay' | 'organisation' | 'idNumber' | 'text'>;

/** The description fields of one record's cells, exactly as the reader derives them. */
export function recordFields(cells: string[], columns: Record<Field, number>): RecordFields {
  const cell = (field: Field) => (columns[field] < 0 ? '' : cleanField(cells[columns[field]]));
  return {
    dossierCode: nfc(cell('dossier_code')),
    resultDay: dayNumber(cell('result_date')),
    organisation: columns.applicant_type >= 0 && isOrganisationType(cell('applicant_type')),
    idNumber: idNumberOf(cell('id_number')),
    text: (field) => nfc(cell(field)),
  };
}

function isOrganisationType(value: string): boolean {
  return ORGANISATION_TYPES.has(fold(value));
}

function idNumberOf(raw: string): string {
  return raw === '' ? '' : nfc(normaliseIdNumber(raw));
}

export type RowConsumer = (row: EligibleRow) => void;

/** Key of a fingerprint in a Map: its top 53 bits, which is as unique as needed among the few repeated codes. */
function key53(hi: number, lo: number): number {
  return (hi >>> 0) * 0x200000 + (lo >>> 11);
}

/**
 * Dossier codes that occur on more than one row. The first pass finds them (a small map: one
 * entry per repeated code, not per row); the second pass rejects their rows and notes where
 * each occurs, for the message.
 */
class DuplicateCodes {
  private readonly rows: number[][] = [];
  private readonly rowCounts: number[] = [];

  constructor(private readonly index = new Map<number, number>()) {}

  /** The same codes with no rows noted yet, for one more pass (each pass lists the rows afresh). */
  again(): DuplicateCodes {
    return new DuplicateCodes(this.index);
  }

  get size(): number {
    return this.index.size;
  }

  add(hi: number, lo: number): void {
    const key = key53(hi, lo);
    if (!this.index.has(key)) this.index.set(key, this.index.size);
  }

  /** Index of the code with this fingerprint, or -1 when it occurs once. */
  indexOf(hi: number, lo: number): number {
    return this.index.get(key53(hi, lo)) ?? -1;
  }

  noteRow(i: number, row: number): void {
    const rows = (this.rows[i] ??= []);
    this.rowCounts[i] = (this.rowCounts[i] ?? 0) + 1;
    if (rows.length < MAX_LISTED_DUPLICATE_ROWS) rows.push(row);
  }

  /** Where the code occurs, for the administrator: "(xuất hiện ở các dòng 12, 1394): …". */
  describe(i: number): string {
    const listed = this.rows[i].join(', ');
    const more = this.rowCounts[i] - this.rows[i].length;
    return more > 0
      ? `(xuất hiện ở ${this.rowCounts[i]} dòng: ${listed} và ${more} dòng khác): không biết dòng nào đúng`
      : `(xuất hiện ở các dòng ${listed}): không biết dòng nào đúng`;
  }
}

/** The identity number seen with a name+address key, null once two differ; and the key's fingerprint. */
interface NumberSeen {
  number: string | null;
  hi: number;
  lo: number;
}

/**
 * What earlier passes learnt, for identity rules 2: the name+address keys (fingerprints of
 * unit, 'na:' and the key) of eligible rows with no usable identity number, and then which of
 * them are linked to exactly one number.
 */
interface Links {
  /** Complete set from an earlier pass: the next pass notes the numbers seen with these keys. */
  noId: FingerprintSet | null;
  /** Name+address key (key53 of its fingerprint) → the one identity key it carries. */
  linked: Map<number, string> | null;
}

function emptyReport(options: FrameOptions): ImportReport {
  const zero = () => Object.fromEntries(options.units.map((u) => [u.code, 0]));
  return {
    rowsRead: 0,
    rowsAccepted: 0,
    rowsRejected: 0,
    rejections: [],
    rejectionCounts: {},
    duplicateDossierCodes: 0,
    personsMerged: 0,
    eligibleByUnit: zero(),
    rowsByUnit: zero(),
    ineligible: { outsidePeriod: 0, noAddress: 0, organisation: 0 },
    unknownUnits: [],
    unitsWithoutRows: [],
    encoding: '',
    delimiter: '',
    columns: [],
    ignoredColumns: [],
  };
}

/** The separator is whichever of , ; tab occurs most often in the header line. */
function detectDelimiter(headerLine: string): string {
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t']) {
    const count = headerLine.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

function isBlank(record: string[]): boolean {
  for (const cell of record) if (cell.trim() !== '') return false;
  return true;
}

function dayOfIso(iso: string): number {
  return Number(iso.slice(0, 4)) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
}

class FrameReader {
  readonly report: ImportReport;
  private readonly unitCodes: string[];
  private readonly unitByKey = new Map<string, number>();
  private readonly unitCache = new Map<string, number>();
  private readonly typeCache = new Map<string, boolean>();
  private readonly unknownUnits = new Map<string, number>();
  // Per unit index; copied into the report's objects at the end, so the hot path does no
  // property look-up by name.
  private readonly rowsByUnit: Int32Array;
  private readonly eligibleByUnit: Int32Array;
  /** First pass: every dossier code seen. The second pass needs none: a code not listed in `duplicates` occurs once. */
  readonly dossiers: FingerprintSet | null;
  /** First pass: filled with the codes seen twice. Second pass: the codes whose rows are all rejected. */
  readonly duplicates: DuplicateCodes;
  /** Rejections listed for a repeated code, whose message is complete only once every row was seen. */
  private readonly duplicateRejections: { rejection: Rejection; index: number }[] = [];
  readonly persons = new FingerprintSet();
  /**
   * Identity rules 2: name+address keys of eligible rows without a usable number, this pass; in
   * a first pass that met a repeated code, also those of the rows it no longer checked
   * (noteNoIdCandidate).
   */
  readonly noId = new FingerprintSet();
  /** Identity rules 2, when `links.noId` is given: key → the number seen with it (null when several) and the key's fingerprint. */
  readonly numbersSeen = new Map<number, NumberSeen>();
  private readonly frameRules: 1 | 2;
  private readonly fingerprint = new Fingerprint();
  private readonly requireAddress: boolean;
  private readonly excludeOrganisations: boolean;
  private readonly from: number;
  private readonly to: number;
  private col = {} as Record<Field, number>;
  private headerCells = 0;
  /** Set for the records of a chunk that holds a NUL byte, so clean chunks cost no per-cell search. */
  checkNul = false;
  private cells: string[] = [];
  private readonly row: EligibleRow;

  constructor(
    private readonly options: FrameOptions,
    private readonly consume: RowConsumer | undefined,
    knownDuplicates: DuplicateCodes | null,
    private readonly links: Links,
  ) {
    this.frameRules = options.frameRules ?? 2;
    this.report = emptyReport(options);
    this.unitCodes = options.units.map((u) => u.code);
    this.rowsByUnit = new Int32Array(options.units.length);
    this.eligibleByUnit = new Int32Array(options.units.length);
    this.dossiers = knownDuplicates === null ? new FingerprintSet() : null;
    this.duplicates = knownDuplicates ?? new DuplicateCodes();
    options.units.forEach((unit, i) => this.unitByKey.set(fold(unit.name), i));
    // Codes win over names when a code happens to read like another unit's name.
    options.units.forEach((unit, i) => this.unitByKey.set(fold(unit.code), i));
    this.requireAddress = options.requirePostalAddress ?? true;
    this.excludeOrganisations = options.excludeOrganisations ?? false;
    this.from = options.period ? dayOfIso(options.period.from) : 0;
    this.to = options.period ? dayOfIso(options.period.to) : 99999999;
    const reader = this;
    this.row = {
      unitIndex: 0, unitCode: '', personKind: 'id:', personBody: '', personId: 0, newPerson: false, dossierCode: '', resultDay: 0,
      organisation: false, idNumber: '', at: 0, skip: 0, chars: 0, layout: null,
      text(field) {
        const i = reader.col[field];
        return i < 0 ? '' : nfc(cleanField(reader.cells[i]));
      },
    };
  }

  /** Where the next record lies (RecordLayout, EligibleRow.at). */
  locate(at: number, skip: number, chars: number): void {
    this.row.at = at;
    this.row.skip = skip;
    this.row.chars = chars;
  }

  useHeader(headers: string[], encoding: string, newline: '\n' | '\r'): void {
    const mapped = mapColumns(headers.map(nfc));
    const required = this.requireAddress ? [...REQUIRED_FIELDS, 'address' as const] : REQUIRED_FIELDS;
    const missing = required.filter((f) => mapped.index[f] === -1);
    if (missing.length > 0) {
      // The line read may well be a person's row (a file saved without its header line), so the
      // message names fields in our own words and never quotes the file; for the same reason
      // the report gets no column lists.
      const label = (f: Field) => `${FIELD_LABELS[f]} (${f})`;
      const found = mapped.columns.map((c) => FIELD_LABELS[c.field]);
      const seen =
        missing.length === required.length
          ? 'Dòng đầu tiên không có tên cột bắt buộc nào: có lẽ tệp thiếu dòng tiêu đề.'
          : `Dòng tiêu đề chỉ có các cột: ${found.join(', ')}.`;
      throw new FatalFrameError(
        `Thiếu cột bắt buộc: ${missing.map(label).join(', ')}. ${seen} Dòng đầu tiên của tệp phải là dòng tiêu đề có ít nhất các cột ${required.map((f) => FIELD_LABELS[f]).join(', ')} (tên tiếng Việt hoặc tiếng Anh).`,
      );
    }
    this.col = mapped.index;
    this.row.layout = { encoding, delimiter: this.report.delimiter, newline, columns: mapped.index };
    this.headerCells = headers.length;
    this.report.columns = mapped.columns;
    this.report.ignoredColumns = mapped.ignoredColumns;
  }

  private reject(rowNumber: number, reason: string, field?: Field, value?: string): Rejection | null {
    const report = this.report;
    report.rowsRejected++;
    report.rejectionCounts[reason] = (report.rejectionCounts[reason] ?? 0) + 1;
    if (report.rejections.length >= MAX_LISTED_REJECTIONS) return null;
    const rejection: Rejection = {
      row: rowNumber,
      ...(field ? { field: FIELD_LABELS[field] } : {}),
      ...(value !== undefined ? { value: nfc(value) } : {}),
      reason,
    };
    report.rejections.push(rejection);
    return rejection;
  }

  /** Index of the wave unit a cell names (by code or name), or -1. */
  private unitOf(value: string): number {
    let unit = this.unitCache.get(value);
    if (unit === undefined) {
      unit = this.unitByKey.get(fold(value)) ?? -1;
      if (this.unitCache.size >= CACHE_LIMIT) this.unitCache.clear();
      this.unitCache.set(value, unit);
    }
    return unit;
  }

  private isOrganisation(value: string): boolean {
    if (value === '') return false;
    let organisation = this.typeCache.get(value);
    if (organisation === undefined) {
      organisation = isOrganisationType(value);
      if (this.typeCache.size >= CACHE_LIMIT) this.typeCache.clear();
      this.typeCache.set(value, organisation);
    }
    return organisation;
  }

  /** Rules 1 (method 1.1.0) read malformed rows like any other: old draws re-run as drawn. */
  get rejectsMalformedRows(): boolean {
    return this.frameRules === 2;
  }

  rejectCutOff(rowNumber: number): void {
    this.report.rowsRead++;
    this.reject(rowNumber, REASON.unclosedQuote);
  }

  processRecord(cells: string[], rowNumber: number): void {
    if (isBlank(cells)) return;
    if (cells.length !== this.headerCells && this.rejectsMalformedRows) {
      this.report.rowsRead++;
      this.reject(rowNumber, REASON.cellCount);
      return;
    }
    if (this.checkNul && cells.some((cell) => cell.includes('\u0000'))) {
      this.report.rowsRead++;
      this.reject(rowNumber, REASON.nulByte);
      return;
    }
    const col = this.col;
    const report = this.report;
    report.rowsRead++;

    const dossierCode = nfc(cleanField(cells[col.dossier_code]));
    if (dossierCode === '') {
      this.reject(rowNumber, REASON.missingDossier, 'dossier_code');
      return;
    }
    const fp = this.fingerprint.of(dossierCode);
    if (this.dossiers === null) {
      const duplicate = this.duplicates.indexOf(fp.hi, fp.lo);
      if (duplicate !== -1) {
        this.duplicates.noteRow(duplicate, rowNumber);
        const rejection = this.reject(rowNumber, REASON.duplicateDossier, 'dossier_code', dossierCode);
        if (rejection) this.duplicateRejections.push({ rejection, index: duplicate });
        return;
      }
    } else {
      if (!this.dossiers.add(fp.hi, fp.lo)) this.duplicates.add(fp.hi, fp.lo);
      // Once a code repeats, which of its rows is right is unknowable: all of them will be
      // rejected by a second pass, and this pass's report and rows are discarded, so the rest
      // of this pass only needs to collect the codes, and the name+address keys the second
      // pass needs for identity rules 2 (noteNoIdCandidate).
      if (this.duplicates.size > 0) {
        if (this.frameRules === 2) this.noteNoIdCandidate(cells);
        return;
      }
    }

    const unitValue = cleanField(cells[col.unit_code]);
    if (unitValue === '') {
      this.reject(rowNumber, REASON.missingUnit, 'unit_code');
      return;
    }
    const unit = this.unitOf(unitValue);
    if (unit === -1) {
      const value = nfc(unitValue);
      const count = this.unknownUnits.get(value);
      if (count !== undefined) this.unknownUnits.set(value, count + 1);
      else if (this.unknownUnits.size < MAX_LISTED_UNKNOWN_UNITS) this.unknownUnits.set(value, 1);
      this.reject(rowNumber, REASON.unknownUnit, 'unit_code', value);
      return;
    }

    const name = cleanField(cells[col.applicant_name]);
    if (name === '') {
      this.reject(rowNumber, REASON.missingName, 'applicant_name');
      return;
    }

    const dateValue = cleanField(cells[col.result_date]);
    if (dateValue === '') {
      this.reject(rowNumber, REASON.missingDate, 'result_date');
      return;
    }
    const resultDay = dayNumber(dateValue);
    if (resultDay === 0) {
      this.reject(rowNumber, REASON.badDate, 'result_date', dateValue);
      return;
    }

    report.rowsAccepted++;
    this.rowsByUnit[unit]++;

    if (resultDay < this.from || resultDay > this.to) {
      report.ineligible.outsidePeriod++;
      return;
    }
    const organisation = col.applicant_type >= 0 && this.isOrganisation(cleanField(cells[col.applicant_type]));
    if (organisation && this.excludeOrganisations) {
      report.ineligible.organisation++;
      return;
    }
    const address = col.address >= 0 ? cleanField(cells[col.address]) : '';
    if (this.requireAddress && !isUsableAddress(address)) {
      report.ineligible.noAddress++;
      return;
    }

    const rawId = col.id_number >= 0 ? cleanField(cells[col.id_number]) : '';
    const idNumber = idNumberOf(rawId);
    const unitCode = this.unitCodes[unit];
    let personKind: 'id:' | 'na:';
    let personBody: string;
    if (this.frameRules === 1) {
      personKind = idNumber !== '' ? 'id:' : 'na:';
      // Folding drops accents whether they came composed or not, so name and address need no NFC here.
      personBody = idNumber !== '' ? idNumber : fold(name) + '\u0000' + fold(address);
    } else {
      const key = rawId === '' ? '' : nfc(identityKey(rawId));
      personKind = key !== '' ? 'id:' : 'na:';
      personBody = key;
      if (key === '' || this.links.noId !== null) {
        const nf = this.nameAddressFingerprint(unitCode, name, address);
        const nameKey = key53(nf.hi, nf.lo);
        if (key === '') {
          this.noId.add(nf.hi, nf.lo);
          const linked = this.links.linked?.get(nameKey);
          if (linked !== undefined) personKind = 'id:';
          personBody = linked ?? fold(name) + '\u0000' + fold(address);
        } else if (this.links.noId!.has(nf.hi, nf.lo)) {
          const seen = this.numbersSeen.get(nameKey);
          if (seen === undefined) this.numbersSeen.set(nameKey, { number: key, hi: nf.hi, lo: nf.lo });
          else if (seen.number !== null && seen.number !== key) seen.number = null;
        }
      }
    }
    const pf = this.fingerprint.start().add(unitCode).add('\u0000').add(personKind).add(personBody).end();
    const newPerson = this.persons.add(pf.hi, pf.lo);
    if (newPerson) this.eligibleByUnit[unit]++;
    else report.personsMerged++;

    if (this.consume) {
      const row = this.row;
      this.cells = cells;
      row.unitIndex = unit;
      row.unitCode = unitCode;
      row.personKind = personKind;
      row.personBody = personBody;
      row.personId = key53(pf.hi, pf.lo);
      row.newPerson = newPerson;
      row.dossierCode = dossierCode;
      row.resultDay = resultDay;
      row.organisation = organisation;
      row.idNumber = idNumber;
      this.consume(row);
    }
  }

  /**
   * The fingerprint of the name+address key identity rules 2 give a row without a usable
   * number: unit, 'na:', fold(name) U+0000 fold(address), as the person's fingerprint would be
   * taken of that key, without building it (most rows that need this have a number).
   */
  private nameAddressFingerprint(unitCode: string, name: string, address: string): { hi: number; lo: number } {
    return this.fingerprint.start().add(unitCode).add('\u0000').add('na:').addFolded(name).add('\u0000').addFolded(address).end();
  }

  /**
   * After a repeated code, for a row the first pass no longer checks: its name+address key, into
   * `noId`, when it has no usable number and a unit of the wave. That is every key the second
   * pass can put into its own `noId` (which only drops rows), and a few more: enough for it to
   * note, as it goes, the numbers seen with them, so no separate linking pass is needed.
   */
  private noteNoIdCandidate(cells: string[]): void {
    const col = this.col;
    const rawId = col.id_number >= 0 ? cleanField(cells[col.id_number]) : '';
    if (rawId !== '' && identityKey(rawId) !== '') return;
    const unitValue = cleanField(cells[col.unit_code]);
    const unit = unitValue === '' ? -1 : this.unitOf(unitValue);
    if (unit === -1) return;
    const address = col.address >= 0 ? cleanField(cells[col.address]) : '';
    const nf = this.nameAddressFingerprint(this.unitCodes[unit], cleanField(cells[col.applicant_name]), address);
    this.noId.add(nf.hi, nf.lo);
  }

  finishReport(): void {
    const report = this.report;
    this.unitCodes.forEach((code, i) => {
      report.rowsByUnit[code] = this.rowsByUnit[i];
      report.eligibleByUnit[code] = this.eligibleByUnit[i];
    });
    report.duplicateDossierCodes = this.duplicates.size;
    for (const { rejection, index } of this.duplicateRejections) {
      rejection.reason = `${REASON.duplicateDossier} ${this.duplicates.describe(index)}`;
    }
    report.unknownUnits = [...this.unknownUnits].map(([value, rows]) => ({ value, rows }));
    report.unitsWithoutRows = this.unitCodes.filter((c) => report.rowsByUnit[c] === 0);
  }

  /** Bytes held by the de-duplication tables. */
  get dedupBytes(): number {
    return (this.dossiers?.bytes ?? 0) + this.persons.bytes + this.noId.bytes;
  }
}

/**
 * One pass over the frame, streaming: bytes → text → CSV records → validated rows. Memory is
 * the current chunk, the fingerprint sets and whatever `consume` keeps. `duplicates` is null
 * on a first pass (which finds them) and the first pass's findings on a second one.
 */
async function readPass(
  input: ByteSource,
  options: FrameOptions,
  consume: RowConsumer | undefined,
  duplicates: DuplicateCodes | null,
  links: Links = { noId: null, linked: null },
  positions = false,
  passNumber = 1,
): Promise<{ scan: FrameScan; duplicates: DuplicateCodes; reader: FrameReader }> {
  const reader = new FrameReader(options, consume, duplicates, links);
  const pass = (scan: Omit<FrameScan, 'dedupBytes'>) => ({ scan: { ...scan, dedupBytes: reader.dedupBytes }, duplicates: reader.duplicates, reader });
  const report = reader.report;
  const state: DecodeState = { encoding: '', sha256: '', bytesRead: 0, ...(positions ? { anchors: [] } : {}) };
  const fail = (fatal: string) => {
    reader.finishReport();
    report.encoding = state.encoding;
    return pass({ ok: false, fatal, sha256: state.sha256, report });
  };

  let parser: Papa.Parser | null = null;
  let newline: '\n' | '\r' = '\n';
  let partial = '';
  let recordNumber = 0;
  let headerSeen = false;

  const handle = (record: string[], cutOff: boolean): void => {
    recordNumber++;
    if (!headerSeen) {
      if (isBlank(record)) return;
      headerSeen = true;
      reader.useHeader(
        record.map((h) => h.replace(/^\uFEFF/, '')),
        state.encoding,
        newline,
      );
      return;
    }
    if (cutOff) reader.rejectCutOff(recordNumber);
    else reader.processRecord(record, recordNumber);
  };

  // With positions, Papa hands over one record at a time with the cursor after it, so that
  // each record's place in the text is known: characters since the start of the file are
  // turned into an anchor byte offset (UTF-8: the decoder's anchors; UTF-16: exact).
  let finalFeed = false;
  let inputChar = 0;
  let recordEnd = 0;
  let anchor = 0;
  const anchors = state.anchors ?? [];
  const locate = (start: number, chars: number): void => {
    if (state.encoding !== 'utf-8') {
      reader.locate(2 + 2 * start, 0, chars);
      return;
    }
    while (anchor + 2 < anchors.length && anchors[anchor + 2] <= start) anchor += 2;
    reader.locate(anchors[anchor + 1], start - anchors[anchor], chars);
  };
  // Papa's typings describe the step of Papa.parse, which unwraps the row; its Parser does not.
  const step = (results: { data: string[][]; errors: Papa.ParseError[]; meta: { cursor: number } }): void => {
    const start = recordEnd;
    recordEnd = results.meta.cursor;
    locate(inputChar + start, recordEnd - start);
    const cutOff = finalFeed && reader.rejectsMalformedRows && results.errors.some((e: Papa.ParseError) => e.code === 'MissingQuotes');
    handle(results.data[0], cutOff);
  };

  const feed = (text: string, final: boolean): void => {
    if (parser === null) {
      const firstBreak = text.search(/[\r\n]/);
      if (firstBreak === -1 && !final) {
        if (text.length > MAX_RECORD_CHARS) throw new FatalFrameError(NO_LINE_BREAK);
        partial = text;
        return;
      }
      const headerLine = firstBreak === -1 ? text : text.slice(0, firstBreak);
      report.delimiter = detectDelimiter(headerLine);
      // '\n' also splits CRLF files: the stray '\r' ends up as trailing space and is trimmed,
      // and Papa accepts whitespace between a closing quote and the line break.
      newline = text.includes('\n') || !text.includes('\r') ? '\n' : '\r';
      parser = new Papa.Parser({ delimiter: report.delimiter, newline, quoteChar: '"', ...(positions ? { step: step as unknown as Papa.ParseConfig['step'] } : {}) });
    }
    reader.checkNul = reader.rejectsMalformedRows && text.includes('\u0000');
    finalFeed = final;
    recordEnd = 0;
    const results = parser.parse(text, 0, !final);
    const records = results.data as string[][];
    // Only the last record of the file can end inside quotes (a longer one fails above): it was cut off.
    const cutOff = final && reader.rejectsMalformedRows && results.errors.some((e: Papa.ParseError) => e.code === 'MissingQuotes') ? records.length - 1 : -1;
    for (let i = 0; i < records.length; i++) handle(records[i], i === cutOff);
    inputChar += results.meta.cursor;
    partial = final ? '' : text.slice(results.meta.cursor);
    if (partial.length > MAX_RECORD_CHARS) {
      throw new FatalFrameError(
        `Dấu ngoặc kép (") mở ở dòng ${recordNumber + 1} không được đóng, nên phần còn lại của tệp bị đọc thành một ô; hãy kiểm tra lại tệp.`,
      );
    }
  };

  try {
    for await (const text of decodeFrame(input, state)) {
      feed(partial + text, false);
      options.onProgress?.({ pass: passNumber, rows: report.rowsRead, bytes: state.bytesRead });
    }
    feed(partial, true);
    options.onProgress?.({ pass: passNumber, rows: report.rowsRead, bytes: state.bytesRead });
  } catch (error) {
    if (error instanceof FatalFrameError) return fail(error.message);
    return fail(`Không đọc được tệp: ${error instanceof Error ? error.message : String(error)}.`);
  }

  report.encoding = state.encoding;
  reader.finishReport();
  if (state.bytesRead === 0 || !headerSeen) return fail('Tệp rỗng: không có dòng nào.');
  if (report.rowsRead === 0) return fail('Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.');
  return pass({ ok: true, sha256: state.sha256, report });
}

/**
 * Reads the frame; `open` gives a fresh stream of the same bytes each time it is called, and
 * `startConsumer` a fresh consumer for each pass.
 *
 * A dossier code on several rows gets all of them rejected, since which one is right cannot be
 * known, and keeping the first would make the result depend on the order of the rows. Whether
 * a code repeats is only known at the end, so a file with repeats is read a second time with
 * those codes excluded, and the second pass is the result; a clean file is read once.
 */
function changedWhileRead(scan: FrameScan): FrameScan {
  return { ...scan, ok: false, fatal: 'Tệp khung mẫu bị thay đổi trong lúc đọc (hai lần đọc cho hai nội dung khác nhau); hãy nhập lại.' };
}

/**
 * What readFrame keeps of a pass. Not its reader: the reader's de-duplication tables (one
 * fingerprint per row and per person) are garbage once its pass has ended, and holding every
 * pass's tables until the last pass ended made a 4 M-row import peak tens of MB higher.
 */
interface KeptPass {
  scan: FrameScan;
  duplicates: DuplicateCodes;
  noId: FingerprintSet;
  numbersSeen: Map<number, NumberSeen>;
}

async function kept(pass: ReturnType<typeof readPass>): Promise<KeptPass> {
  const { scan, duplicates, reader } = await pass;
  return { scan, duplicates, noId: reader.noId, numbersSeen: reader.numbersSeen };
}

export async function readFrame(
  open: () => ByteSource,
  options: FrameOptions,
  startConsumer?: () => RowConsumer,
  /** Give each row's place in the file (EligibleRow.at): costs a little, only a draw index needs it. */
  positions = false,
): Promise<FrameScan> {
  const identityRules2 = (options.frameRules ?? 2) === 2;
  let pass = 1;
  const first = await kept(readPass(open(), options, startConsumer?.(), null, undefined, positions));
  let scan = first.scan;
  let noId = first.noId;
  /** The numbers the complete pass saw with name+address keys of rows without one, when it looked. */
  let numbersSeen: Map<number, NumberSeen> | null = null;
  if (first.duplicates.size > 0) {
    // Under identity rules 2 the first pass gave every name+address key the second can meet on
    // a row without a usable number (and a few more): the second notes the numbers seen with
    // them as it goes, instead of a linking pass after it.
    const links = identityRules2 && first.noId.size > 0 ? { noId: first.noId, linked: null } : undefined;
    const second = await kept(readPass(open(), options, startConsumer?.(), first.duplicates, links, positions, ++pass));
    const dedupBytes = Math.max(first.scan.dedupBytes, second.scan.dedupBytes);
    // After a fatal error the first pass's verdict stands, whatever a second read of a
    // possibly shorter copy gives; its report, which stopped counting at the first repeated
    // code, is replaced by the second pass's, complete up to where reading stopped.
    if (!first.scan.ok) return { ...first.scan, report: second.scan.report, dedupBytes };
    scan = { ...second.scan, dedupBytes };
    noId = second.noId;
    if (links) numbersSeen = second.numbersSeen;
    if (scan.ok && scan.sha256 !== first.scan.sha256) return changedWhileRead(scan);
  }
  if (scan.ok && identityRules2 && noId.size > 0) {
    // Rows without a usable number exist: which of them carry, under the same name and
    // address, exactly one number elsewhere? Whether a link exists is only known at the end of
    // a pass that looked (the second pass, or a linking pass over the file); if any does, a last
    // pass ranks them as that person. Without links the complete pass gave the very rows and
    // keys of that last pass (the file is checked unchanged), so consumers keep what it gave them.
    const known = first.duplicates.again();
    if (numbersSeen === null) {
      const linking = await kept(readPass(open(), options, undefined, known, { noId, linked: null }, false, ++pass));
      const dedupBytes = Math.max(scan.dedupBytes, linking.scan.dedupBytes);
      if (!linking.scan.ok) return { ...linking.scan, dedupBytes };
      if (linking.scan.sha256 !== first.scan.sha256) return changedWhileRead(linking.scan);
      scan = { ...scan, dedupBytes };
      numbersSeen = linking.numbersSeen;
    }
    const linked = new Map<number, string>();
    // Only keys of the complete pass's rows without a number count (the second pass looked for a few more).
    for (const [key, seen] of numbersSeen) if (seen.number !== null && noId.has(seen.hi, seen.lo)) linked.set(key, seen.number);
    if (linked.size > 0) {
      const last = await kept(readPass(open(), options, startConsumer?.(), known.again(), { noId: null, linked }, positions, ++pass));
      scan = { ...last.scan, dedupBytes: Math.max(scan.dedupBytes, last.scan.dedupBytes) };
      if (scan.ok && scan.sha256 !== first.scan.sha256) return changedWhileRead(scan);
    }
  }
  const report = scan.report;
  if (scan.ok && options.strict && report.rowsRejected > 0) {
    return {
      ok: false,
      fatal: `Chế độ nghiêm ngặt: ${report.rowsRejected} dòng bị từ chối nên không nhập dòng nào; hãy sửa tệp theo danh sách lỗi rồi nhập lại.`,
      sha256: scan.sha256,
      report,
      dedupBytes: scan.dedupBytes,
    };
  }
  return scan;
}

/**
 * The import: reads the frame and reports on it. With `index`, also writes there the draw index
 * (draw-index.ts): what the draw needs per eligible person, so the draw does not read the
 * frame again (drawFromIndex).
 */
export async function scanFrame(open: () => ByteSource, options: FrameOptions, index?: DrawIndexSink): Promise<FrameScan> {
  if (index === undefined) return readFrame(open, options);
  const writer = new DrawIndexWriter(index, options);
  const scan = await readFrame(open, options, () => writer.startPass(), true);
  writer.finish(scan);
  return scan;
}
