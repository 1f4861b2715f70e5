import { UserError } from '../../errors';
import { normaliseQuestionnaireCode } from '../../forms/questionnaire-codes';

/**
 * Reads the code a clerk typed or scanned at the counter: any case, with or without hyphens.
 * A typo (the check character does not fit) or another wave's code is refused with what to do,
 * so a mistyped code never opens someone else's form.
 */
export function readTypedCode(typed: string, waveYear: number): string {
  const shown = typed.normalize('NFC').trim();
  if (shown === '') throw new UserError('Chưa nhập mã phiếu');
  const code = normaliseQuestionnaireCode(shown);
  if (!code) {
    throw new UserError(`Mã phiếu "${shown}" sai (ký tự kiểm tra không khớp hoặc sai dạng, ví dụ đúng: 23-SNV-0042-7): hãy đọc lại mã in trên phiếu`);
  }
  const waveDigits = String(waveYear % 100).padStart(2, '0');
  if (!code.startsWith(`${waveDigits}-`)) {
    throw new UserError(`Mã phiếu ${code} không thuộc đợt ${waveYear} (mã của đợt này bắt đầu bằng ${waveDigits}-)`);
  }
  return code;
}
