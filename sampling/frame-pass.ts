/*
 * The one pass over a frame, streaming: bytes → text (decode.ts) → CSV records (papaparse) →
 * the reader (frame-reader.ts), which validates and logs each row.
 */
import type { Hash } from 'node:crypto';
import Papa from 'papaparse';
import { decodeFrame, FatalFrameError, type DecodeState } from './decode';
import { isBlank, type FrameReader, type PartHeader } from './frame-reader';
import type { ByteSource } from './types';

// A record longer than this is an unclosed quote swallowing the rest of the file, not data.
const MAX_RECORD_CHARS = 1 << 20;
const NO_LINE_BREAK = 'Tệp không có dấu xuống dòng sau dòng tiêu đề; đây không phải tệp CSV hợp lệ.';

/** How a pass ended: `fatal` when nothing can be imported. */
export interface PassEnd {
  fatal?: string;
  sha256: string;
  bytesRead: number;
}

export interface PassSettings {
  /** Each record's place in the file is wanted (a draw index). */
  positions: boolean;
  /** Told, after each chunk, the rows and bytes read so far. */
  onChunk?: (rows: number, bytes: number) => void;
  /** Fed the raw bytes, for the file's SHA-256 (decodeFrame); null for a part, whose hash means nothing. */
  hash?: Hash | null;
  /** A part of a file (frame-parts.ts): it starts at a record mid-file, read with the header and encoding the file's start gave. */
  part?: PartHeader;
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

/**
 * Reads `input` into `reader`. Memory is the current chunk and the reader's fingerprint sets;
 * the log goes to its scratch space.
 */
export async function readPass(input: ByteSource, reader: FrameReader, settings: PassSettings): Promise<PassEnd> {
  const { positions, part } = settings;
  const report = reader.report;
  const state: DecodeState = { encoding: part?.encoding ?? '', sha256: '', bytesRead: 0, ...(positions ? { anchors: [] } : {}) };
  const fail = (fatal: string): PassEnd => {
    report.encoding = state.encoding;
    return { fatal, sha256: state.sha256, bytesRead: state.bytesRead };
  };

  let parser: Papa.Parser | null = null;
  let newline: '\n' | '\r' = '\n';
  let partial = '';
  let headerSeen = false;

  const handle = (record: string[], cutOff: boolean): void => {
    const rowNumber = ++reader.records;
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
    if (cutOff) reader.rejectCutOff(rowNumber);
    else reader.processRecord(record, rowNumber);
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
  const newParser = (delimiter: string): Papa.Parser =>
    new Papa.Parser({ delimiter, newline, quoteChar: '"', ...(positions ? { step: step as unknown as Papa.ParseConfig['step'] } : {}) });

  if (part) {
    report.delimiter = part.delimiter;
    newline = part.newline;
    headerSeen = true;
    reader.useHeader(part.headers, part.encoding, part.newline);
    parser = newParser(part.delimiter);
  }

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
      parser = newParser(report.delimiter);
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
    reader.pendingChars = partial.length;
    if (partial.length > MAX_RECORD_CHARS) {
      throw new FatalFrameError(
        `Dấu ngoặc kép (") mở ở dòng ${reader.records + 1} không được đóng, nên phần còn lại của tệp bị đọc thành một ô; hãy kiểm tra lại tệp.`,
      );
    }
  };

  try {
    for await (const text of decodeFrame(input, state, part ? null : settings.hash)) {
      feed(partial + text, false);
      settings.onChunk?.(report.rowsRead, state.bytesRead);
    }
    feed(partial, true);
    settings.onChunk?.(report.rowsRead, state.bytesRead);
  } catch (error) {
    if (error instanceof FatalFrameError) return fail(error.message);
    return fail(`Không đọc được tệp: ${error instanceof Error ? error.message : String(error)}.`);
  }

  report.encoding = state.encoding;
  if (state.bytesRead === 0 || !headerSeen) return fail('Tệp rỗng: không có dòng nào.');
  if (report.rowsRead === 0) return fail('Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.');
  return { sha256: state.sha256, bytesRead: state.bytesRead };
}
