const COMBINING_MARKS = /[\u0300-\u036f]/g;
const WHITESPACE_RUN = /\s+/g;

// Folding table for U+0000–U+1EFF, the range Vietnamese text lives in: each code unit maps to
// its lower-case base letter, 0 to drop it (a combining accent), 32 for whitespace. Built once
// from the Unicode decomposition so it agrees with the NFD-based fallback below.
const TABLE_END = 0x1f00;
const FOLD_TABLE = (() => {
  const table = new Uint16Array(TABLE_END);
  for (let c = 0; c < TABLE_END; c++) {
    const ch = String.fromCharCode(c);
    if (/\s/.test(ch)) {
      table[c] = 32;
      continue;
    }
    const base = ch.normalize('NFD').replace(COMBINING_MARKS, '').replace(/[đĐ]/g, 'd').toLowerCase();
    table[c] = base.length === 1 ? base.charCodeAt(0) : base.length === 0 ? 0 : c;
  }
  return table;
})();
const folded = new Uint16Array(4096);
const decoder = new TextDecoder('utf-16le');

/** The text without Vietnamese accents, đ as d and Đ as D, case kept (ASCII file names). */
export function removeAccents(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

function slowFold(text: string): string {
  return removeAccents(text).toLowerCase().replace(WHITESPACE_RUN, ' ').trim();
}

/**
 * Comparison form of a text: accents and case removed, đ folded to d, whitespace collapsed.
 * Used for headers, unit names and the name+address person key, where the same Vietnamese
 * word may arrive typed with or without diacritics, composed or decomposed.
 */
export function fold(text: string): string {
  const n = foldCodes(text);
  return n < 0 ? slowFold(text) : decoder.decode(folded.subarray(0, n));
}

/** fold() into `folded`: the number of code units written, or -1 when the text needs slowFold. */
function foldCodes(text: string): number {
  if (text.length > folded.length) return -1;
  let n = 0;
  let space = true;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= TABLE_END) return -1;
    const f = FOLD_TABLE[c];
    if (f === 0) continue;
    if (f === 32) {
      space = true;
      continue;
    }
    if (space && n > 0) folded[n++] = 32;
    space = false;
    folded[n++] = f;
  }
  return n;
}

const NON_ASCII = /[^\x00-\x7f]/;

/**
 * Unicode NFC, so that a Vietnamese letter typed composed or decomposed is one letter. The
 * file is not normalised as a whole: only fields that are kept or compared exactly go through
 * here, and pure ASCII (most codes and numbers) is returned as it is, being NFC already.
 * Folded comparisons (fold()) need no NFC: they drop the accents either way.
 */
export function nfc(text: string): string {
  return NON_ASCII.test(text) ? text.normalize('NFC') : text;
}

/** A field as read from the CSV: trimmed, and an embedded line break shown as a space. */
export function cleanField(raw: string | undefined): string {
  if (raw === undefined || raw === '') return '';
  // trim() only when an end could be whitespace: most fields have none and keep their string.
  const first = raw.charCodeAt(0);
  const last = raw.charCodeAt(raw.length - 1);
  const value = first <= 32 || first >= 0x80 || last <= 32 || last >= 0x80 ? raw.trim() : raw;
  return value.indexOf('\n') === -1 && value.indexOf('\r') === -1
    ? value
    : value.replace(WHITESPACE_RUN, ' ');
}

/**
 * Canonical identity number, or '' when none is usable. Excel turns a 12-digit CCCD into a
 * number and drops its leading zero, or shows it as 9.01E+10 having lost digits: the first
 * is repaired, the second is useless as an identity and the person falls back to name+address.
 */
export function normaliseIdNumber(raw: string): string {
  if (raw === '' || isDigits(raw, 12)) return raw;
  const id = raw.replace(/[\s.\-]/g, '').toUpperCase();
  if (/^\d+(,\d+)?E\+?\d+$/.test(id)) return '';
  if (isDigits(id, 11)) return '0' + id;
  return id;
}

const SCIENTIFIC = /^(\d+)(?:[.,](\d+))?E\+?(\d+)$/;

/**
 * Identity key of method version 2 ('' when none is usable), built so that the same document
 * number gives the same key however Excel damaged it on one row and not on another:
 * spaces, dots and dashes removed, upper case; a number Excel wrote in scientific notation
 * (8,12345678901E+11) is read back only when every digit is still there (as many decimals as
 * the exponent), otherwise it counts as no number; and an all-digit number loses its leading
 * zeros, since Excel drops them (079… → 79…, 001… → 1…).
 */
export function identityKey(raw: string): string {
  // Most numbers are digits only: the rules below then only drop leading zeros.
  if (isDigits(raw, raw.length) && raw.length > 0) {
    let zeros = 0;
    while (zeros < raw.length && raw.charCodeAt(zeros) === 48) zeros++;
    return zeros === 0 ? raw : raw.slice(zeros);
  }
  const compact = raw.replace(/[\s\-]/g, '').toUpperCase();
  const scientific = SCIENTIFIC.exec(compact);
  let id: string;
  if (scientific) {
    const decimals = scientific[2] ?? '';
    if (decimals.length !== Number(scientific[3])) return '';
    id = scientific[1] + decimals;
  } else {
    id = compact.replace(/\./g, '');
  }
  return /^\d+$/.test(id) ? id.replace(/^0+/, '') : id;
}

function isDigits(text: string, length: number): boolean {
  if (text.length !== length) return false;
  for (let i = 0; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function hasAsciiLetter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 32;
    if (c >= 97 && c <= 122) return true;
  }
  return false;
}

const ADDRESS_PLACEHOLDERS = new Set(['khong', 'khong co', 'khong ro', 'chua co', 'n/a', 'na', 'null', 'none']);
const LONGEST_PLACEHOLDER = 12;

/** An address a letter can be posted to: it names something, not a placeholder like "không có". */
export function isUsableAddress(address: string): boolean {
  if (address.length > LONGEST_PLACEHOLDER && hasAsciiLetter(address)) return true;
  if (!/\p{L}/u.test(address)) return false;
  if (address.length > LONGEST_PLACEHOLDER) return true;
  return !ADDRESS_PLACEHOLDERS.has(fold(address).replace(/[.\-]/g, '').trim());
}

/**
 * 64-bit fingerprint of a sequence of strings (cyrb64: two multiplicative lanes mixed at the
 * end), fed part by part so that callers need not build the joined string. De-duplication keeps
 * these instead of the strings so memory per distinct value is 8 bytes; two different values
 * share a fingerprint with probability about n²/2⁶⁵ (≈4·10⁻⁷ for 4 M).
 */
export class Fingerprint {
  hi = 0;
  lo = 0;
  private h1 = 0;
  private h2 = 0;

  start(): this {
    this.h1 = 0xdeadbeef;
    this.h2 = 0x41c6ce57;
    return this;
  }

  add(text: string): this {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  /** Adds fold(text), without building that string. */
  addFolded(text: string): this {
    const n = foldCodes(text);
    if (n < 0) return this.add(slowFold(text));
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < n; i++) {
      const c = folded[i];
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.h1 = h1;
    this.h2 = h2;
    return this;
  }

  end(): this {
    let h1 = this.h1;
    let h2 = this.h2;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    this.hi = h1;
    this.lo = h2;
    return this;
  }

  of(text: string): this {
    return this.start().add(text).end();
  }
}
