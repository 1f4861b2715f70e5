import type { Questionnaire } from '../../../analysis/questionnaire';
import type { Executor } from '../../db/schema';
import { UserError } from '../../errors';
import { findQuestionnaire } from '../../repositories/questionnaire-versions';

/** The wave's questionnaire, for work that cannot go on without one (keying, settling, recording). */
export async function requireQuestionnaire(db: Executor, year: number): Promise<Questionnaire> {
  const questionnaire = await findQuestionnaire(db, year);
  if (!questionnaire) throw new UserError(`Đợt ${year} chưa có phiếu khảo sát`, 409);
  return questionnaire;
}
