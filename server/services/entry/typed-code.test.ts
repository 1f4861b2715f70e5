import { describe, expect, it } from 'vitest';
import { UserError } from '../../errors';
import { makeQuestionnaireCode } from '../../forms/questionnaire-codes';
import type { EntryRefusal } from './entry-refusal';
import { readTypedCode } from './typed-code';

const code = makeQuestionnaireCode(2023, 'SNV', 42)!;

function refusal(typed: string, year = 2023): string {
  try {
    readTypedCode(typed, year);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).status).toBe(400);
    expect((error as EntryRefusal).state).toBe('wrong-code');
    return (error as UserError).message;
  }
  throw new Error(`"${typed}" was accepted`);
}

describe('reading a typed questionnaire code', () => {
  it('takes the code as printed, in lower case, without hyphens and with spaces around', () => {
    expect(readTypedCode(code, 2023)).toBe(code);
    expect(readTypedCode(`  ${code.replace(/-/g, '').toLowerCase()} `, 2023)).toBe(code);
  });

  it('refuses an empty field', () => {
    expect(refusal('   ')).toBe('Chưa nhập mã phiếu');
  });

  it('refuses a code whose check character does not fit, showing what was typed', () => {
    const typo = code.replace('0042', '0043');
    expect(refusal(typo)).toBe(`Mã phiếu "${typo}" sai (ký tự kiểm tra không khớp hoặc sai dạng, ví dụ đúng: 23-SNV-0042-7): hãy đọc lại mã in trên phiếu`);
  });

  it('refuses a valid code of another wave, naming the prefix of this one', () => {
    const older = makeQuestionnaireCode(2022, 'SNV', 42)!;
    expect(refusal(older)).toBe(`Mã phiếu ${older} không thuộc đợt 2023 (mã của đợt này bắt đầu bằng 23-)`);
    expect(readTypedCode(older, 2022)).toBe(older);
  });
});
