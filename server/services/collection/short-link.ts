import type { Executor } from '../../db/schema';
import { findQuestionnaireByCode } from '../../repositories/collection';
import { accessKeyMatches } from './access-keys';
import type { AttemptLimiter } from './attempt-limiter';
import { normaliseQuestionnaireCode } from '../../forms/questionnaire-codes';

/**
 * `/k`, for people who type the code and access key printed on the letter instead of scanning:
 * the pair opens the token. A wrong key, an unknown code and a reserve not yet sent are the same
 * answer, and failures are limited per client and per code so guessing stays hopeless.
 */
/** Failed code + key pairs, per client address and per questionnaire code. */
export interface ShortLinkLimits {
  byClient: AttemptLimiter;
  byCode: AttemptLimiter;
}

export type ShortLinkOutcome = { kind: 'open'; token: string } | { kind: 'wrong-key' } | { kind: 'too-many' };

export async function openByShortLink(
  db: Executor,
  limits: ShortLinkLimits,
  attempt: { client: string; typedCode: string; typedKey: string },
): Promise<ShortLinkOutcome> {
  const code = normaliseQuestionnaireCode(attempt.typedCode);
  if ((await limits.byClient.isBlocked(attempt.client)) || (code && (await limits.byCode.isBlocked(code)))) return { kind: 'too-many' };
  const questionnaire = code ? await findQuestionnaireByCode(db, code) : undefined;
  // Compare even when the code is unknown, so timing does not tell which codes exist.
  const keyMatches = accessKeyMatches(questionnaire?.token ?? 'no-such-questionnaire', attempt.typedKey);
  if (!questionnaire || !questionnaire.released || !keyMatches) {
    await limits.byClient.recordFailure(attempt.client);
    if (code) await limits.byCode.recordFailure(code);
    return { kind: 'wrong-key' };
  }
  return { kind: 'open', token: questionnaire.token };
}
