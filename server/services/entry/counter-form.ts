import type { Executor } from '../../db/schema';
import { findCounterQuestionnaire, type CounterQuestionnaire } from '../../repositories/reserves';
import type { Wave } from '../../repositories/waves';
import { EntryRefusal } from './entry-refusal';
import { readTypedCode } from './typed-code';

/**
 * The questionnaire a clerk names at the post-office counter by its printed code: found in the
 * wave, refused when it belongs to a unit the clerk does not key for, and refused when it is a
 * reserve not yet released (no letter was sent for it).
 */
export async function findCounterForm(
  db: Executor,
  wave: Pick<Wave, 'year'>,
  typed: string,
  /** The clerk's units (User.unitCodes); null = every unit. */
  unitCodes: readonly string[] | null,
): Promise<CounterQuestionnaire> {
  const code = readTypedCode(typed, wave.year);
  const questionnaire = await findCounterQuestionnaire(db, wave.year, code);
  if (!questionnaire) throw new EntryRefusal('unknown', `Không có phiếu mã ${code} trong đợt ${wave.year}`, 404);
  if (unitCodes && !unitCodes.includes(questionnaire.unitCode)) {
    const yours = unitCodes.length === 0 ? 'chưa được giao đơn vị nào (hãy nhờ quản trị giao đơn vị)' : `chỉ nhập phiếu của ${unitCodes.join(', ')}`;
    throw new EntryRefusal('other-unit', `Phiếu ${code} thuộc ${questionnaire.unitName} (${questionnaire.unitCode}): tài khoản của bạn ${yours}`, 403);
  }
  if (!questionnaire.released) {
    throw new EntryRefusal('not-released', `Phiếu ${code} là phiếu dự phòng chưa được phát hành: chưa thể nhận phiếu trả lời cho mã này`, 409);
  }
  return questionnaire;
}
