import { z } from 'zod';
import { defaultComment, validateQuestionnaire, type Questionnaire } from '../../analysis/questionnaire';
import { reusableQuery } from '../db/connect';
import { deepFreeze, jsonColumn } from '../db/json-column';
import type { Executor } from '../db/schema';

const labelled = { code: z.string(), label: z.string() };
const choiceItem = z.object({ ...labelled, kind: z.enum(['single', 'multi']), options: z.array(z.object(labelled)), maxChoices: z.number().int().positive().optional() });
/** Definitions written before the comment had its own place kept it as a profile item of kind 'text'. */
const legacyCommentItem = z.object({ ...labelled, kind: z.literal('text') });

/**
 * Both shapes a stored definition may have, read into today's: a legacy text item becomes the
 * comment (with the limit every channel applied then), and the result must pass
 * validateQuestionnaire like a questionnaire given to a new wave.
 */
const definitionColumn = jsonColumn(
  'questionnaire_versions.definition',
  z
    .object({
      version: z.string(),
      title: z.string(),
      scale: z.array(z.object({ value: z.number(), label: z.string() })),
      noOpinionLabel: z.string(),
      elements: z.array(z.object({ ...labelled, criteria: z.array(z.object(labelled)) })),
      profile: z.array(z.discriminatedUnion('kind', [choiceItem, legacyCommentItem])),
      comment: z.object({ ...labelled, maxLength: z.number() }).optional(),
    })
    .transform((stored, ctx): Questionnaire => {
      const legacy = stored.profile.find((item) => item.kind === 'text');
      const questionnaire: Questionnaire = {
        ...stored,
        profile: stored.profile.filter((item) => item.kind !== 'text'),
        comment: stored.comment ?? (legacy ? { code: legacy.code, label: legacy.label, maxLength: defaultComment.maxLength } : defaultComment),
      };
      for (const problem of validateQuestionnaire(questionnaire)) ctx.addIssue({ code: 'custom', message: problem });
      return questionnaire;
    }),
);

export async function insertQuestionnaireVersion(db: Executor, waveYear: number, questionnaire: Questionnaire): Promise<void> {
  await db
    .insertInto('questionnaire_versions')
    .values({ wave_year: waveYear, version: questionnaire.version, definition: definitionColumn.write(questionnaire), created_at: new Date().toISOString() })
    .execute();
}

/**
 * Parsed definitions by their stored text: every batch of QR submissions reads the wave's
 * questionnaire, and checking it costs far more than the read. Frozen, since callers share one
 * object (and per-questionnaire lookups such as criterionCodes are cached on it); a changed text
 * parses anew.
 */
const parsedDefinitions = new Map<string, Questionnaire>();

function parseDefinition(text: string): Questionnaire {
  let questionnaire = parsedDefinitions.get(text);
  if (!questionnaire) {
    if (parsedDefinitions.size >= 16) parsedDefinitions.clear();
    parsedDefinitions.set(text, (questionnaire = deepFreeze(definitionColumn.read(text))));
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
