/*
 * The draw index: what a draw needs of a frame, kept at import so that the draw need not read
 * the frame again (issue 15). It is written while scanFrame reads the file (scanFrame's
 * `index` argument) and read by drawFromIndex (draw-from-index.ts).
 *
 * One record per eligible row of the pass whose result counts (after every frame rule: repeated
 * dossier codes rejected, persons merged, 1.2.0 linking), in file order:
 *   kind        1 byte: 1 = the first row of a person in its unit, 2 = a further row of one
 *   unit        varint, index into the wave's units
 *   person      7 bytes, little-endian: 53 bits of the person's fingerprint (EligibleRow.personId)
 *   message     (kind 1 only) varint length + the exact UTF-8 bytes the rank HMAC is taken of:
 *               unitCode U+0000 personKey
 *   dossier     varint length + UTF-8 of the dossier code (for the smallest-HMAC dossier rule)
 *   at, skip, chars  varints (at as the difference from the previous record's): where the row's
 *               record lies in the raw file (EligibleRow.at), so a drawn row is read alone.
 * framed by a header (magic, JSON: format, frame options and rules) and, after a 0 byte, a
 * trailer (JSON: the import's result, its SHA-256, the record layout, counts).
 *
 * Why a stream of records in file order rather than tables: the draw replays exactly what
 * drawSample does row by row (same order, same heaps), so the two cannot drift apart, and
 * both ends stream, so memory stays O(chunk + sample) however large the frame is.
 *
 * The index holds personal keys (identity numbers, names and addresses): it is personal data,
 * stored and purged with the frame file.
 */
import type { EligibleRow, RecordLayout, RowConsumer } from './frame';
import { encodeUtf8 } from './sha256';
import type { ByteSource, FrameOptions, FrameScan } from './types';

const MAGIC = 'SIPASIDX';
export const DRAW_INDEX_FORMAT = 1;
const KIND_END = 0;
export const KIND_NEW_PERSON = 1;
export const KIND_MORE = 2;
const BUFFER_BYTES = 1 << 20;
const TWO_32 = 0x100000000;

/** Where a draw index is written; the bytes passed are only valid during the call. */
export interface DrawIndexSink {
  /** Drops all written so far: a later pass over the frame replaces an earlier one. */
  restart(): void;
  write(bytes: Uint8Array): void;
}

export interface DrawIndexHeader {
  format: number;
  options: FrameOptions;
}

export interface DrawIndexTrailer {
  scan: FrameScan;
  /** Null when no row was eligible. */
  layout: RecordLayout | null;
  persons: number;
  rows: number;
}

/** Collects the index in memory (tests, or a database blob): `bytes()` after scanFrame. */
export function memoryIndexSink(): DrawIndexSink & { bytes(): Uint8Array } {
  let parts: Uint8Array[] = [];
  return {
    restart: () => {
      parts = [];
    },
    write: (bytes) => {
      parts.push(bytes.slice());
    },
    bytes: () => Buffer.concat(parts),
  };
}

function writeVarint(out: Uint8Array, n: number, value: number): number {
  while (value >= 0x80) {
    out[n++] = (value % 0x80) | 0x80;
    value = Math.floor(value / 0x80);
  }
  out[n++] = value;
  return n;
}

/** Writes records into a buffer handed to the sink when full. */
export class DrawIndexWriter {
  private buffer = new Uint8Array(BUFFER_BYTES);
  private n = 0;
  private lastAt = 0;
  private layout: RecordLayout | null = null;
  private persons = 0;
  private rows = 0;

  constructor(
    private readonly sink: DrawIndexSink,
    private readonly options: FrameOptions,
  ) {}

  /** A consumer for one pass of readFrame; each pass starts the index afresh. */
  startPass(): RowConsumer {
    this.sink.restart();
    this.n = 0;
    this.lastAt = 0;
    this.layout = null;
    this.persons = 0;
    this.rows = 0;
    const header: DrawIndexHeader = { format: DRAW_INDEX_FORMAT, options: { ...this.options, frameRules: this.options.frameRules ?? 2 } };
    this.writeJson(MAGIC, header);
    return (row) => this.add(row);
  }

  /** Ends the index with the import's result. */
  finish(scan: FrameScan): void {
    this.room(1);
    this.buffer[this.n++] = KIND_END;
    const trailer: DrawIndexTrailer = { scan, layout: this.layout, persons: this.persons, rows: this.rows };
    this.writeJson('', trailer);
    this.flush();
  }

  private add(row: EligibleRow): void {
    this.layout ??= row.layout;
    this.rows++;
    const kind = row.newPerson ? KIND_NEW_PERSON : KIND_MORE;
    // Room for the worst case: 3 UTF-8 bytes per UTF-16 unit, varints of up to 8 bytes.
    const keyUnits = row.newPerson ? row.unitCode.length + 1 + row.personKind.length + row.personBody.length : 0;
    this.room(64 + 3 * (keyUnits + row.dossierCode.length));
    const out = this.buffer;
    let n = this.n;
    out[n++] = kind;
    n = writeVarint(out, n, row.unitIndex);
    const id = row.personId;
    const low = id >>> 0;
    const high = (id - low) / TWO_32;
    out[n++] = low; out[n++] = low >>> 8; out[n++] = low >>> 16; out[n++] = low >>> 24;
    out[n++] = high; out[n++] = high >>> 8; out[n++] = high >>> 16;
    if (row.newPerson) {
      this.persons++;
      // One length byte is assumed and the text moved on in the rare case it needs more.
      const end = encodeUtf8(row.personBody, out, encodeUtf8(row.personKind, out, encodeUtf8(row.unitCode + '\u0000', out, n + 1)));
      n = this.lengthBefore(n, end);
    }
    n = this.lengthBefore(n, encodeUtf8(row.dossierCode, out, n + 1));
    n = writeVarint(out, n, row.at - this.lastAt);
    this.lastAt = row.at;
    n = writeVarint(out, n, row.skip);
    this.n = writeVarint(out, n, row.chars);
  }

  /** Writes the length of bytes [start + 1, end) at `start`, moving them if it takes more than one byte. */
  private lengthBefore(start: number, end: number): number {
    const length = end - start - 1;
    if (length < 0x80) {
      this.buffer[start] = length;
      return end;
    }
    const scratch = new Uint8Array(8);
    const size = writeVarint(scratch, 0, length);
    this.buffer.copyWithin(start + size, start + 1, end);
    this.buffer.set(scratch.subarray(0, size), start);
    return end + size - 1;
  }

  private writeJson(magic: string, value: object): void {
    const json = Buffer.from(JSON.stringify(value), 'utf8');
    const head = Buffer.alloc(magic.length + 4);
    head.write(magic, 'latin1');
    head.writeUInt32LE(json.length, magic.length);
    for (const part of [head, json]) {
      this.room(part.length);
      this.buffer.set(part, this.n);
      this.n += part.length;
    }
  }

  /** Makes room for `bytes` more. */
  private room(bytes: number): void {
    if (this.n + bytes <= this.buffer.length) return;
    this.flush();
    if (bytes > this.buffer.length) this.buffer = new Uint8Array(bytes);
  }

  private flush(): void {
    if (this.n > 0) this.sink.write(this.buffer.subarray(0, this.n));
    this.n = 0;
  }
}

/** One record as read back; `data`/`message`/`dossier` point into the reader's buffer, valid during the call. */
export interface IndexRecord {
  kind: number;
  unit: number;
  personId: number;
  data: Uint8Array;
  messageStart: number;
  messageEnd: number;
  dossierStart: number;
  dossierEnd: number;
  at: number;
  skip: number;
  chars: number;
}

/** Where the last varint read ended. */
let cursor = 0;

/** Reads a varint at `q`; an unfinished one (bytes past the end are undefined) ends there. */
function readVarint(d: Uint8Array, q: number): number {
  let value = 0;
  for (let shift = 1; ; shift *= 0x80) {
    const b = d[q++];
    if (b === undefined) break;
    value += (b & 0x7f) * shift;
    if (b < 0x80) break;
  }
  cursor = q;
  return value;
}

const SAFE_BYTES = 4096;

const CORRUPT = 'Tệp chỉ mục bốc mẫu bị hỏng hoặc không đúng định dạng; hãy nhập lại khung mẫu.';
// A RangeError, as for every input the library refuses: the server shows its message to the person.
const corrupt = () => new RangeError(CORRUPT);

/** The JSON framed at `p` after `magic`, or null when not all of it is here yet. */
function framedJson<T>(d: Uint8Array, p: number, magic: string): { value: T; end: number } | null {
  const start = p + magic.length + 4;
  if (d.length < start) return null;
  if (Buffer.from(d.buffer, d.byteOffset + p, magic.length).toString('latin1') !== magic) throw corrupt();
  const length = Buffer.from(d.buffer, d.byteOffset + p + magic.length, 4).readUInt32LE(0);
  if (d.length < start + length) return null;
  let value: T;
  try {
    value = JSON.parse(Buffer.from(d.buffer, d.byteOffset + start, length).toString('utf8')) as T;
  } catch {
    throw corrupt();
  }
  return { value, end: start + length };
}

/**
 * The header alone, whatever its format, reading no further than it: whether an index can
 * serve a draw (drawIndexServes) is known before the draw starts.
 */
export async function readDrawIndexHeader(source: ByteSource): Promise<DrawIndexHeader> {
  let data = new Uint8Array(0);
  for await (const chunk of source) {
    data = Buffer.concat([data, chunk]);
    const header = framedJson<DrawIndexHeader>(data, 0, MAGIC);
    if (header !== null) return header.value;
  }
  throw corrupt();
}

/**
 * Reads a draw index in one stream: the header, then `onRecord` for every record in file
 * order (the same object reused), then gives the trailer. `onChunkRead`, when given, is awaited
 * after the records of each chunk read: `record.data` is then still that chunk, and reading
 * goes on once it settles (a caller may hand the chunk's work to other threads meanwhile).
 */
export async function readDrawIndex(
  source: ByteSource | Uint8Array,
  onHeader: (header: DrawIndexHeader) => void,
  onRecord: (record: IndexRecord) => void,
  onChunkRead?: () => Promise<void> | void,
): Promise<DrawIndexTrailer> {
  const record: IndexRecord = { kind: 0, unit: 0, personId: 0, data: new Uint8Array(0), messageStart: 0, messageEnd: 0, dossierStart: 0, dossierEnd: 0, at: 0, skip: 0, chars: 0 };
  let carry: Uint8Array = new Uint8Array(0);
  let phase: 'header' | 'records' | 'trailer' = 'header';
  let trailer: DrawIndexTrailer | null = null;
  let at = 0;

  /**
   * Consumes what is complete in `d`; returns where the incomplete rest starts. Until the last
   * chunk, records are only read with SAFE_BYTES ahead, so that reading never runs past the
   * end of `d` (which would cost the optimised code), save for a record longer than that.
   */
  const consume = (d: Uint8Array, last: boolean): number => {
    let p = 0;
    if (phase === 'header') {
      const header = framedJson<DrawIndexHeader>(d, 0, MAGIC);
      if (header === null) return 0;
      if (header.value.format !== DRAW_INDEX_FORMAT) throw corrupt();
      onHeader(header.value);
      p = header.end;
      phase = 'records';
    }
    if (phase === 'records') {
      record.data = d;
      const length = d.length;
      const safeEnd = last ? length : length - SAFE_BYTES;
      while (p < safeEnd) {
        const kind = d[p];
        if (kind === KIND_END) {
          phase = 'trailer';
          p++;
          break;
        }
        // Read optimistically; past the end of `d` bytes read as undefined (0), and the record
        // is taken only if it ended within `d`.
        const unit = readVarint(d, p + 1);
        let q = cursor;
        const low = (d[q] | (d[q + 1] << 8) | (d[q + 2] << 16) | (d[q + 3] << 24)) >>> 0;
        const personId = (d[q + 4] | (d[q + 5] << 8) | (d[q + 6] << 16)) * TWO_32 + low;
        q += 7;
        let messageStart = 0;
        let messageEnd = 0;
        if (kind === KIND_NEW_PERSON) {
          const size = readVarint(d, q);
          messageStart = cursor;
          messageEnd = cursor + size;
          q = messageEnd;
        } else if (kind !== KIND_MORE) {
          throw corrupt();
        }
        const size = readVarint(d, q);
        const dossierStart = cursor;
        const dossierEnd = cursor + size;
        const atStep = readVarint(d, dossierEnd);
        const skip = readVarint(d, cursor);
        const chars = readVarint(d, cursor);
        q = cursor;
        if (q > length) break;
        record.kind = kind;
        record.unit = unit;
        record.personId = personId;
        record.messageStart = messageStart;
        record.messageEnd = messageEnd;
        record.dossierStart = dossierStart;
        record.dossierEnd = dossierEnd;
        at += atStep;
        record.at = at;
        record.skip = skip;
        record.chars = chars;
        onRecord(record);
        p = q;
      }
    }
    if (phase === 'trailer') {
      const found = framedJson<DrawIndexTrailer>(d, p, '');
      if (found === null) return p;
      trailer = found.value;
      return found.end;
    }
    return p;
  };

  const chunks: AsyncIterable<Uint8Array> | Uint8Array[] = source instanceof Uint8Array ? [source] : source;
  for await (const chunk of chunks) {
    let data = chunk;
    if (carry.length > 0) {
      data = new Uint8Array(carry.length + chunk.length);
      data.set(carry);
      data.set(chunk, carry.length);
    }
    // Copied: the stream may reuse its chunk, and a kept view would keep the whole chunk.
    carry = new Uint8Array(data.subarray(consume(data, false)));
    await onChunkRead?.();
  }
  if (carry.length > 0) carry = carry.subarray(consume(carry, true));
  await onChunkRead?.();
  if (trailer === null || carry.length > 0) throw corrupt();
  return trailer;
}
