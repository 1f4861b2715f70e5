import { randomBytes } from 'node:crypto';
import { codeCheckCharacter } from '../../analysis/questionnaire-code';
import { UserError } from '../errors';

/**
 * Questionnaire codes look like `23-SNV-0042-7`: wave (2 digits), unit, sequence (4 digits)
 * and a check character. The check is the pure ISO 7064 MOD 37-2 system over the characters
 * without hyphens: weights are powers of 2 modulo the prime 37, so every single wrong
 * character and every swap of two neighbouring characters changes the sum and is rejected.
 * Its 37th check value would need a symbol that is not on a clerk's keypad ('*'), so sequence
 * numbers whose check would be that value are skipped when codes are issued. The check itself
 * is in analysis/questionnaire-code.ts, which the entry page's script shares.
 */

/** The code for a sequence number, or null when its check would be the unprintable 37th symbol. */
export function makeQuestionnaireCode(waveYear: number, unitCode: string, sequence: number): string | null {
  const year = String(waveYear % 100).padStart(2, '0');
  const seq = String(sequence).padStart(4, '0');
  const check = codeCheckCharacter(`${year}${unitCode}${seq}`);
  if (!check) return null;
  return `${year}-${unitCode}-${seq}-${check}`;
}

/** Issues `count` codes for a unit, numbering from `firstSequence`, skipping unprintable ones. */
export function issueQuestionnaireCodes(waveYear: number, unitCode: string, count: number, firstSequence = 1): string[] {
  const codes: string[] = [];
  for (let seq = firstSequence; codes.length < count; seq++) {
    if (seq > 9999) throw new UserError(`Đơn vị ${unitCode} cần hơn 9999 mã phiếu: mã phiếu chỉ có 4 chữ số cho số thứ tự`, 409);
    const code = makeQuestionnaireCode(waveYear, unitCode, seq);
    if (code) codes.push(code);
  }
  return codes;
}

/**
 * Reads what a clerk typed (any case, with or without hyphens or spaces) and returns the code
 * in its printed form, or null when the check character does not match.
 */
export function normaliseQuestionnaireCode(typed: string): string | null {
  const compact = typed.toUpperCase().replace(/[\s-]/g, '');
  const match = /^(\d{2})([A-Z0-9]+)(\d{4})([0-9A-Z])$/.exec(compact);
  if (!match) return null;
  const [, year, unit, seq, check] = match;
  if (codeCheckCharacter(`${year}${unit}${seq}`) !== check) return null;
  return `${year}-${unit}-${seq}-${check}`;
}

/** 144 bits from the operating system's CSPRNG, URL-safe: the secret in the QR code. */
export function newQrToken(): string {
  return randomBytes(18).toString('base64url');
}
