import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The short access key printed next to the questionnaire code for people who type the short
 * URL instead of scanning the QR code. It is derived one-way from the QR token (the secret
 * that is never printed as text), so it cannot be worked out from the code, needs no column
 * and no coordination with publishing, and changes if a token is ever re-issued. 8 symbols of
 * Crockford's base32 give 40 bits; with the per-client rate limit on /k that is far beyond
 * guessing, while staying short enough to type on a phone.
 */

// Crockford's base32: no I, L, O, U, so a handwritten-looking 1 or 0 cannot be misread.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ACCESS_KEY_LENGTH = 8;

export function accessKeyFor(token: string): string {
  const digest = createHash('sha256').update(`sipas-access-key\u0000${token}`).digest();
  let bits = 0n;
  for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(digest[i]);
  let key = '';
  for (let i = ACCESS_KEY_LENGTH - 1; i >= 0; i--) key += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return key;
}

/** As printed on the letter: two groups of four, easier to read aloud and to type. */
export function formatAccessKey(key: string): string {
  return `${key.slice(0, 4)}-${key.slice(4)}`;
}

/**
 * What a person typed, in canonical form: any case, spaces and hyphens ignored, and the
 * letters Crockford reads as digits (O → 0, I and L → 1) folded. Null when it cannot be a key.
 */
export function normaliseAccessKey(typed: string): string | null {
  const compact = typed
    .normalize('NFC')
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/O/g, '0')
    .replace(/[IL]/g, '1');
  if (compact.length !== ACCESS_KEY_LENGTH || [...compact].some((ch) => !ALPHABET.includes(ch))) return null;
  return compact;
}

/** Compares in constant time, so response timing reveals nothing about how much was right. */
export function accessKeyMatches(token: string, typed: string): boolean {
  const normalised = normaliseAccessKey(typed);
  const expected = Buffer.from(accessKeyFor(token));
  const actual = Buffer.from(normalised ?? '-'.repeat(ACCESS_KEY_LENGTH));
  return timingSafeEqual(expected, actual) && normalised !== null;
}
