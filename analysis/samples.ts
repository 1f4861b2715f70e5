import { encodeAnswers, isValidAnswerCount, type Scoring } from './scoring.js';
import type { AnalysisSettings, AnalysisUnit, ResponseChannel, ResponseRecord } from './types.js';
import { Sample } from './uncertainty.js';

export interface UnitCollection {
  unit: AnalysisUnit;
  sample: Sample;
  invalid: number;
  received: Record<ResponseChannel, number>;
}

export interface Collected {
  byUnit: Map<string, UnitCollection>;
  invalid: number;
  /** Unit code not in the wave → number of responses. */
  unknownUnits: Map<string, number>;
}

/**
 * One pass over the responses: applies the validity rule, keeps valid respondents per unit
 * and hands each valid one to `onValid` (its encoded answers are in `codes`, valid only
 * during the call) so that callers can tabulate more without a second pass.
 */
export function collectSamples(
  units: readonly AnalysisUnit[],
  responses: readonly ResponseRecord[],
  scoring: Scoring,
  settings: AnalysisSettings,
  onValid?: (r: ResponseRecord, col: UnitCollection, codes: Uint8Array) => void,
): Collected {
  const C = scoring.criteria.length;
  const byUnit = new Map<string, UnitCollection>();
  for (const unit of units) {
    if (byUnit.has(unit.code)) throw new Error(`mã đơn vị "${unit.code}" bị trùng`);
    byUnit.set(unit.code, { unit, sample: new Sample(C), invalid: 0, received: { paper: 0, qr: 0, import: 0 } });
  }
  const unknownUnits = new Map<string, number>();
  const codes = new Uint8Array(C);
  let invalid = 0;
  for (const r of responses) {
    const col = byUnit.get(r.unitCode);
    if (!col) {
      unknownUnits.set(r.unitCode, (unknownUnits.get(r.unitCode) ?? 0) + 1);
      continue;
    }
    col.received[r.channel] = (col.received[r.channel] ?? 0) + 1;
    const answered = encodeAnswers(r.answers, scoring, codes, 0);
    if (!isValidAnswerCount(answered, C, settings)) {
      col.invalid++;
      invalid++;
      continue;
    }
    col.sample.append(codes, 0);
    onValid?.(r, col, codes);
  }
  return { byUnit, invalid, unknownUnits };
}
