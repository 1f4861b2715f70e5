import type { Executor } from '../../db/schema';
import { UserError } from '../../errors';
import { findCounterQuestionnaire, type CounterQuestionnaire } from '../../repositories/reserves';
import type { Wave } from '../../repositories/waves';
import { readTypedCode } from './typed-code';

/**
 * The questionnaire a clerk names at the post-office counter by its printed code: found in the
 * wave and refused when it is a reserve not yet released (no letter was sent for it).
 */
export async function findCounterForm(db: Executor, wave: Pick<Wave, 'year'>, typed: string): Promise<CounterQuestionnaire> {
  const code = readTypedCode(typed, wave.year);
  const questionnaire = await findCounterQuestionnaire(db, wave.year, code);
  if (!questionnaire) throw new UserError(`Không có phiếu mã ${code} trong đợt ${wave.year}`, 404);
  if (!questionnaire.released) {
    throw new UserError(`Phiếu ${code} là phiếu dự phòng chưa được phát hành: chưa thể nhận phiếu trả lời cho mã này`, 409);
  }
  return questionnaire;
}
