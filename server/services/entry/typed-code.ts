import { wrongCodeMessage } from '../../../analysis/questionnaire-code';
import { normaliseQuestionnaireCode } from '../../forms/questionnaire-codes';
import { EntryRefusal } from './entry-refusal';

/**
 * Reads the code a clerk typed or scanned at the counter: any case, with or without hyphens.
 * A typo (the check character does not fit) or another wave's code is refused with what to do,
 * so a mistyped code never opens someone else's form. The entry page's script says the same at
 * once, with the same message, as soon as the code is complete.
 */
export function readTypedCode(typed: string, waveYear: number): string {
  const shown = typed.normalize('NFC').trim();
  if (shown === '') throw new EntryRefusal('wrong-code', 'Chưa nhập mã phiếu', 400);
  const code = normaliseQuestionnaireCode(shown);
  if (!code) throw new EntryRefusal('wrong-code', wrongCodeMessage(shown), 400);
  const waveDigits = String(waveYear % 100).padStart(2, '0');
  if (!code.startsWith(`${waveDigits}-`)) {
    throw new EntryRefusal('wrong-code', `Mã phiếu ${code} không thuộc đợt ${waveYear} (mã của đợt này bắt đầu bằng ${waveDigits}-)`, 400);
  }
  return code;
}
