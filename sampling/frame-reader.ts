/*
 * What the one pass over a frame does with each record: the header's columns, then each row
 * validated as it comes and logged (row-log.ts) with what deciding its fate at the end needs.
 */
import { dayNumber } from './dates';
import { FatalFrameError } from './decode';
import { FingerprintSet } from './fingerprint-set';
import { DuplicateCodes, MAX_LISTED_REJECTIONS, REASON, reject, type NumberSeen, type PassFindings } from './frame-replay';
import { FIELD_LABELS, REQUIRED_FIELDS, mapColumns, type Field } from './headers';
import { LogWriter, Outcome, emptyLogRecord, isAccepted, key53, type LogRecord } from './row-log';
import { Fingerprint, cleanField, fold, identityKey, isUsableAddress, nfc, normaliseIdNumber } from './text';
import type { FrameOptions, ImportReport, ScratchSpace } from './types';

const CACHE_LIMIT = 4096;

const ORGANISATION_TYPES = new Set([
  'to chuc', 'tc', 'doanh nghiep', 'dn', 'cong ty', 'co quan', 'organisation', 'organization', 'org', 'company',
]);

/** What it takes to read one record back from the raw bytes, alone: a draw index keeps it. */
export interface RecordLayout {
  encoding: string;
  delimiter: string;
  newline: '\n' | '\r';
  /** Cell index of each field, -1 when the file has no such column. */
  columns: Record<Field, number>;
}

/** What a part of a file read on its own (frame-parts.ts) needs of the file's start: the header line and how the file reads. */
export interface PartHeader {
  headers: string[];
  encoding: string;
  delimiter: string;
  newline: '\n' | '\r';
}

/** The fields of a drawn row, read back alone from the file, that describe it (draw.ts). */
export interface RecordFields {
  /** NFC. */
  dossierCode: string;
  /** The date as yyyymmdd (see dayNumber). */
  resultDay: number;
  organisation: boolean;
  /** NFC. */
  idNumber: string;
  /** A field of the row, cleaned and NFC. */
  text(field: 'applicant_name' | 'address' | 'procedure' | 'phone' | 'channel'): string;
}

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

export function emptyReport(options: FrameOptions): ImportReport {
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

export function isBlank(record: string[]): boolean {
  for (const cell of record) if (cell.trim() !== '') return false;
  return true;
}

function dayOfIso(iso: string): number {
  return Number(iso.slice(0, 4)) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
}

/**
 * The one pass over the frame: validates each row as it comes and logs (row-log.ts) what
 * deciding its fate at the end needs. Rows refused before their dossier code is read (a wrong
 * cell count, a NUL byte, no code) are final and go straight into the report; the rest are
 * counted by the replay (frame-replay.ts), once repeated codes and links are known.
 */
export class FrameReader {
  readonly report: ImportReport;
  private readonly unitCodes: string[];
  private readonly unitByKey = new Map<string, number>();
  private readonly unitCache = new Map<string, number>();
  private readonly typeCache = new Map<string, boolean>();
  /** Every dossier code seen; the replay needs only the repeated ones, and reuses the set for the persons. */
  readonly dossiers = new FingerprintSet();
  readonly duplicates = new DuplicateCodes();
  /** Identity rules 2: the name+address keys of eligible rows without a usable number (PassFindings.noIdCandidates). */
  readonly noIdCandidates: FingerprintSet | null;
  /** Identity rules 2: the numbers seen with those keys after their first row without one (PassFindings.numbersAfter). */
  readonly numbersAfter = new Map<number, NumberSeen[]>();
  /** Rows logged as rejected, for knowing which may still be listed (LogWriter.add's `texts`). */
  private loggedRejections = 0;
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
  /** How the file's records read, known from the header on. */
  layout: RecordLayout | null = null;
  /** The same, for a part of the file read elsewhere. */
  partHeader: PartHeader | null = null;
  private readonly record = emptyLogRecord();
  readonly log: LogWriter;
  /** Records the CSV parser has handed over, blank ones and the header included: the next one's row number is one more. */
  records = 0;
  /** Characters read but not yet a whole record: 0 when the reader stands at the start of a record. */
  pendingChars = 0;

  constructor(
    options: FrameOptions,
    logSpace: ScratchSpace,
    /** Where the bytes read start in the file: a part of it (frame-parts.ts) logs positions in the whole file. */
    private readonly byteShift = 0,
  ) {
    this.frameRules = options.frameRules ?? 2;
    this.report = emptyReport(options);
    this.unitCodes = options.units.map((u) => u.code);
    this.noIdCandidates = this.frameRules === 2 ? new FingerprintSet() : null;
    this.log = new LogWriter(logSpace, this.frameRules === 2);
    options.units.forEach((unit, i) => this.unitByKey.set(fold(unit.name), i));
    // Codes win over names when a code happens to read like another unit's name.
    options.units.forEach((unit, i) => this.unitByKey.set(fold(unit.code), i));
    this.requireAddress = options.requirePostalAddress ?? true;
    this.excludeOrganisations = options.excludeOrganisations ?? false;
    this.from = options.period ? dayOfIso(options.period.from) : 0;
    this.to = options.period ? dayOfIso(options.period.to) : 99999999;
  }

  /** What the replay needs besides the log. */
  findings(): PassFindings {
    return { report: this.report, duplicates: this.duplicates, noIdCandidates: this.noIdCandidates, numbersAfter: this.numbersAfter, unitCodes: this.unitCodes };
  }

  /**
   * Where the next record lies in the raw file, when the reader is asked for positions (a draw
   * index): it starts `skip` characters after byte `at`, and is `chars` characters long with
   * its line break. Characters, not bytes, because only they come out of the CSV parser; `at`
   * is an anchor the decoder noted at most a few kilobytes before (RecordLayout).
   */
  locate(at: number, skip: number, chars: number): void {
    this.record.at = at + this.byteShift;
    this.record.skip = skip;
    this.record.chars = chars;
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
    this.layout = { encoding, delimiter: this.report.delimiter, newline, columns: mapped.index };
    this.partHeader = { headers, encoding, delimiter: this.report.delimiter, newline };
    this.headerCells = headers.length;
    this.report.columns = mapped.columns;
    this.report.ignoredColumns = mapped.ignoredColumns;
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
    reject(this.report, rowNumber, REASON.unclosedQuote);
  }

  processRecord(cells: string[], rowNumber: number): void {
    if (isBlank(cells)) return;
    const report = this.report;
    if (cells.length !== this.headerCells && this.rejectsMalformedRows) {
      report.rowsRead++;
      reject(report, rowNumber, REASON.cellCount);
      return;
    }
    if (this.checkNul && cells.some((cell) => cell.includes('\u0000'))) {
      report.rowsRead++;
      reject(report, rowNumber, REASON.nulByte);
      return;
    }
    const col = this.col;
    report.rowsRead++;

    const dossierCode = nfc(cleanField(cells[col.dossier_code]));
    if (dossierCode === '') {
      reject(report, rowNumber, REASON.missingDossier, 'dossier_code');
      return;
    }
    const fp = this.fingerprint.of(dossierCode);
    if (!this.dossiers.add(fp.hi, fp.lo)) this.duplicates.add(fp.hi, fp.lo);
    const r = this.record;
    r.codeHi = fp.hi;
    r.codeLo = fp.lo;
    r.row = rowNumber;
    r.dossierCode = dossierCode;
    r.value = '';
    this.classify(cells, r);
    if (r.outcome !== Outcome.eligible && !isAccepted(r.outcome)) this.loggedRejections++;
    // Every row logged as rejected stays rejected (maybe as a repeated code), so once the first
    // MAX_LISTED_REJECTIONS are known, a later row cannot be listed and needs no texts.
    this.log.add(r, report.rejections.length + this.loggedRejections <= MAX_LISTED_REJECTIONS);
  }

  /** The row's outcome if its dossier code does not repeat, and for an eligible row its person key, into `r`. */
  private classify(cells: string[], r: LogRecord): void {
    const col = this.col;
    const unitValue = cleanField(cells[col.unit_code]);
    if (unitValue === '') {
      r.outcome = Outcome.missingUnit;
      return;
    }
    const unit = this.unitOf(unitValue);
    if (unit === -1) {
      r.outcome = Outcome.unknownUnit;
      r.value = nfc(unitValue);
      return;
    }
    const name = cleanField(cells[col.applicant_name]);
    if (name === '') {
      r.outcome = Outcome.missingName;
      return;
    }
    const dateValue = cleanField(cells[col.result_date]);
    if (dateValue === '') {
      r.outcome = Outcome.missingDate;
      return;
    }
    const resultDay = dayNumber(dateValue);
    if (resultDay === 0) {
      r.outcome = Outcome.badDate;
      r.value = nfc(dateValue);
      return;
    }
    r.unit = unit;
    if (resultDay < this.from || resultDay > this.to) {
      r.outcome = Outcome.outsidePeriod;
      return;
    }
    const organisation = col.applicant_type >= 0 && this.isOrganisation(cleanField(cells[col.applicant_type]));
    if (organisation && this.excludeOrganisations) {
      r.outcome = Outcome.organisation;
      return;
    }
    const address = col.address >= 0 ? cleanField(cells[col.address]) : '';
    if (this.requireAddress && !isUsableAddress(address)) {
      r.outcome = Outcome.noAddress;
      return;
    }
    r.outcome = Outcome.eligible;
    this.personKey(r, this.unitCodes[unit], name, address, col.id_number >= 0 ? cleanField(cells[col.id_number]) : '');
  }

  /**
   * The person key of an eligible row, 'id:' + identity key or 'na:' + folded name U+0000
   * folded address, and its fingerprint within the unit. Under identity rules 2 also the
   * fingerprint of the row's name+address key, whatever its kind: a row without a number may
   * join the number of rows with the same one (frame-replay.ts).
   */
  private personKey(r: LogRecord, unitCode: string, name: string, address: string, rawId: string): void {
    let key: string;
    if (this.frameRules === 1) {
      key = idNumberOf(rawId);
    } else {
      key = rawId === '' ? '' : nfc(identityKey(rawId));
      const nf = this.nameAddressFingerprint(unitCode, name, address);
      r.nameHi = nf.hi;
      r.nameLo = nf.lo;
      if (key === '') {
        this.noIdCandidates!.add(nf.hi, nf.lo);
      } else if (this.noIdCandidates!.has(nf.hi, nf.lo)) {
        // Whether this row's code repeats is known only at the end: it is noted with the number.
        // A copy: a longer key is a slice of the chunk's text and would keep all of it.
        const seen = { number: key.length < 13 ? key : [...key].join(''), codeHi: r.codeHi, codeLo: r.codeLo };
        const numbers = this.numbersAfter.get(key53(nf.hi, nf.lo));
        if (numbers === undefined) this.numbersAfter.set(key53(nf.hi, nf.lo), [seen]);
        else numbers.push(seen);
      }
    }
    r.kind = key !== '' ? 0 : 1;
    // Folding drops accents whether they came composed or not, so name and address need no NFC here.
    r.body = key !== '' ? key : fold(name) + '\u0000' + fold(address);
    const pf = this.fingerprint.start().add(unitCode).add('\u0000').add(key !== '' ? 'id:' : 'na:').add(r.body).end();
    r.personHi = pf.hi;
    r.personLo = pf.lo;
  }

  /**
   * The fingerprint of the name+address key identity rules 2 give a row without a usable
   * number: unit, 'na:', fold(name) U+0000 fold(address), as the person's fingerprint would be
   * taken of that key, without building it (most rows that need this have a number).
   */
  private nameAddressFingerprint(unitCode: string, name: string, address: string): { hi: number; lo: number } {
    return this.fingerprint.start().add(unitCode).add('\u0000').add('na:').addFolded(name).add('\u0000').addFolded(address).end();
  }

  /** Bytes held by the pass's de-duplication tables. */
  get dedupBytes(): number {
    return this.dossiers.bytes + (this.noIdCandidates?.bytes ?? 0);
  }
}
