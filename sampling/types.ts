export interface UnitRef {
  code: string;
  name: string;
}

export interface FrameOptions {
  /** The wave's units; a row may name its unit by code or by name. */
  units: UnitRef[];
  /** ISO yyyy-mm-dd, inclusive; rows outside are read but not eligible. */
  period?: { from: string; to: string };
  /** Default true: rows with no usable address are not eligible. */
  requirePostalAddress?: boolean;
  /** Default false. */
  excludeOrganisations?: boolean;
  /** When true, any rejected row makes the scan fail so that nothing is committed. */
  strict?: boolean;
  /**
   * Which generation of frame-reading rules (default 2), fixed by the draw's method version.
   * 1 (sipas-sampling-1.1.0): identity number, repaired only when Excel dropped one leading
   * zero of a 12-digit number, else name+address; rows read whatever their shape. 2
   * (1.2.0): identity key without leading zeros (scientific notation read back when exact), a
   * row with no usable number joins the one number carried by rows of the same name+address in
   * its unit, and malformed rows (cell count unlike the header's, a NUL byte, a final quote
   * never closed) are rejected.
   */
  frameRules?: 1 | 2;
  /**
   * Told how far reading has got, after each chunk of the file (a few hundred rows): cheap
   * enough to call as is, so a caller that records progress decides how often it writes.
   */
  onProgress?: (progress: ReadProgress) => void;
}

/**
 * Where a read of the frame is: pass 1 reads the file (`rows` and `bytes` read so far); pass 2,
 * told once with the file's totals, decides what needed the whole file (repeated dossier codes,
 * rows linked to a number) from what pass 1 wrote down (scanFrame).
 */
export interface ReadProgress {
  pass: number;
  rows: number;
  bytes: number;
}

/** Raw bytes of the frame file, in order (a Node read stream or a web stream). */
export type ByteSource = AsyncIterable<Uint8Array>;

/**
 * Room for what one read of a frame writes down and reads back (its row log, row-log.ts; a
 * draw index made only to draw from): memory for small frames and tests, a file for large
 * ones, so that memory stays flat whatever the frame's size. What is written may be personal
 * data: the caller that gives the space deletes it once the read ends.
 */
export interface ScratchSpace {
  /** The bytes are only valid during the call. */
  write(bytes: Uint8Array): void;
  /** A fresh read of everything written so far, in order. */
  read(): ByteSource;
}

export interface Rejection {
  /** Row number as Excel shows it: the header is row 1. */
  row: number;
  field?: string;
  value?: string;
  reason: string;
}

export interface ImportReport {
  /** Non-empty data rows. */
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  /** The first 1000 rejected rows. */
  rejections: Rejection[];
  /** Every rejected row, counted by reason. */
  rejectionCounts: Record<string, number>;
  /** Dossier codes that occur on more than one row. */
  duplicateDossierCodes: number;
  /** Eligible dossiers that belong to a person already counted in the same unit. */
  personsMerged: number;
  /** Distinct eligible persons per unit code (N). */
  eligibleByUnit: Record<string, number>;
  /** Accepted rows per unit code. */
  rowsByUnit: Record<string, number>;
  /** Accepted rows that are not eligible, by the first reason that applies. */
  ineligible: { outsidePeriod: number; noAddress: number; organisation: number };
  unknownUnits: { value: string; rows: number }[];
  /** Codes of the wave's units that have no accepted row. */
  unitsWithoutRows: string[];
  encoding: string;
  delimiter: string;
  columns: { field: string; header: string }[];
  ignoredColumns: string[];
}

export interface FrameScan {
  ok: boolean;
  /** Why nothing can be imported, in one Vietnamese sentence. */
  fatal?: string;
  /** SHA-256 of the raw bytes; '' when reading stopped before the end of the file. */
  sha256: string;
  report: ImportReport;
  /**
   * Bytes the de-duplication tables (a fingerprint per dossier code and per eligible person)
   * held at the end of the largest pass: the only memory that grows with the number of rows.
   */
  dedupBytes: number;
}

/**
 * Which allocation rules a draw ran under (sampling/allocate.ts): 1 = proportional units
 * pinned at a bound for good, an unreachable total planned silently; 2 = n_u = clamp(λ·N_u,
 * min, max, N_u) with the total met exactly or refused. Fixed and margin are the same in both.
 */
export type AllocationVersion = 1 | 2;

/** `version` absent = the current rules; a recorded draw always carries it. */
export type Allocation = (
  | { kind: 'fixed'; perUnit: number }
  | { kind: 'proportional'; total: number; min?: number; max?: number }
  | { kind: 'margin'; margin: number; max?: number }
) & { version?: AllocationVersion };

export interface DrawOptions extends FrameOptions {
  seed: string;
  allocation: Allocation;
  /** Reserves per unit are ceil(planned × reservePercent / 100). */
  reservePercent: number;
  /** The method version to draw under (default SAMPLING_CODE_VERSION): an old draw is re-run under its own. */
  codeVersion?: string;
}

export type Role = 'primary' | 'reserve';

export interface DrawnEntry {
  unitCode: string;
  role: Role;
  /** 1-based within unit and role. */
  rank: number;
  dossierCode: string;
  procedure: string | null;
  /** ISO yyyy-mm-dd. */
  resultDate: string;
  channel: string | null;
  applicant: {
    name: string;
    type: 'individual' | 'organisation';
    idNumber: string | null;
    phone: string | null;
    address: string | null;
  };
}

export interface UnitDraw {
  unitCode: string;
  eligible: number;
  planned: number;
  drawn: number;
  reserve: number;
  shortfall: number;
}

export interface DrawResult {
  ok: boolean;
  fatal?: string;
  sha256: string;
  /** As in FrameScan. */
  dedupBytes: number;
  seed: string;
  allocation: Allocation;
  reservePercent: number;
  method: string;
  codeVersion: string;
  report: ImportReport;
  /** One per wave unit, by unit code. Empty when ok is false. */
  units: UnitDraw[];
  /** By unit code, primary before reserve, then rank. Empty when ok is false. */
  entries: DrawnEntry[];
}

/** One drawn line as stored, which is all `draw verify` compares. */
export interface SampleLine {
  unitCode: string;
  role: Role;
  rank: number;
  dossierCode: string;
}
