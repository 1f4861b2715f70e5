import type { Questionnaire } from '../../analysis/questionnaire';
import type { Database, Executor } from '../db/schema';

export async function insertQuestionnaireVersion(db: Executor, waveYear: number, questionnaire: Questionnaire): Promise<void> {
  await db
    .insertInto('questionnaire_versions')
    .values({ wave_year: waveYear, version: questionnaire.version, definition: JSON.stringify(questionnaire), created_at: new Date().toISOString() })
    .execute();
}

/** The wave's questionnaire: its latest version. */
export async function findQuestionnaire(db: Executor, waveYear: number): Promise<Questionnaire | undefined> {
  const row = await db
    .selectFrom('questionnaire_versions')
    .select('definition')
    .where('wave_year', '=', waveYear)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row && (JSON.parse(row.definition) as Questionnaire);
}
