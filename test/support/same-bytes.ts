/**
 * Where two byte strings first differ, or null when they are identical. For
 * `expect(firstDifference(a, b)).toBeNull()`: a deep `toEqual` on two Buffers walks them byte
 * by byte through the generic matcher and takes seconds for a file of a few hundred KB;
 * `Buffer.compare` takes microseconds, and a failure still names the first differing offset.
 */
export function firstDifference(actual: Uint8Array, expected: Uint8Array): string | null {
  if (actual.length === expected.length && Buffer.compare(actual, expected) === 0) return null;
  const shorter = Math.min(actual.length, expected.length);
  let at = 0;
  while (at < shorter && actual[at] === expected[at]) at++;
  const byte = (bytes: Uint8Array) => (at < bytes.length ? `0x${bytes[at].toString(16).padStart(2, '0')}` : 'end of data');
  return `${actual.length} bytes against ${expected.length} expected; first difference at offset ${at}: ${byte(actual)} against ${byte(expected)}`;
}
