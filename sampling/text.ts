const COMBINING_MARKS = /[\u0300-\u036f]/g;
const WHITESPACE_RUN = /\s+/g;
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

/**
 * Comparison form of a text: accents and case removed, đ folded to d, whitespace collapsed.
 * Used for headers, unit names and the name+address person key, where the same Vietnamese
 * word may arrive typed with or without diacritics, composed or decomposed.
 */
export function fold(text: string): string {
  if (PLAIN_ASCII.test(text)) return text.toLowerCase().replace(WHITESPACE_RUN, ' ').trim();
  return text
    .normalize('NFD')
    .replace(COMBINING_MARKS, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(WHITESPACE_RUN, ' ')
    .trim();
}

/** A field as read from the CSV: trimmed, and an embedded line break shown as a space. */
export function cleanField(raw: string | undefined): string {
  if (raw === undefined) return '';
  const value = raw.trim();
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
  if (raw === '') return '';
  const id = raw.replace(/[\s.\-]/g, '').toUpperCase();
  if (/^\d+(,\d+)?E\+?\d+$/.test(id)) return '';
  if (/^\d{11}$/.test(id)) return '0' + id;
  return id;
}

const ADDRESS_PLACEHOLDERS = new Set(['khong', 'khong co', 'khong ro', 'chua co', 'n/a', 'na', 'null', 'none']);

/** An address a letter can be posted to: it names something, not a placeholder like "không có". */
export function isUsableAddress(address: string): boolean {
  if (!/\p{L}/u.test(address)) return false;
  return !ADDRESS_PLACEHOLDERS.has(fold(address).replace(/[.\-]/g, '').trim());
}

/**
 * 64-bit fingerprint of a string (cyrb64: two multiplicative lanes mixed at the end).
 * De-duplication keeps these instead of the strings so memory per distinct value is 8 bytes;
 * two different values share a fingerprint with probability about n²/2⁶⁵ (≈4·10⁻⁷ for 4 M).
 */
export class Fingerprint {
  hi = 0;
  lo = 0;

  of(text: string): this {
    let h1 = 0xdeadbeef ^ text.length;
    let h2 = 0x41c6ce57 ^ text.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    this.hi = h1;
    this.lo = h2;
    return this;
  }
}
