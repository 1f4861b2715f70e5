import type { Questionnaire } from '../../analysis/questionnaire';
import { reusableQuery } from '../db/connect';
import type { Executor } from '../db/schema';

export async function insertQuestionnaireVersion(db: Executor, waveYear: number, questionnaire: Questionnaire): Promise<void> {
  await db
    .insertInto('questionnaire_versions')
    .values({ wave_year: waveYear, version: questionnaire.version, definition: JSON.stringify(questionnaire), created_at: new Date().toISOString() })
    .execute();
}

/**
 * Parsed definitions by their stored text: every batch of QR submissions reads the wave's
 * questionnaire, and parsing it costs more than the read. Loaded questionnaires are never
 * modified (see criteriaOf), so callers may share one object; a changed text parses anew.
 */
const parsedDefinitions = new Map<string, Questionnaire>();

function parseDefinition(text: string): Questionnaire {
  let questionnaire = parsedDefinitions.get(text);
  if (!questionnaire) {
    if (parsedDefinitions.size >= 16) parsedDefinitions.clear();
    parsedDefinitions.set(text, (questionnaire = JSON.parse(text) as Questionnaire));
  }
  return questionnaire;
}

const selectLatestDefinition = reusableQuery((db, waveYear: number) =>
  db.selectFrom('questionnaire_versions').select('definition').where('wave_year', '=', waveYear).orderBy('id', 'desc').limit(1),
);

/** The wave's questionnaire: its latest version. */
export async function findQuestionnaire(db: Executor, waveYear: number): Promise<Questionnaire | undefined> {
  const [row] = (await selectLatestDefinition(db, waveYear)).rows;
  return row && parseDefinition(row.definition);
}
