/**
 * The shape of a printed questionnaire code, `23-SNV-0042-7`: wave (2 digits), unit code,
 * sequence (4 digits) and a check character (ISO 7064 MOD 37-2, see
 * server/forms/questionnaire-codes.ts). Both the server and the entry page's script read codes
 * with these functions, so the page can tell at once, without asking the server, that a typed
 * code is complete and whether its check character fits. Each function is self-contained (no
 * imports, no module constants, no calls to the others) because the entry page ships them to
 * the browser as their source text.
 */

/**
 * The check character of a code's characters without hyphens (wave, unit, sequence); '' when
 * they hold a character outside 0-9/A-Z, or when the check would be MOD 37-2's 37th symbol
 * ('*'), which is not on a clerk's keypad (codes with that check are never issued).
 */
export function codeCheckCharacter(payload: string): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  let sum = 0;
  for (const ch of payload) {
    const value = alphabet.indexOf(ch);
    if (value < 0) return '';
    sum = ((sum + value) * 2) % 37;
  }
  return alphabet.charAt((37 - sum) % 37);
}

/** What the entry page and the server say about a code whose check character does not fit. */
export function wrongCodeMessage(shown: string): string {
  return `Mã phiếu "${shown}" sai (ký tự kiểm tra không khớp hoặc sai dạng, ví dụ đúng: 23-SNV-0042-7): hãy đọc lại mã in trên phiếu`;
}

export type TypedCodeShape =
  /** Nothing typed yet, or the beginning of a code of one of the units. */
  | { kind: 'partial' }
  /** No unit's code begins like this: only the server can say what is wrong. */
  | { kind: 'unknown' }
  | {
      kind: 'complete';
      /** In its printed form. */
      code: string;
      /** Whether the check character fits. */
      checks: boolean;
      /** A longer unit code could still make it another code (SNV and SNV1): more keys may belong to the code. */
      canGrow: boolean;
      /** Where the code ends in what was typed: anything after it is not part of the code. */
      end: number;
    };

/**
 * Reads what a clerk has typed so far (any case, hyphens and spaces optional) against the wave's
 * unit codes: a code is complete once it has the 2 + unit + 4 + 1 characters of one unit's codes,
 * taking the longest unit whose codes it fits. `checkCharacter` is codeCheckCharacter, passed in
 * because the page ships each function on its own.
 */
export function typedCodeShape(typed: string, unitCodes: readonly string[], checkCharacter: (payload: string) => string): TypedCodeShape {
  let compact = '';
  const ends: number[] = [];
  for (let i = 0; i < typed.length; i++) {
    const ch = typed.charAt(i);
    if (ch === '-' || ch.trim() === '') continue;
    compact += ch.toUpperCase();
    ends.push(i + 1);
  }
  const isDigit = (ch: string) => ch >= '0' && ch <= '9';
  /** How many leading characters of `text` fit the codes of `unit`. */
  const fitting = (text: string, unit: string): number => {
    const length = unit.length + 7;
    let n = 0;
    for (; n < Math.min(text.length, length); n++) {
      const ch = text.charAt(n);
      const fits =
        n < 2 ? isDigit(ch) : n < 2 + unit.length ? ch === unit.charAt(n - 2) : n < length - 1 ? isDigit(ch) : isDigit(ch) || (ch >= 'A' && ch <= 'Z');
      if (!fits) break;
    }
    return n;
  };
  let unit: string | null = null;
  let beginning = compact === '';
  for (const candidate of unitCodes) {
    const n = fitting(compact, candidate);
    if (n === candidate.length + 7) {
      if (unit === null || candidate.length > unit.length) unit = candidate;
    } else if (n === compact.length) {
      beginning = true;
    }
  }
  if (unit === null) return beginning ? { kind: 'partial' } : { kind: 'unknown' };
  const found = unit;
  const length = found.length + 7;
  const head = compact.slice(0, length);
  const check = head.charAt(length - 1);
  return {
    kind: 'complete',
    code: `${head.slice(0, 2)}-${found}-${head.slice(2 + found.length, length - 1)}-${check}`,
    checks: checkCharacter(head.slice(0, length - 1)) === check,
    canGrow: unitCodes.some((other) => other.length > found.length && fitting(head, other) === length),
    end: ends[length - 1],
  };
}
