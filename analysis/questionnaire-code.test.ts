import { describe, expect, it } from 'vitest';
import { codeCheckCharacter, typedCodeShape, wrongCodeMessage } from './questionnaire-code';

const units = ['SNV', 'SNV1', 'SGDDT', 'LXU'];
const shape = (typed: string) => typedCodeShape(typed, units, codeCheckCharacter);

/** A code of `unit` with its right check character (sequences whose check is unprintable are skipped). */
function codeOf(unit: string, from: number): string {
  for (let seq = from; ; seq++) {
    const payload = `23${unit}${String(seq).padStart(4, '0')}`;
    const check = codeCheckCharacter(payload);
    if (check) return `23-${unit}-${payload.slice(2 + unit.length)}-${check}`;
  }
}

describe('the shape of a typed questionnaire code', () => {
  it('computes the MOD 37-2 check character; empty for the unprintable 37th value and for characters outside the alphabet', () => {
    // By hand: "1" sums to 2, check 37 − 2 = 35 = Z; "12" sums to (2 + 2)·2 = 8, check 29 = T; "J" (19) sums to 38 mod 37 = 1, check 36.
    expect(codeCheckCharacter('1')).toBe('Z');
    expect(codeCheckCharacter('12')).toBe('T');
    expect(codeCheckCharacter('J')).toBe('');
    expect(codeCheckCharacter('23snv0042')).toBe('');
  });

  it('waits while the code is being typed, and knows nothing of codes of no unit', () => {
    expect(shape('')).toEqual({ kind: 'partial' });
    expect(shape('23-SG')).toEqual({ kind: 'partial' });
    expect(shape('23sgddt00')).toEqual({ kind: 'partial' });
    expect(shape('23XYZ0001')).toEqual({ kind: 'unknown' });
    expect(shape('2A')).toEqual({ kind: 'unknown' });
  });

  it('is complete at the last character of a unit code, however it is typed, and says whether the check fits', () => {
    const code = codeOf('SGDDT', 26);
    for (const typed of [code, code.replace(/-/g, '').toLowerCase(), ` ${code.replace(/-/g, ' ')}`]) {
      expect(shape(typed)).toEqual({ kind: 'complete', code, checks: true, canGrow: false, end: typed.length });
    }
    const wrongCheck = code.slice(0, -1) + (code.endsWith('0') ? '1' : '0');
    expect(shape(wrongCheck)).toMatchObject({ kind: 'complete', code: wrongCheck, checks: false });
  });

  it('marks where the code ends, so keys typed after it are not read as part of it', () => {
    const code = codeOf('SGDDT', 26);
    const compact = code.replace(/-/g, '');
    const typed = `${compact}4545344455453443`;
    expect(shape(typed)).toMatchObject({ kind: 'complete', code, checks: true, canGrow: false, end: compact.length });
  });

  it('says a code of a unit may still grow into a code of a longer unit that begins the same way', () => {
    // 23SNV1abcd, a whole SNV code (sequence 1abc, check digit d), is also the beginning of an SNV1 code (sequence abcd).
    let short = codeOf('SNV', 1000);
    while (!/\d$/.test(short)) short = codeOf('SNV', Number(short.split('-')[2]) + 1);
    expect(shape(short.replace(/-/g, ''))).toMatchObject({ kind: 'complete', code: short, checks: true, canGrow: true });
    const long = codeOf('SNV1', 8);
    expect(shape(long.replace(/-/g, ''))).toMatchObject({ kind: 'complete', code: long, checks: true, canGrow: false });
    // An SNV code whose sequence does not start with 1 cannot be the beginning of an SNV1 code.
    expect(shape(codeOf('SNV', 42))).toMatchObject({ canGrow: false });
  });

  describe('with official numeric unit codes', () => {
    /** A code of `unit` in wave 2025 with its right check character, from sequence `from` on. */
    function code25(unit: string, from: number): string {
      for (let seq = from; ; seq++) {
        const payload = `25${unit}${String(seq).padStart(4, '0')}`;
        const check = codeCheckCharacter(payload);
        if (check) return `25-${unit}-${payload.slice(2 + unit.length)}-${check}`;
      }
    }
    const communes = (typed: string) => typedCodeShape(typed, ['SNV', 'SGDDT', '30292', '30301'], codeCheckCharacter);

    it('reads a compact all-digit code of one of two communes unambiguously, and where it ends', () => {
      for (const unit of ['30292', '30301']) {
        const code = code25(unit, 1);
        const compact = code.replace(/-/g, '');
        expect(compact).toMatch(/^\d{11}[0-9A-Z]$/);
        expect(communes(compact)).toEqual({ kind: 'complete', code, checks: true, canGrow: false, end: 12 });
        // Answers keyed straight after the code (digits too) are not part of it.
        expect(communes(`${compact}5443`)).toEqual({ kind: 'complete', code, checks: true, canGrow: false, end: 12 });
      }
      expect(communes('2530')).toEqual({ kind: 'partial' });
      expect(communes('25302920')).toEqual({ kind: 'partial' });
      expect(communes('2530299')).toEqual({ kind: 'unknown' });
    });

    it('rejects at once a digit typed wrong in the unit or the sequence', () => {
      const compact = code25('30292', 1).replace(/-/g, '');
      // Sequence digit changed: still a 30292 code, whose check no longer fits.
      const typo = compact.slice(0, 10) + String((Number(compact[10]) + 1) % 10) + compact.slice(11);
      expect(communes(typo)).toMatchObject({ kind: 'complete', checks: false });
      // A unit digit changed: no unit's codes begin like this.
      expect(communes(`253029${(Number(compact[6]) + 5) % 10}00014`)).toEqual({ kind: 'unknown' });
    });

    it('waits when a 4-digit unit\'s code may be the beginning of a 5-digit unit\'s (3029 and 30292)', () => {
      const both = (typed: string) => typedCodeShape(typed, ['3029', '30292'], codeCheckCharacter);
      // 25-3029-2abc-d with a digit check is also the first 11 characters of a 30292 code.
      let short = code25('3029', 2000);
      while (!/\d$/.test(short)) short = code25('3029', Number(short.split('-')[2]) + 1);
      expect(both(short.replace(/-/g, ''))).toMatchObject({ kind: 'complete', code: short, checks: true, canGrow: true });
      const long = code25('30292', 1);
      expect(both(long.replace(/-/g, ''))).toEqual({ kind: 'complete', code: long, checks: true, canGrow: false, end: 12 });
      // A 3029 code whose sequence does not begin with 2 cannot grow into a 30292 code.
      expect(both(code25('3029', 1).replace(/-/g, ''))).toMatchObject({ kind: 'complete', canGrow: false, end: 11 });
    });
  });

  it('words the refusal of a wrong code with what was typed', () => {
    expect(wrongCodeMessage('23-SNV-0043-7')).toBe('Mã phiếu "23-SNV-0043-7" sai (ký tự kiểm tra không khớp hoặc sai dạng, ví dụ đúng: 23-SNV-0042-7): hãy đọc lại mã in trên phiếu');
  });
});
