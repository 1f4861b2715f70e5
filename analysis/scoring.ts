import { criterionCodes, SATISFIED_VALUES, type Questionnaire } from './questionnaire.js';
import type { AnalysisSettings, ResponseRecord } from './types.js';

/**
 * Respondents are kept as one byte per criterion so that a wave of 100,000 responses stays
 * a few megabytes and the jackknife can walk it without allocating.
 */
export const BLANK = 0;
export const UNSATISFIED = 1;
export const SATISFIED = 2;

export interface Scoring {
  criteria: readonly string[];
  elementCodes: string[];
  /** Criterion position → element position. */
  elementOf: Int32Array;
  satisfied: ReadonlySet<number>;
}

export function scoringOf(q: Questionnaire): Scoring {
  const elementOf: number[] = [];
  q.elements.forEach((e, i) => e.criteria.forEach(() => elementOf.push(i)));
  return {
    criteria: criterionCodes(q),
    elementCodes: q.elements.map((e) => e.code),
    elementOf: Int32Array.from(elementOf),
    satisfied: new Set<number>(SATISFIED_VALUES),
  };
}

function isScalePoint(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= 5;
}

/** Writes the respondent's codes at `offset`; returns how many criteria were answered. */
export function encodeAnswers(
  answers: Record<string, number | null>,
  scoring: Scoring,
  out: Uint8Array,
  offset: number,
): number {
  let answered = 0;
  const { criteria, satisfied } = scoring;
  for (let c = 0; c < criteria.length; c++) {
    const v = answers[criteria[c]];
    if (isScalePoint(v)) {
      answered++;
      out[offset + c] = satisfied.has(v) ? SATISFIED : UNSATISFIED;
    } else {
      out[offset + c] = BLANK;
    }
  }
  return answered;
}

export function isValidAnswerCount(answered: number, criteriaCount: number, s: AnalysisSettings): boolean {
  // A response with nothing answered adds nothing to any index, whatever the share says.
  // The epsilon keeps 0.5 × 16 = 8 from failing on floating-point noise of other shares.
  return answered > 0 && answered >= s.validity.minAnsweredShare * criteriaCount - 1e-9;
}

export function isValidResponse(r: ResponseRecord, q: Questionnaire, s: AnalysisSettings): boolean {
  const codes = criterionCodes(q);
  let answered = 0;
  for (const code of codes) if (isScalePoint(r.answers[code])) answered++;
  return isValidAnswerCount(answered, codes.length, s);
}

/** Satisfied and answered counts per criterion. */
export interface Counts {
  sat: Float64Array;
  ans: Float64Array;
}

export function emptyCounts(criteriaCount: number): Counts {
  return { sat: new Float64Array(criteriaCount), ans: new Float64Array(criteriaCount) };
}

export function addRespondent(counts: Counts, codes: Uint8Array, offset: number, sign = 1): void {
  const C = counts.sat.length;
  for (let c = 0; c < C; c++) {
    const v = codes[offset + c];
    if (v !== BLANK) {
      counts.ans[c] += sign;
      if (v === SATISFIED) counts.sat[c] += sign;
    }
  }
}

/** Scratch buffers reused across calls so the leave-one-out loop does not allocate. */
export class IndexCalculator {
  private readonly elementSum: Float64Array;
  private readonly elementCount: Int32Array;

  constructor(private readonly scoring: Scoring) {
    this.elementSum = new Float64Array(scoring.elementCodes.length);
    this.elementCount = new Int32Array(scoring.elementCodes.length);
  }

  /**
   * SIPAS.md s.10: criterion = 100·#{4,5}/#{1..5}; element = mean of its answered criteria;
   * unit = mean of the elements that have an index. Null when nothing was answered.
   */
  unitIndex(counts: Counts): number | null {
    this.fillElements(counts);
    let sum = 0;
    let n = 0;
    for (let e = 0; e < this.elementSum.length; e++) {
      if (this.elementCount[e] > 0) {
        sum += this.elementSum[e] / this.elementCount[e];
        n++;
      }
    }
    return n > 0 ? sum / n : null;
  }

  elementIndexes(counts: Counts): (number | null)[] {
    this.fillElements(counts);
    return Array.from(this.elementSum, (s, e) => (this.elementCount[e] > 0 ? s / this.elementCount[e] : null));
  }

  private fillElements(counts: Counts): void {
    this.elementSum.fill(0);
    this.elementCount.fill(0);
    const { elementOf } = this.scoring;
    for (let c = 0; c < counts.ans.length; c++) {
      if (counts.ans[c] > 0) {
        const e = elementOf[c];
        this.elementSum[e] += (100 * counts.sat[c]) / counts.ans[c];
        this.elementCount[e]++;
      }
    }
  }
}

export function criterionIndexes(counts: Counts): (number | null)[] {
  return Array.from(counts.ans, (a, c) => (a > 0 ? (100 * counts.sat[c]) / a : null));
}

export function mean(values: readonly (number | null | undefined)[]): number | null {
  let sum = 0;
  let n = 0;
  for (const v of values) {
    if (v !== null && v !== undefined) {
      sum += v;
      n++;
    }
  }
  return n > 0 ? sum / n : null;
}
