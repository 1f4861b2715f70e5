/*
 * A large frame file read in two parts at once, on two threads (issue 15: the read is per-row
 * work on one core, and a server has two or more). The file is split at a line break near its
 * middle; this thread reads the first part, another the second, each into its own row log; the
 * two logs are then replayed in file order (frame-replay.ts), as one read would have been.
 *
 * Nothing about the result may depend on the split:
 *   - the split is only a guess (a line break whose neighbour lines each hold an even number
 *     of quotes, so unlikely to be inside a quoted cell); this thread's reader confirms it, by
 *     standing at the start of a record once it has read up to it. If it does not, or if the second part fails in any
 *     way, this thread reads the second part itself, as if nothing had been tried;
 *   - the second part's rows are numbered after the first part's, and its logged positions are
 *     positions in the whole file;
 *   - a dossier code is repeated when either part repeats it or both have it;
 *   - identity rules 2 link a row without a number to the numbers of its name and address seen
 *     anywhere after its first such row; the second part noted those after its own first such
 *     row, and the numbers it holds for keys whose first such row was in the first part are
 *     taken from its log here (notePartNumbers).
 * The SHA-256 is of the whole file, in order: this thread hashes the second part's bytes after
 * its own, while the other thread is still reading.
 */
import type { Hash } from 'node:crypto';
import type { ReadRanges } from './draw-from-index';
import { readPass } from './frame-pass';
import { FrameReader, type PartHeader } from './frame-reader';
import { MAX_LISTED_REJECTIONS, type NumberSeen, type RowLogPart } from './frame-replay';
import { Outcome, key53, readRowLog } from './row-log';
import type { ByteSource, FrameOptions, ImportReport, ScratchSpace } from './types';

/** Below this size a file is read whole on one thread: starting the second would cost about what it saves. */
export const PARTS_FROM_BYTES = 8 << 20;
/**
 * Above this size (about 2.4 million rows of a one-stop export) a file is read whole on one
 * thread too: a second parser's memory, with the tables of that many rows, would pass the
 * 300 MB a read may take (bench/README.md, eighth session). Time matters less than a bound on
 * memory for the rare file this large.
 */
export const PARTS_UP_TO_BYTES = 512 << 20;
/** Bytes looked at around the middle of the file for a line break to split at. */
const SPLIT_WINDOW = 64 * 1024;
/** Lines on each side of the split that must look whole (findSplit). */
const SPLIT_QUIET_LINES = 3;
const QUOTE = 0x22;
const LINE_FEED = 0x0a;

/** A frame file on this machine, readable in parts: what lets a read use a second thread. */
export interface FrameFile {
  size: number;
  /** Bytes [start, end) of the file, in order. */
  read(start: number, end: number): ByteSource;
  /** Byte ranges read alone (a draw's drawn rows); absent, they are picked out of one more read of the file. */
  ranges?: ReadRanges;
  /** Reads a part of the file on another thread; absent, the file is read whole on this one. */
  readPart?: PartReader;
  /** Files smaller than this are read whole on this thread (default PARTS_FROM_BYTES; tests set it low). */
  partsFromBytes?: number;
  /** Files larger than this are read whole on this thread (default PARTS_UP_TO_BYTES). */
  partsUpToBytes?: number;
}

export function isFrameFile(input: ByteSource | FrameFile): input is FrameFile {
  return !(Symbol.asyncIterator in input);
}

/** The second part of a file, as another thread reads it (plain data: it is posted there). */
export interface FramePartTask {
  /** Bytes [start, end) of the file: from the start of a record to the end of the file. */
  start: number;
  end: number;
  header: PartHeader;
  options: Omit<FrameOptions, 'onProgress'>;
  /** Each record's place is logged (a draw index is being written). */
  positions: boolean;
}

/** What reading a part found, besides its log (plain data: it is posted back). */
export interface FramePart {
  fatal?: undefined;
  /** Records read, blank ones included: the part's row numbers start after the first part's. */
  records: number;
  /** Rows read and those refused during the read, numbered within the part. */
  report: ImportReport;
  /** Every dossier code's fingerprint, as (hi, lo) pairs (FingerprintSet.entries). */
  codes: Int32Array;
  /** Bytes the part's de-duplication tables held (FrameScan.dedupBytes). */
  dedupBytes: number;
  /** The codes repeated within the part (DuplicateCodes.keys). */
  repeated: number[];
  /** Identity rules 2 (else null): name+address keys of eligible rows without a number, as (hi, lo) pairs. */
  noIdCandidates: Int32Array | null;
  /** Identity rules 2: numbers seen after the part's own first row without one of their key (PassFindings.numbersAfter). */
  numbersAfter: [number, NumberSeen[]][];
}

/** A part read, or why it was not (the first part's reader then reads it itself). */
export type PartOutcome = FramePart | { fatal: string };

/**
 * Reads a part on another thread: readFramePart there, over bytes [task.start, task.end) of the
 * file, its log written here into `log`, in order, before it resolves; told how far the part has
 * got. Resolves with `fatal` (never rejects) when the part cannot be read there, so that this
 * thread reads it instead.
 */
export type PartReader = (task: FramePartTask, log: ScratchSpace, onProgress: (rows: number, bytes: number) => void) => Promise<PartOutcome>;

/** What the other thread runs: reads the part as the one pass reads a file, its log into `log`. */
export async function readFramePart(input: ByteSource, task: FramePartTask, log: ScratchSpace, onProgress?: (rows: number, bytes: number) => void): Promise<PartOutcome> {
  const reader = new FrameReader(task.options, log, task.start);
  const end = await readPass(input, reader, { positions: task.positions, part: task.header, onChunk: onProgress });
  reader.log.flush();
  if (end.fatal !== undefined) return { fatal: end.fatal };
  return {
    records: reader.records,
    report: reader.report,
    codes: reader.dossiers.entries(),
    dedupBytes: reader.dedupBytes,
    repeated: reader.duplicates.keys(),
    noIdCandidates: reader.noIdCandidates?.entries() ?? null,
    numbersAfter: [...reader.numbersAfter],
  };
}

async function readBytes(file: FrameFile, start: number, end: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const chunk of file.read(start, end)) parts.push(chunk);
  return Buffer.concat(parts);
}

/**
 * Where to split the file: the start of a line near the middle such that it and the lines
 * around it each hold an even number of quote characters (a line break inside a quoted cell has
 * an odd count on the cell's first and last lines), or null when the file is read whole (small
 * or very large, UTF-16, no such line). Only a cell of more than SPLIT_QUIET_LINES quiet lines
 * can fool it, and the first part's reader then finds out.
 */
export async function findSplit(file: FrameFile): Promise<number | null> {
  if (file.readPart === undefined || file.size < (file.partsFromBytes ?? PARTS_FROM_BYTES) || file.size > (file.partsUpToBytes ?? PARTS_UP_TO_BYTES)) return null;
  const head = await readBytes(file, 0, 2);
  // UTF-16 has no byte-wise line breaks; the one reader says what it says of other files.
  if ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff)) return null;
  const from = Math.floor(file.size / 2);
  const window = await readBytes(file, from, Math.min(file.size, from + SPLIT_WINDOW));
  // Whether each whole line of the window (from one line feed to the next) has an even number of quotes.
  const even: boolean[] = [];
  const ends: number[] = [];
  let quotes = 0;
  let started = false;
  for (let i = 0; i < window.length; i++) {
    const byte = window[i];
    if (byte === QUOTE) quotes++;
    else if (byte === LINE_FEED) {
      if (started) even.push(quotes % 2 === 0);
      ends.push(i);
      started = true;
      quotes = 0;
    }
  }
  // Line k runs from ends[k] to ends[k + 1]; a split after ends[k] needs lines k - n .. k + n - 1 even.
  const n = SPLIT_QUIET_LINES;
  for (let k = n; k + n <= even.length; k++) {
    if (even.slice(k - n, k + n).every(Boolean)) return from + ends[k] + 1;
  }
  return null;
}

/**
 * The first part's side of a read in parts: `source()` is what this thread's reader reads,
 * the file up to `at`, the other part started on the other thread as soon as the header is
 * known; then, if the split is confirmed and the part read, the part merged into the reader.
 * Otherwise the rest of the file follows in the same source.
 */
export class ReadInParts {
  /** Rows and bytes the other thread has read so far. */
  partRows = 0;
  partBytes = 0;
  /** Bytes its de-duplication tables held, once merged. */
  partDedupBytes = 0;
  /** Set once the second part is merged: its log, to replay after the first's, and the whole file's SHA-256. */
  merged: { log: RowLogPart; sha256: string } | null = null;
  /** The other thread's read, once started; dropped once merged, so that what it found (its codes) is not kept through the replay. */
  #part: Promise<PartOutcome> | null = null;
  #started = false;
  #settled: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly file: FrameFile & { readPart: PartReader },
    /** Where the second part starts (findSplit). */
    private readonly at: number,
    /** This thread's reader, which the second part is merged into. */
    private readonly reader: FrameReader,
    private readonly how: {
      options: FrameOptions;
      positions: boolean;
      /** Room for the second part's log. */
      logSpace: ScratchSpace;
      /** The hash the first part's bytes go into. */
      hash: Hash;
      /** Told when the second part has read more (partRows, partBytes). */
      onPartProgress: () => void;
    },
  ) {}

  async *source(): AsyncGenerator<Uint8Array> {
    for await (const chunk of this.file.read(0, this.at)) {
      yield chunk;
      if (!this.#started && this.reader.partHeader?.encoding === 'utf-8') this.#start(this.reader.partHeader);
    }
    if (this.#part !== null && this.reader.pendingChars === 0) {
      // The other thread is likely still reading: this one hashes the rest meanwhile.
      const hashed = this.how.hash.copy();
      for await (const chunk of this.file.read(this.at, this.file.size)) hashed.update(chunk);
      const part = await this.#part;
      this.#part = null;
      if (part.fatal === undefined) {
        await this.#merge(part);
        this.merged!.sha256 = hashed.digest('hex');
        return;
      }
    }
    // The split fell inside a record, or the part could not be read there: read on alone.
    this.partRows = 0;
    this.partBytes = 0;
    yield* this.file.read(this.at, this.file.size);
  }

  /** Settles once the other thread is done: a part not used may still be reading when the source ends. */
  async settled(): Promise<void> {
    await this.#settled;
  }

  #start(header: PartHeader): void {
    const { onProgress: _onProgress, ...options } = this.how.options;
    const task: FramePartTask = { start: this.at, end: this.file.size, header, options, positions: this.how.positions };
    this.#started = true;
    this.#part = this.file.readPart(task, this.how.logSpace, (rows, bytes) => {
      this.partRows = rows;
      this.partBytes = bytes;
      this.how.onPartProgress();
    });
    this.#settled = this.#part.then(() => undefined);
  }

  async #merge(part: FramePart): Promise<void> {
    const reader = this.reader;
    const rowBase = reader.records;
    const log: RowLogPart = { open: () => this.how.logSpace.read(), rowBase };
    mergeReport(reader.report, part.report, rowBase);
    for (const key of part.repeated) reader.duplicates.addKey(key);
    // A code of both parts is repeated. The sets stay apart: only the repeats are needed from here on.
    const codes = part.codes;
    for (let k = 0; k < codes.length; k += 2) if (reader.dossiers.has(codes[k], codes[k + 1])) reader.duplicates.add(codes[k], codes[k + 1]);
    this.partDedupBytes = part.dedupBytes;
    const first = reader.noIdCandidates;
    if (first !== null) {
      const noted = first.size > 0 ? await notePartNumbers(log, first, reader.numbersAfter) : new Set<number>();
      for (const [key, seen] of part.numbersAfter) {
        if (noted.has(key)) continue;
        const numbers = reader.numbersAfter.get(key);
        if (numbers === undefined) reader.numbersAfter.set(key, seen);
        else numbers.push(...seen);
      }
      const keys = part.noIdCandidates!;
      for (let k = 0; k < keys.length; k += 2) first.add(keys[k], keys[k + 1]);
    }
    reader.records += part.records;
    // Its rows are the report's now; its bytes still count.
    this.partRows = 0;
    this.merged = { log, sha256: '' };
  }
}

/** The part's counts and rejections added to the first part's report, its rows numbered after `rowBase`. */
function mergeReport(report: ImportReport, part: ImportReport, rowBase: number): void {
  report.rowsRead += part.rowsRead;
  report.rowsRejected += part.rowsRejected;
  for (const [reason, count] of Object.entries(part.rejectionCounts)) report.rejectionCounts[reason] = (report.rejectionCounts[reason] ?? 0) + count;
  for (const rejection of part.rejections) {
    if (report.rejections.length >= MAX_LISTED_REJECTIONS) break;
    report.rejections.push({ ...rejection, row: rejection.row + rowBase });
  }
}

/**
 * Identity rules 2: the numbers the part's eligible rows carry with a name+address key whose
 * first row without a number was in the first part. All of them come after that row, so they
 * join the first part's numbersAfter. Gives the keys noted: the part's own numbersAfter of
 * these keys are among what was just noted.
 */
async function notePartNumbers(log: RowLogPart, keys: { has(hi: number, lo: number): boolean }, numbersAfter: Map<number, NumberSeen[]>): Promise<Set<number>> {
  const noted = new Set<number>();
  const decoder = new TextDecoder();
  await readRowLog(log.open(), { nameKeys: true, rowBase: log.rowBase }, (r, texts) => {
    if (r.outcome !== Outcome.eligible || r.kind !== 0 || !keys.has(r.nameHi, r.nameLo)) return;
    const key = key53(r.nameHi, r.nameLo);
    const seen: NumberSeen = { number: decoder.decode(texts.data.subarray(texts.bodyStart, texts.bodyEnd)), codeHi: r.codeHi, codeLo: r.codeLo };
    const numbers = numbersAfter.get(key);
    if (numbers === undefined) numbersAfter.set(key, [seen]);
    else numbers.push(seen);
    noted.add(key);
  });
  return noted;
}
