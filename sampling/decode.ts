import { createHash, type Hash } from 'node:crypto';
import type { ByteSource } from './types';

/** A condition that stops the import as a whole; the message is shown to the administrator. */
export class FatalFrameError extends Error {}

const NOT_TEXT =
  'Tệp không phải tệp CSV văn bản (có byte nhị phân hoặc không đúng mã UTF-8/UTF-16); hãy mở bằng Excel và lưu lại dạng "CSV UTF-8".';
const SPREADSHEET =
  'Tệp là bảng tính Excel (.xlsx/.xls), không phải tệp CSV văn bản; hãy mở bằng Excel và lưu lại dạng "CSV UTF-8".';

type Decoder = InstanceType<typeof TextDecoder>;

const SNIFF_BYTES = 1024;
/**
 * Characters looked at for binary content: as many as the first SNIFF_BYTES bytes always give
 * (at most 4 bytes a character), so the verdict is the same however the file comes in chunks.
 */
const SNIFF_CHARS = SNIFF_BYTES / 4;

export interface DecodeState {
  /** Found from the first bytes; given, for a part of a file that starts mid-file (frame-parts.ts). */
  encoding: string;
  sha256: string;
  bytesRead: number;
  /**
   * When given, filled with pairs (characters decoded so far, byte offset in the file where the
   * next character starts), at most ANCHOR_BYTES apart: where a row found in the text lies in
   * the raw file, for reading it back alone (a draw index). UTF-8 only; UTF-16 needs none.
   */
  anchors?: number[];
}

/** Bytes decoded per call when anchors are kept: a row is read back from at most this far before it. */
const ANCHOR_BYTES = 8192;

function byteOrderMark(encoding: string, head: Uint8Array): number {
  if (encoding !== 'utf-8') return 2;
  return head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
}

/**
 * How many of the last bytes seen (`held`, then `piece`) start a character not complete yet,
 * which a streaming decoder holds back; the input is valid UTF-8.
 */
function incompleteTail(held: number[], piece: Uint8Array): number[] {
  const total = held.length + piece.length;
  const at = (k: number) => (k < held.length ? held[k] : piece[k - held.length]);
  for (let back = 1; back <= 3 && back <= total; back++) {
    const b = at(total - back);
    if ((b & 0xc0) === 0x80) continue;
    const length = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return length > back ? Array.from({ length: back }, (_, i) => at(total - back + i)) : [];
  }
  return [];
}

function detectEncoding(head: Uint8Array): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf-16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf-16be';
  const zip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  const ole = head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0;
  if (zip || ole) throw new FatalFrameError(SPREADSHEET);
  return 'utf-8';
}

/**
 * Decodes the byte stream into text, hashing the raw bytes on the way. The text is not
 * normalised here: the reader normalises only the fields it keeps (see nfc() in text.ts),
 * which costs far less than normalising every byte of the file.
 */
export async function* decodeFrame(
  input: ByteSource,
  state: DecodeState,
  /** Fed every byte, digested into state.sha256 at the end; null for a part of a file, whose hash means nothing. */
  hash: Hash | null = createHash('sha256'),
): AsyncGenerator<string> {
  let decoder: Decoder | null = null;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;

  const anchors = state.anchors;
  let charsDecoded = 0;
  let byteOffset = 0;
  let held: number[] = [];
  // A part of a file (frame-parts.ts) starts mid-file in an encoding already known: no mark, no sniffing.
  if (state.encoding !== '') decoder = new TextDecoder(state.encoding, { fatal: true, ignoreBOM: true });
  /** Decodes in pieces of ANCHOR_BYTES, noting where each piece's text starts in the file. */
  const anchored = (bytes: Uint8Array, stream: boolean): string => {
    let text = '';
    for (let at = 0; at < bytes.length; at += ANCHOR_BYTES) {
      const piece = bytes.subarray(at, at + ANCHOR_BYTES);
      anchors!.push(charsDecoded, byteOffset + at - held.length);
      const decoded = (decoder as Decoder).decode(piece, { stream: stream || at + ANCHOR_BYTES < bytes.length });
      held = incompleteTail(held, piece);
      charsDecoded += decoded.length;
      text += decoded;
    }
    byteOffset += bytes.length;
    return text;
  };
  const decode = (bytes: Uint8Array, stream: boolean): string =>
    anchors === undefined || state.encoding !== 'utf-8' ? (decoder as Decoder).decode(bytes, { stream }) : anchored(bytes, stream);

  const start = (bytes: Uint8Array, final: boolean): string => {
    state.encoding = detectEncoding(bytes);
    // The mark is skipped here, not by the decoder, so that byte offsets count it; a second
    // mark, as before, reaches the text (the header reader drops it).
    decoder = new TextDecoder(state.encoding, { fatal: true, ignoreBOM: true });
    const bom = byteOrderMark(state.encoding, bytes);
    byteOffset = bom;
    let text: string;
    try {
      text = decode(bytes.subarray(bom), !final);
    } catch {
      throw new FatalFrameError(NOT_TEXT);
    }
    const head = text.slice(0, SNIFF_CHARS);
    // Text files hold no NUL and almost no other C0 controls; binary files are full of them.
    const controls = head.match(/[\x00-\x08\x0e-\x1f]/g);
    if (head.includes('\x00') || (controls !== null && controls.length > 8)) throw new FatalFrameError(NOT_TEXT);
    return text;
  };

  for await (const chunk of input) {
    const bytes = chunk;
    hash?.update(bytes);
    state.bytesRead += bytes.length;
    let text: string;
    if (decoder === null) {
      pending.push(bytes);
      pendingBytes += bytes.length;
      if (pendingBytes < SNIFF_BYTES) continue;
      text = start(concat(pending, pendingBytes), false);
      pending = [];
    } else {
      try {
        text = decode(bytes, true);
      } catch {
        throw new FatalFrameError(`${NOT_TEXT} (lỗi mã hóa gần byte ${state.bytesRead.toLocaleString('vi-VN')})`);
      }
    }
    if (text !== '') yield text;
  }

  let tail: string;
  if (decoder === null) {
    tail = pendingBytes === 0 ? '' : start(concat(pending, pendingBytes), true);
  } else {
    try {
      tail = (decoder as Decoder).decode();
    } catch {
      throw new FatalFrameError(`${NOT_TEXT} (tệp kết thúc giữa một ký tự)`);
    }
  }
  state.sha256 = hash?.digest('hex') ?? '';
  if (tail !== '') yield tail;
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
