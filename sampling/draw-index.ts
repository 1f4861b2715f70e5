/*
 * The draw index: what a draw needs of a frame, kept at import so that the draw need not read
 * the frame again (issue 15). It is written while scanFrame reads the file (scanFrame's
 * `index` argument) and read by drawFromIndex (draw-from-index.ts).
 *
 * One record per eligible row (after every frame rule: repeated dossier codes rejected, persons
 * merged, 1.2.0 linking), in file order:
 *   kind        1 byte: 1 = the first row of a person in its unit, 2 = a further row of one
 *   unit        varint, index into the wave's units
 *   person      7 bytes, little-endian: 53 bits of the person's fingerprint (ResolvedRow.personId)
 *   message     (kind 1 only) varint length + the exact UTF-8 bytes the rank HMAC is taken of:
 *               unitCode U+0000 personKey
 *   dossier     varint length + UTF-8 of the dossier code (for the smallest-HMAC dossier rule)
 *   at, skip, chars  varints (at as the difference from the previous record's): where the row's
 *               record lies in the raw file (FrameReader.locate), so a drawn row is read alone.
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
import type { RecordLayout } from './frame-reader';
import type { ResolvedRow } from './frame-replay';
import { encodeUtf8 } from './sha256';
import { consumeChunks, lengthBefore, readVarint, varintEnd, writeVarint } from './byte-records';
import type { ByteSource, FrameOptions, FrameScan } from './types';

const MAGIC = 'SIPASIDX';
export const DRAW_INDEX_FORMAT = 1;
const KIND_END = 0;
export const KIND_NEW_PERSON = 1;
export const KIND_MORE = 2;
const BUFFER_BYTES = 1 << 20;
const TWO_32 = 0x100000000;
const ID_KIND = Buffer.from('id:', 'latin1');
const NAME_ADDRESS_KIND = Buffer.from('na:', 'latin1');

/** Where a draw index is written; the bytes passed are only valid during the call. */
export interface DrawIndexSink {
  write(bytes: Uint8Array): void;
  /** When given, awaited between chunks of writing: a sink that stores slowly holds the writing back. */
  ready?(): Promise<void>;
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

/** Writes records into a buffer handed to the sink when full. */
export class DrawIndexWriter {
  private buffer = new Uint8Array(BUFFER_BYTES);
  private n = 0;
  private lastAt = 0;
  private persons = 0;
  private rows = 0;
  /** Per unit: the UTF-8 of its code and U+0000, which begins the rank message of its people. */
  private readonly unitPrefixes: Uint8Array[];

  /** Writes the header; `layout` is how the frame's records read (null when no header was read). */
  constructor(
    private readonly sink: DrawIndexSink,
    options: FrameOptions,
    private readonly layout: RecordLayout | null,
  ) {
    this.unitPrefixes = options.units.map((u) => {
      const bytes = new Uint8Array(3 * u.code.length + 1);
      return bytes.subarray(0, encodeUtf8(u.code + '\u0000', bytes, 0));
    });
    const header: DrawIndexHeader = { format: DRAW_INDEX_FORMAT, options: { ...options, frameRules: options.frameRules ?? 2 } };
    this.writeJson(MAGIC, header);
  }

  /** Ends the index with the import's result. */
  finish(scan: FrameScan): void {
    this.room(1);
    this.buffer[this.n++] = KIND_END;
    const trailer: DrawIndexTrailer = { scan, layout: this.rows > 0 ? this.layout : null, persons: this.persons, rows: this.rows };
    this.writeJson('', trailer);
    this.flush();
  }

  add(row: ResolvedRow): void {
    this.rows++;
    const kind = row.newPerson ? KIND_NEW_PERSON : KIND_MORE;
    const t = row.texts;
    const prefix = this.unitPrefixes[row.unitIndex];
    const bodyBytes = row.linkedBody === null ? t.bodyEnd - t.bodyStart : 3 * row.linkedBody.length;
    // Room for the worst case: varints of up to 8 bytes.
    this.room(64 + (row.newPerson ? prefix.length + 3 + bodyBytes : 0) + (t.dossierEnd - t.dossierStart));
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
      let end = n + 1;
      out.set(prefix, end);
      end += prefix.length;
      out.set(row.kind === 0 ? ID_KIND : NAME_ADDRESS_KIND, end);
      end += 3;
      if (row.linkedBody !== null) {
        end = encodeUtf8(row.linkedBody, out, end);
      } else {
        out.set(t.data.subarray(t.bodyStart, t.bodyEnd), end);
        end += t.bodyEnd - t.bodyStart;
      }
      n = lengthBefore(out, n, end);
    }
    n = writeVarint(out, n, t.dossierEnd - t.dossierStart);
    out.set(t.data.subarray(t.dossierStart, t.dossierEnd), n);
    n += t.dossierEnd - t.dossierStart;
    n = writeVarint(out, n, row.at - this.lastAt);
    this.lastAt = row.at;
    n = writeVarint(out, n, row.skip);
    this.n = writeVarint(out, n, row.chars);
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
        let q = varintEnd;
        const low = (d[q] | (d[q + 1] << 8) | (d[q + 2] << 16) | (d[q + 3] << 24)) >>> 0;
        const personId = (d[q + 4] | (d[q + 5] << 8) | (d[q + 6] << 16)) * TWO_32 + low;
        q += 7;
        let messageStart = 0;
        let messageEnd = 0;
        if (kind === KIND_NEW_PERSON) {
          const size = readVarint(d, q);
          messageStart = varintEnd;
          messageEnd = varintEnd + size;
          q = messageEnd;
        } else if (kind !== KIND_MORE) {
          throw corrupt();
        }
        const size = readVarint(d, q);
        const dossierStart = varintEnd;
        const dossierEnd = varintEnd + size;
        const atStep = readVarint(d, dossierEnd);
        const skip = readVarint(d, varintEnd);
        const chars = readVarint(d, varintEnd);
        q = varintEnd;
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

  const unread = await consumeChunks(source instanceof Uint8Array ? [source] : source, consume, onChunkRead);
  await onChunkRead?.();
  if (trailer === null || unread.length > 0) throw corrupt();
  return trailer;
}
