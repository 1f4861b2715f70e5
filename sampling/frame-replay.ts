/*
 * The second half of reading a frame: once the one pass (frame-pass.ts) has read every row, what
 * depended on the whole file is decided from its row log (row-log.ts), in file order, exactly
 * as a read that knew it from the first row would have:
 *   - a dossier code on several rows gets all of them rejected (which one is right cannot be
 *     known, and keeping the first would make the result depend on the order of the rows);
 *   - identity rules 2: a row without a usable number joins the one number carried by eligible
 *     rows of the same name+address in its unit (Links);
 *   - who is a new person in their unit, the per-unit counts and the rejections listed.
 */
import { FingerprintSet } from './fingerprint-set';
import { FIELD_LABELS, type Field } from './headers';
import { Outcome, key53, readRowLog, type LogRecord, type LogTexts } from './row-log';
import { Fingerprint } from './text';
import type { ByteSource, ImportReport, Rejection } from './types';

export const MAX_LISTED_REJECTIONS = 1000;
const MAX_LISTED_UNKNOWN_UNITS = 1000;
// Rows named in the message of a duplicated dossier code; the rest are counted.
const MAX_LISTED_DUPLICATE_ROWS = 5;

export const REASON = {
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

/** The rejection of each outcome that is one, with the field it names. */
const REJECTED: Partial<Record<Outcome, { reason: string; field: Field }>> = {
  [Outcome.missingUnit]: { reason: REASON.missingUnit, field: 'unit_code' },
  [Outcome.unknownUnit]: { reason: REASON.unknownUnit, field: 'unit_code' },
  [Outcome.missingName]: { reason: REASON.missingName, field: 'applicant_name' },
  [Outcome.missingDate]: { reason: REASON.missingDate, field: 'result_date' },
  [Outcome.badDate]: { reason: REASON.badDate, field: 'result_date' },
};

/** Adds a rejection to the report: counted always, listed among the first MAX_LISTED_REJECTIONS. */
export function reject(report: ImportReport, row: number, reason: string, field?: Field, value?: string): Rejection | null {
  report.rowsRejected++;
  report.rejectionCounts[reason] = (report.rejectionCounts[reason] ?? 0) + 1;
  if (report.rejections.length >= MAX_LISTED_REJECTIONS) return null;
  const rejection: Rejection = {
    row,
    ...(field ? { field: FIELD_LABELS[field] } : {}),
    ...(value !== undefined ? { value } : {}),
    reason,
  };
  report.rejections.push(rejection);
  return rejection;
}

/**
 * Dossier codes that occur on more than one row: the pass finds them (a small map: one entry
 * per repeated code, not per row), the replay rejects their rows and notes where each occurs,
 * for the message.
 */
export class DuplicateCodes {
  private readonly index = new Map<number, number>();
  private readonly rows: number[][] = [];
  private readonly rowCounts: number[] = [];

  get size(): number {
    return this.index.size;
  }

  add(hi: number, lo: number): void {
    this.addKey(key53(hi, lo));
  }

  /** Adds a code by its key (key53), as `keys()` gives them: the repeats a part of the file found (frame-parts.ts). */
  addKey(key: number): void {
    if (!this.index.has(key)) this.index.set(key, this.index.size);
  }

  keys(): number[] {
    return [...this.index.keys()];
  }

  /** Index of the code with this fingerprint, or -1 when it occurs once. */
  indexOf(hi: number, lo: number): number {
    return this.index.size === 0 ? -1 : (this.index.get(key53(hi, lo)) ?? -1);
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

/** What the pass learnt that the replay needs, besides the log. */
export interface PassFindings {
  /** The report as the pass left it: rows read, the rows refused before their dossier code, the file's shape. */
  report: ImportReport;
  duplicates: DuplicateCodes;
  /** Identity rules 2: name+address keys of eligible rows without a usable number, rows of repeated codes included; null under rules 1. */
  noIdCandidates: FingerprintSet | null;
  /** Identity rules 2: name+address key (key53) → the numbers of the eligible rows with one seen after its first row without one. */
  numbersAfter: Map<number, NumberSeen[]>;
  unitCodes: string[];
}

/** One eligible row as the draw index takes it (draw-index.ts): byte fields point into `texts.data`. */
export interface ResolvedRow {
  unitIndex: number;
  newPerson: boolean;
  personId: number;
  /** 'id:' (0) or 'na:' (1). */
  kind: 0 | 1;
  /** The key's body, when it is not the logged one (a linked row: its number); else null and the body is texts[bodyStart, bodyEnd). */
  linkedBody: string | null;
  texts: LogTexts;
  at: number;
  skip: number;
  chars: number;
}

/** The row log of the file, or of one part of it: the rows before that part are `rowBase`. */
export interface RowLogPart {
  open: () => ByteSource;
  rowBase: number;
}

/** An identity number seen with a name+address key, on the row of a dossier code. */
export interface NumberSeen {
  number: string;
  codeHi: number;
  codeLo: number;
}

/**
 * Identity rules 2: whether a row without a usable number joins the one number that eligible
 * rows (their codes not repeated) of the same unit, name and address carry, decided at the
 * first eligible row without a number of each name+address key. The numbers seen after that
 * row were noted by the pass (PassFindings.numbersAfter, their codes with them since which
 * codes repeat was not known yet); those seen before it are noted here, as the replay meets them.
 */
class Links {
  /** Name+address key (key53) → the number seen before its first row without one, null once two differ. */
  private readonly before = new Map<number, string | null>();
  /** Name+address key → the one number it joins, or null. */
  private readonly decided = new Map<number, string | null>();
  private readonly decoder = new TextDecoder();

  constructor(
    private readonly findings: PassFindings,
    private readonly duplicates: DuplicateCodes,
  ) {}

  /** An eligible row with a number, its code not repeated. */
  noteNumber(r: LogRecord, texts: LogTexts): void {
    if (!this.findings.noIdCandidates!.has(r.nameHi, r.nameLo)) return;
    const key = key53(r.nameHi, r.nameLo);
    if (this.decided.has(key)) return;
    const number = this.decoder.decode(texts.data.subarray(texts.bodyStart, texts.bodyEnd));
    const seen = this.before.get(key);
    if (seen === undefined) this.before.set(key, number);
    else if (seen !== null && seen !== number) this.before.set(key, null);
  }

  /** An eligible row without a number, its code repeated or not: the number its key joins, or null. */
  numberOf(r: LogRecord): string | null {
    const key = key53(r.nameHi, r.nameLo);
    let number = this.decided.get(key);
    if (number === undefined) {
      number = this.before.get(key) ?? null;
      let several = this.before.get(key) === null;
      for (const seen of this.findings.numbersAfter.get(key) ?? []) {
        if (several || this.duplicates.indexOf(seen.codeHi, seen.codeLo) !== -1) continue;
        if (number === null) number = seen.number;
        else if (number !== seen.number) several = true;
      }
      if (several) number = null;
      this.before.delete(key);
      this.decided.set(key, number);
    }
    return number;
  }
}

/**
 * Replays the log into the report (completing what the pass left) and hands each eligible row,
 * resolved, to `emit`. Gives the bytes its de-duplication tables held.
 */
export async function replayLog(
  /** The file's logs in file order: one, or one per part of a file read in parts (frame-parts.ts). */
  logs: RowLogPart[],
  findings: PassFindings,
  /** An empty set for the persons' fingerprints. */
  persons: FingerprintSet,
  emit: ((row: ResolvedRow) => void) | undefined,
  /** Awaited after each chunk of the log (a sink that stores slowly holds the replay back). */
  afterChunk?: () => Promise<void>,
): Promise<number> {
  const { report, duplicates, unitCodes } = findings;
  const rules2 = findings.noIdCandidates !== null;
  const links = rules2 && findings.noIdCandidates!.size > 0 ? new Links(findings, duplicates) : null;

  const listed: Rejection[] = [];
  const late: ImportReport = { ...report, rowsRejected: 0, rejections: listed, rejectionCounts: {} };
  const duplicateRejections: { rejection: Rejection; index: number }[] = [];
  const rowsByUnit = new Int32Array(unitCodes.length);
  const eligibleByUnit = new Int32Array(unitCodes.length);
  const unknownUnits = new Map<string, number>();
  const fingerprint = new Fingerprint();
  const decoder = new TextDecoder();
  const row: ResolvedRow = { unitIndex: 0, newPerson: false, personId: 0, kind: 0, linkedBody: null, texts: null as unknown as LogTexts, at: 0, skip: 0, chars: 0 };
  const codeOf = (r: LogRecord, texts: LogTexts) =>
    r.outcome === Outcome.eligible ? decoder.decode(texts.data.subarray(texts.dossierStart, texts.dossierEnd)) : r.dossierCode;

  const onRecord = (r: LogRecord, texts: LogTexts): void => {
    // Decided at the first row without a number of each key, whether its code repeats or not.
    const linked = links !== null && r.outcome === Outcome.eligible && r.kind === 1 ? links.numberOf(r) : null;
    const duplicate = duplicates.indexOf(r.codeHi, r.codeLo);
    if (duplicate !== -1) {
      duplicates.noteRow(duplicate, r.row);
      // The code is logged with every row that may still be listed.
      const listable = listed.length < MAX_LISTED_REJECTIONS;
      const rejection = reject(late, r.row, REASON.duplicateDossier, 'dossier_code', listable ? codeOf(r, texts) : undefined);
      if (rejection) duplicateRejections.push({ rejection, index: duplicate });
      return;
    }
    const rejected = REJECTED[r.outcome];
    if (rejected !== undefined) {
      if (r.outcome === Outcome.unknownUnit) {
        const count = unknownUnits.get(r.value);
        if (count !== undefined) unknownUnits.set(r.value, count + 1);
        else if (unknownUnits.size < MAX_LISTED_UNKNOWN_UNITS) unknownUnits.set(r.value, 1);
      }
      const quoted = r.outcome === Outcome.unknownUnit || r.outcome === Outcome.badDate ? r.value : undefined;
      reject(late, r.row, rejected.reason, rejected.field, quoted);
      return;
    }
    report.rowsAccepted++;
    rowsByUnit[r.unit]++;
    if (r.outcome === Outcome.outsidePeriod) report.ineligible.outsidePeriod++;
    else if (r.outcome === Outcome.organisation) report.ineligible.organisation++;
    else if (r.outcome === Outcome.noAddress) report.ineligible.noAddress++;
    if (r.outcome !== Outcome.eligible) return;

    let hi = r.personHi;
    let lo = r.personLo;
    let kind = r.kind;
    if (links !== null && kind === 0) links.noteNumber(r, texts);
    if (linked !== null) {
      kind = 0;
      fingerprint.start().add(unitCodes[r.unit]).add('\u0000').add('id:').add(linked).end();
      hi = fingerprint.hi;
      lo = fingerprint.lo;
    }
    const newPerson = persons.add(hi, lo);
    if (newPerson) eligibleByUnit[r.unit]++;
    else report.personsMerged++;
    if (emit === undefined) return;
    row.unitIndex = r.unit;
    row.newPerson = newPerson;
    row.personId = key53(hi, lo);
    row.kind = kind;
    row.linkedBody = linked;
    row.texts = texts;
    row.at = r.at;
    row.skip = r.skip;
    row.chars = r.chars;
    emit(row);
  };
  for (const log of logs) await readRowLog(log.open(), { nameKeys: rules2, rowBase: log.rowBase }, onRecord, afterChunk);

  for (const { rejection, index } of duplicateRejections) rejection.reason = `${REASON.duplicateDossier} ${duplicates.describe(index)}`;
  report.rejections = mergeByRow(report.rejections, listed);
  report.rowsRejected += late.rowsRejected;
  const counts = { ...report.rejectionCounts };
  for (const [reason, count] of Object.entries(late.rejectionCounts)) counts[reason] = (counts[reason] ?? 0) + count;
  // The most frequent reason first: what the administrator fixes first.
  report.rejectionCounts = Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1]));
  report.duplicateDossierCodes = duplicates.size;
  unitCodes.forEach((code, i) => {
    report.rowsByUnit[code] = rowsByUnit[i];
    report.eligibleByUnit[code] = eligibleByUnit[i];
  });
  report.unknownUnits = [...unknownUnits].map(([value, rows]) => ({ value, rows }));
  report.unitsWithoutRows = unitCodes.filter((c) => report.rowsByUnit[c] === 0);
  return persons.bytes;
}

/** The first MAX_LISTED_REJECTIONS of two lists each in row order. */
function mergeByRow(a: Rejection[], b: Rejection[]): Rejection[] {
  const out: Rejection[] = [];
  let i = 0;
  let j = 0;
  while (out.length < MAX_LISTED_REJECTIONS && (i < a.length || j < b.length)) {
    if (j >= b.length || (i < a.length && a[i].row < b[j].row)) out.push(a[i++]);
    else out.push(b[j++]);
  }
  return out;
}
