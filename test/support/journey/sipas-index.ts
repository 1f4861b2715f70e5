/**
 * The SIPAS index worked out in the test, straight from docs/sipas-domain-reference.md
 * (sections 8 and 10), so the journey checks the platform's figures against a calculation
 * that shares no code with analysis/:
 *
 * - a response is valid when at least half of the criteria are answered (1–5; blank and
 *   "không ý kiến" are no answer);
 * - criterion index = 100 × answers in {4,5} / answers in {1..5}, over the unit's valid responses;
 * - element index = mean of its criteria's indexes; unit index = mean of its element indexes.
 */

/** The criteria of the default questionnaire by element (reference, section 6). */
export const ELEMENTS: Record<string, string[]> = {
  A: ['A1', 'A2', 'A3'],
  B: ['B1', 'B2', 'B3', 'B4'],
  C: ['C1', 'C2', 'C3'],
  D: ['D1', 'D2', 'D3'],
  E: ['E1', 'E2', 'E3'],
};

export const CRITERIA = Object.values(ELEMENTS).flat();

/** One response as 16 digits in criterion order, `0` for a blank or «Không ý kiến». */
export type AnswerDigits = string;

export function answeredCount(digits: AnswerDigits): number {
  return [...digits].filter((d) => d >= '1' && d <= '5').length;
}

export function isValid(digits: AnswerDigits, minAnsweredShare = 0.5): boolean {
  return answeredCount(digits) >= minAnsweredShare * CRITERIA.length;
}

const mean = (values: number[]) => values.reduce((s, v) => s + v, 0) / values.length;

export interface UnitIndex {
  respondents: number;
  index: number;
  elements: Record<string, number>;
}

/** The unit's index from the answers it received; null when no valid response answers a criterion. */
export function unitIndex(responses: AnswerDigits[], minAnsweredShare = 0.5): UnitIndex | null {
  const valid = responses.filter((r) => isValid(r, minAnsweredShare));
  const criterion = (position: number): number | null => {
    const answers = valid.map((r) => r[position]).filter((d) => d >= '1' && d <= '5');
    return answers.length === 0 ? null : (100 * answers.filter((d) => d >= '4').length) / answers.length;
  };
  const elements: Record<string, number> = {};
  for (const [element, codes] of Object.entries(ELEMENTS)) {
    const values = codes.map((code) => criterion(CRITERIA.indexOf(code))).filter((v): v is number => v !== null);
    if (values.length > 0) elements[element] = mean(values);
  }
  if (Object.keys(elements).length === 0) return null;
  return { respondents: valid.length, index: mean(Object.values(elements)), elements };
}

/** Vietnamese display with two decimals, as the report prints it: 83,33 %. */
export function vietnamesePercent(value: number): string {
  return `${value.toFixed(2).replace('.', ',')} %`;
}
