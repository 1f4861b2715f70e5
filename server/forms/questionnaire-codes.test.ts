import { describe, expect, it } from 'vitest';
import { UserError } from '../errors';
import { issueQuestionnaireCodes, makeQuestionnaireCode, newQrToken, normaliseQuestionnaireCode } from './questionnaire-codes';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('questionnaire codes', () => {
  const units = ['SNV', 'SGTVT', 'LXU', 'CDO', 'X1', 'BQLKKT'];
  const codes = units.flatMap((u) => issueQuestionnaireCodes(2023, u, 120));

  it('prints as wave-unit-sequence-check and reads back from what a clerk types', () => {
    expect(codes[0]).toMatch(/^23-SNV-0001-[0-9A-Z]$/);
    for (const code of codes) {
      expect(normaliseQuestionnaireCode(code)).toBe(code);
      expect(normaliseQuestionnaireCode(code.replace(/-/g, '').toLowerCase())).toBe(code);
    }
  });

  it('skips sequence numbers whose check would need an unprintable symbol', () => {
    const skipped = Array.from({ length: 400 }, (_, i) => i + 1).filter((seq) => makeQuestionnaireCode(2023, 'SNV', seq) === null);
    expect(skipped.length).toBeGreaterThan(0);
    expect(issueQuestionnaireCodes(2023, 'SNV', 400).some((c) => skipped.some((s) => c.includes(`-${String(s).padStart(4, '0')}-`)))).toBe(false);
  });

  it('numbers on from a given sequence, and refuses a unit that would need more than four digits', () => {
    const all = issueQuestionnaireCodes(2023, 'SNV', 60);
    expect(issueQuestionnaireCodes(2023, 'SNV', 10, Number(all[49].split('-')[2]) + 1)).toEqual(all.slice(50));
    expect(() => issueQuestionnaireCodes(2023, 'SNV', 9999)).toThrow(new UserError('Đơn vị SNV cần hơn 9999 mã phiếu: mã phiếu chỉ có 4 chữ số cho số thứ tự', 409));
  });

  it('rejects every single-character typo', () => {
    // One expect per typo would cost seconds: collect the accepted typos and assert once.
    let tried = 0;
    const accepted: string[] = [];
    for (const code of codes) {
      const compact = code.replace(/-/g, '');
      for (let i = 0; i < compact.length; i++) {
        for (const ch of ALPHABET) {
          if (ch === compact[i]) continue;
          tried++;
          const typo = compact.slice(0, i) + ch + compact.slice(i + 1);
          if (normaliseQuestionnaireCode(typo) !== null) accepted.push(`${typo} (typo of ${code})`);
        }
      }
    }
    expect(accepted.slice(0, 20), `${accepted.length} typos accepted, the first`).toEqual([]);
    expect(tried).toBeGreaterThan(200_000);
  });

  it('rejects every swap of two neighbouring characters', () => {
    const accepted: string[] = [];
    for (const code of codes) {
      const compact = code.replace(/-/g, '');
      for (let i = 0; i + 1 < compact.length; i++) {
        if (compact[i] === compact[i + 1]) continue;
        const swapped = compact.slice(0, i) + compact[i + 1] + compact[i] + compact.slice(i + 2);
        if (normaliseQuestionnaireCode(swapped) !== null) accepted.push(`${swapped} (swap in ${code})`);
      }
    }
    expect(accepted.slice(0, 20), `${accepted.length} swaps accepted, the first`).toEqual([]);
  });

  describe('with official numeric unit codes (communes after 2025: 30292 = UBND Phường Bình Đức)', () => {
    const numericUnits = ['30292', '30301', '31012', '3029'];
    const numericCodes = numericUnits.flatMap((u) => issueQuestionnaireCodes(2025, u, 150));

    it('prints the unit code between the wave and the sequence and reads it back with or without hyphens', () => {
      const first = issueQuestionnaireCodes(2025, '30292', 1)[0];
      expect(first).toMatch(/^25-30292-0001-[0-9A-Z]$/);
      for (const code of numericCodes) {
        const [, unit] = code.split('-');
        expect(normaliseQuestionnaireCode(code)).toBe(code);
        expect(normaliseQuestionnaireCode(code.replace(/-/g, ''))).toBe(code);
        expect(normaliseQuestionnaireCode(` ${code.replace(/-/g, ' ').toLowerCase()} `)).toBe(code);
        // The printed form keeps the unit whole: the compact digits are split by length, not by letters.
        expect(normaliseQuestionnaireCode(code.replace(/-/g, ''))!.split('-')[1]).toBe(unit);
      }
    });

    it('tells a 4-digit unit from a 5-digit one that begins with it: the length of the code decides', () => {
      // 25-3029-2000-x and 25-30292-000y-z share their first digits; they differ in length, so neither reads as the other.
      const short = makeQuestionnaireCode(2025, '3029', 2000) ?? makeQuestionnaireCode(2025, '3029', 2001)!;
      const long = makeQuestionnaireCode(2025, '30292', 1)!;
      expect(normaliseQuestionnaireCode(short.replace(/-/g, ''))).toBe(short);
      expect(normaliseQuestionnaireCode(long.replace(/-/g, ''))).toBe(long);
      expect(short.replace(/-/g, '').length).toBe(long.replace(/-/g, '').length - 1);
    });

    it('rejects every single-character typo and every swap of neighbours', () => {
      const accepted: string[] = [];
      let tried = 0;
      for (const code of numericCodes) {
        const compact = code.replace(/-/g, '');
        for (let i = 0; i < compact.length; i++) {
          for (const ch of ALPHABET) {
            if (ch === compact[i]) continue;
            tried++;
            const typo = compact.slice(0, i) + ch + compact.slice(i + 1);
            if (normaliseQuestionnaireCode(typo) !== null) accepted.push(`${typo} (typo of ${code})`);
          }
          if (i + 1 < compact.length && compact[i] !== compact[i + 1]) {
            const swapped = compact.slice(0, i) + compact[i + 1] + compact[i] + compact.slice(i + 2);
            if (normaliseQuestionnaireCode(swapped) !== null) accepted.push(`${swapped} (swap in ${code})`);
          }
        }
      }
      expect(accepted.slice(0, 20), `${accepted.length} typos or swaps accepted, the first`).toEqual([]);
      expect(tried).toBeGreaterThan(200_000);
    });
  });

  it('issues unique, unguessable tokens of at least 128 bits', () => {
    const tokens = new Set(Array.from({ length: 20_000 }, newQrToken));
    expect(tokens.size).toBe(20_000);
    for (const token of [...tokens].slice(0, 100)) {
      expect(token).toMatch(/^[A-Za-z0-9_-]{24}$/);
      expect(Buffer.from(token, 'base64url').length * 8).toBeGreaterThanOrEqual(128);
    }
  });
});
