/*
 * The row log: what the one pass over a frame (frame-reader.ts) learns of each row whose fate may
 * still change once the whole file is known, written as it reads and replayed after
 * (frame-replay.ts). Whether a dossier code repeats, which rows without an identity number are
 * linked to one, and so who is a new person, are only known at the end of the file; the log
 * keeps, per row, what deciding them needs, so the file is read once, not two or three times.
 *
 * One record per row that has a dossier code (rows refused before it, a wrong cell count or no
 * code, are final and not logged), in file order:
 *   tag         1 byte: the row's outcome if its code turns out not to repeat (Outcome), + TEXTS
 *               when the row's texts are kept (it may be among the rejections listed)
 *   code        8 bytes: fingerprint of the dossier code (hi, lo)
 *   row         varint: row number minus the previous record's
 *   unit        varint, accepted rows only: index into the wave's units
 *   code text   varint length + UTF-8, TEXTS and not eligible: the NFC dossier code
 *   value       varint length + UTF-8: the cell quoted in the rejection (unknown unit, always;
 *               a bad date, with TEXTS)
 *   eligible rows only:
 *     person    8 bytes: fingerprint of unitCode U+0000 personKind personBody
 *     name key  8 bytes, identity rules 2 only: fingerprint of the row's name+address key
 *     kind      1 byte: 0 'id:', 1 'na:'
 *     body      varint length + UTF-8: the person key's body
 *     dossier   varint length + UTF-8: the NFC dossier code
 *     at, skip, chars  varints (at as the difference from the previous eligible row's)
 *
 * The log holds personal keys (identity numbers, folded names and addresses): where it is kept
 * (ScratchSpace) is the caller's, who deletes it once the import ends.
 */
import { encodeUtf8 } from './sha256';
import { consumeChunks, lengthBefore, readVarint, varintEnd, writeVarint } from './byte-records';
import type { ByteSource, ScratchSpace } from './types';

export const Outcome = {
  eligible: 0,
  missingUnit: 1,
  unknownUnit: 2,
  missingName: 3,
  missingDate: 4,
  badDate: 5,
  outsidePeriod: 6,
  organisation: 7,
  noAddress: 8,
} as const;
export type Outcome = (typeof Outcome)[keyof typeof Outcome];

const TEXTS = 0x80;
const BUFFER_BYTES = 1 << 20;

export function isAccepted(outcome: Outcome): boolean {
  return outcome === Outcome.eligible || outcome >= Outcome.outsidePeriod;
}

/** One record as written (LogWriter.add) and as read back (readRowLog: the same object reused, byte fields point into the chunk read). */
export interface LogRecord {
  outcome: Outcome;
  codeHi: number;
  codeLo: number;
  row: number;
  unit: number;
  /**
   * The dossier code (NFC). Written for an eligible row always, for another with TEXTS. Read
   * back as a string for another row (else ''), as bytes in LogTexts for an eligible one.
   */
  dossierCode: string;
  value: string;
  personHi: number;
  personLo: number;
  nameHi: number;
  nameLo: number;
  kind: 0 | 1;
  body: string;
  at: number;
  skip: number;
  chars: number;
}

export function emptyLogRecord(): LogRecord {
  return {
    outcome: 0, codeHi: 0, codeLo: 0, row: 0, unit: 0, dossierCode: '', value: '', personHi: 0, personLo: 0, nameHi: 0, nameLo: 0,
    kind: 0, body: '', at: 0, skip: 0, chars: 0,
  };
}

function writeInt32(out: Uint8Array, n: number, value: number): number {
  out[n] = value;
  out[n + 1] = value >>> 8;
  out[n + 2] = value >>> 16;
  out[n + 3] = value >>> 24;
  return n + 4;
}

/** Writes log records into a buffer handed to the scratch space when full. */
export class LogWriter {
  private buffer = new Uint8Array(BUFFER_BYTES);
  private n = 0;
  private lastRow = 0;
  private lastAt = 0;

  constructor(
    private readonly space: ScratchSpace,
    /** Identity rules 2: eligible rows carry their name+address key's fingerprint. */
    private readonly nameKeys: boolean,
  ) {}

  /** Logs `r`; `texts` keeps its code text and quoted value (it may be listed). */
  add(r: LogRecord, texts: boolean): void {
    const eligible = r.outcome === Outcome.eligible;
    // Room for the worst case: 3 UTF-8 bytes per UTF-16 unit, varints of up to 8 bytes.
    this.room(80 + 3 * (r.value.length + r.dossierCode.length + (eligible ? r.body.length : 0)));
    const out = this.buffer;
    let n = this.n;
    out[n++] = r.outcome | (texts && !eligible ? TEXTS : 0);
    n = writeInt32(out, n, r.codeHi);
    n = writeInt32(out, n, r.codeLo);
    n = writeVarint(out, n, r.row - this.lastRow);
    this.lastRow = r.row;
    if (isAccepted(r.outcome)) n = writeVarint(out, n, r.unit);
    if (texts && !eligible) n = this.text(n, r.dossierCode);
    if (r.outcome === Outcome.unknownUnit || (texts && r.outcome === Outcome.badDate)) n = this.text(n, r.value);
    if (eligible) {
      n = writeInt32(out, n, r.personHi);
      n = writeInt32(out, n, r.personLo);
      if (this.nameKeys) {
        n = writeInt32(out, n, r.nameHi);
        n = writeInt32(out, n, r.nameLo);
      }
      out[n++] = r.kind;
      n = this.text(n, r.body);
      n = this.text(n, r.dossierCode);
      n = writeVarint(out, n, r.at - this.lastAt);
      this.lastAt = r.at;
      n = writeVarint(out, n, r.skip);
      n = writeVarint(out, n, r.chars);
    }
    this.n = n;
  }

  /** Varint length + UTF-8 at n. */
  private text(n: number, text: string): number {
    return lengthBefore(this.buffer, n, encodeUtf8(text, this.buffer, n + 1));
  }

  private room(bytes: number): void {
    if (this.n + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = new Uint8Array(bytes);
  }

  /** Hands what is buffered to the scratch space: call once the pass ends, before reading the log. */
  flush(): void {
    if (this.n > 0) this.space.write(this.buffer.subarray(0, this.n));
    this.n = 0;
  }
}

function readInt32(d: Uint8Array, q: number): number {
  return d[q] | (d[q + 1] << 8) | (d[q + 2] << 16) | (d[q + 3] << 24);
}

const decoder = new TextDecoder();

/** Byte ranges of the texts of the record being read, into `data`. */
export interface LogTexts {
  data: Uint8Array;
  bodyStart: number;
  bodyEnd: number;
  dossierStart: number;
  dossierEnd: number;
}

/**
 * Reads the log back, calling `onRecord` for each record in order. String fields are decoded
 * only for the rows that need them: an eligible row's `body` and `dossierCode` stay '' (their bytes are in
 * `texts`), since the draw index takes them as bytes.
 */
export async function readRowLog(
  source: ByteSource,
  how: {
    /** Identity rules 2: eligible rows carry their name+address key's fingerprint (LogWriter). */
    nameKeys: boolean;
    /** Added to the row numbers: the rows before the part of the file this log is of (frame-parts.ts). */
    rowBase?: number;
  },
  onRecord: (record: LogRecord, texts: LogTexts) => void,
  /** Awaited after each chunk (a sink that holds the replay while it stores). */
  afterChunk?: () => Promise<void> | void,
): Promise<void> {
  const nameKeys = how.nameKeys;
  const r = emptyLogRecord();
  const texts: LogTexts = { data: new Uint8Array(0), bodyStart: 0, bodyEnd: 0, dossierStart: 0, dossierEnd: 0 };
  let row = how.rowBase ?? 0;
  let at = 0;
  /** Where the last text read ended. */
  let textEnd = 0;
  const text = (d: Uint8Array, q: number): string => {
    const length = readVarint(d, q);
    textEnd = varintEnd + length;
    return decoder.decode(d.subarray(varintEnd, textEnd));
  };
  /** Reads the record at p, or returns -1 if it does not end within d. */
  const one = (d: Uint8Array, p: number): number => {
    const tag = d[p];
    const outcome = (tag & ~TEXTS) as Outcome;
    const withTexts = (tag & TEXTS) !== 0;
    r.outcome = outcome;
    r.codeHi = readInt32(d, p + 1);
    r.codeLo = readInt32(d, p + 5);
    const rowStep = readVarint(d, p + 9);
    let q = varintEnd;
    r.unit = isAccepted(outcome) ? readVarint(d, q) : 0;
    if (isAccepted(outcome)) q = varintEnd;
    r.dossierCode = '';
    r.value = '';
    if (withTexts) {
      r.dossierCode = text(d, q);
      q = textEnd;
    }
    if (outcome === Outcome.unknownUnit || (withTexts && outcome === Outcome.badDate)) {
      r.value = text(d, q);
      q = textEnd;
    }
    if (outcome === Outcome.eligible) {
      r.personHi = readInt32(d, q);
      r.personLo = readInt32(d, q + 4);
      q += 8;
      if (nameKeys) {
        r.nameHi = readInt32(d, q);
        r.nameLo = readInt32(d, q + 4);
        q += 8;
      }
      r.kind = d[q++] as 0 | 1;
      const bodyLength = readVarint(d, q);
      texts.bodyStart = varintEnd;
      texts.bodyEnd = varintEnd + bodyLength;
      const dossierLength = readVarint(d, texts.bodyEnd);
      texts.dossierStart = varintEnd;
      texts.dossierEnd = varintEnd + dossierLength;
      const atStep = readVarint(d, texts.dossierEnd);
      r.skip = readVarint(d, varintEnd);
      r.chars = readVarint(d, varintEnd);
      q = varintEnd;
      if (q > d.length) return -1;
      at += atStep;
      r.at = at;
    }
    if (q > d.length) return -1;
    row += rowStep;
    r.row = row;
    texts.data = d;
    onRecord(r, texts);
    return q;
  };
  const consume = (d: Uint8Array, last: boolean): number => {
    let p = 0;
    // Until the last chunk, a record is read only with a record's worth of bytes after it.
    const safeEnd = last ? d.length : d.length - SAFE_BYTES;
    while (p < safeEnd) {
      const next = one(d, p);
      if (next < 0) break;
      p = next;
    }
    return p;
  };
  const unread = await consumeChunks(source, consume, afterChunk);
  if (unread.length > 0) throw new Error('row log cut short');
}

/** Larger than any record but one with texts over a few thousand characters, which is read when more arrives. */
const SAFE_BYTES = 1 << 16;

/** A 53-bit key from a fingerprint: a person's id (ResolvedRow.personId), a name+address key in a Map. */
export function key53(hi: number, lo: number): number {
  return (hi >>> 0) * 0x200000 + (lo >>> 11);
}
