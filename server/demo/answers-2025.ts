import type { Questionnaire } from '../../analysis/questionnaire';
import type { ResponseContent } from '../forms/response-content';

/** Where each element sits around the unit's index, so elements differ as in real reports (sums to 0). */
const ELEMENT_OFFSET: Record<string, number> = { A: -1, B: 1, C: 2, D: 1, E: -3 };
/** "Không ý kiến" per criterion: fewer people can judge complaint handling. */
const BLANKS: Record<string, number> = { E2: 1, E3: 2 };

/**
 * `n` respondents' answers whose unit index comes within a few tenths of `target`: for each
 * criterion the satisfied count (4 or 5) is the target share of those who answered it,
 * rounded; the dissatisfied answer 1–3. Shifting the satisfied block by one respondent per
 * criterion keeps dissatisfaction concentrated on some people, as in real data.
 */
export function unitAnswers(questionnaire: Questionnaire, n: number, target: number, random: () => number): ResponseContent[] {
  const criteria = questionnaire.elements.flatMap((e) => e.criteria.map((c) => ({ code: c.code, element: e.code })));
  const plan = criteria.map((c) => {
    const blanks = n >= 10 ? (BLANKS[c.code] ?? 0) : 0;
    const share = Math.min(100, Math.max(0, target + (ELEMENT_OFFSET[c.element] ?? 0)));
    return { ...c, blanks, satisfied: Math.round((share * (n - blanks)) / 100) };
  });
  return Array.from({ length: n }, (_, i) => {
    const answers: Record<string, number | null> = {};
    plan.forEach((c, k) => {
      const j = (i + k) % n;
      const r = random();
      answers[c.code] = j < c.blanks ? null : j - c.blanks < c.satisfied ? (r < 0.35 ? 5 : 4) : r < 0.7 ? 3 : r < 0.92 ? 2 : 1;
    });
    const profile: ResponseContent['profile'] = {};
    for (const item of questionnaire.profile) {
      if (item.kind === 'single') {
        // Earlier options a little more often, and a few left blank, as on returned forms.
        profile[item.code] = random() < 0.04 ? null : item.options[Math.floor(item.options.length * random() ** 1.3)].code;
      } else {
        const count = Math.floor(random() * ((item.maxChoices ?? item.options.length) + 1));
        const codes = item.options.map((o) => o.code);
        for (let k = 0; k < count; k++) {
          const m = k + Math.floor(random() * (codes.length - k));
          [codes[k], codes[m]] = [codes[m], codes[k]];
        }
        profile[item.code] = codes.slice(0, count);
      }
    }
    return { answers, profile, comment: null };
  });
}
