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
 * The one pass over the responses, one response at a time, so that a caller reading a large
 * wave in batches never needs all of them at once: applies the validity rule, keeps valid
 * respondents per unit and hands each valid one to `onValid` (its encoded answers are in
 * `codes`, valid only during the call) so that callers can tabulate more without a second pass.
 */
export class SampleCollector implements Collected {
  readonly byUnit = new Map<string, UnitCollection>();
  readonly unknownUnits = new Map<string, number>();
  invalid = 0;
  private readonly codes: Uint8Array;

  constructor(
    units: readonly AnalysisUnit[],
    private readonly scoring: Scoring,
    private readonly settings: AnalysisSettings,
    private readonly onValid?: (r: ResponseRecord, col: UnitCollection, codes: Uint8Array) => void,
  ) {
    const C = scoring.criteria.length;
    this.codes = new Uint8Array(C);
    for (const unit of units) {
      if (this.byUnit.has(unit.code)) throw new Error(`mã đơn vị "${unit.code}" bị trùng`);
      this.byUnit.set(unit.code, { unit, sample: new Sample(C), invalid: 0, received: { paper: 0, qr: 0, import: 0 } });
    }
  }

  /** Whether the response passes the validity rule, whatever its unit (its state is checked against that). */
  add(r: ResponseRecord): boolean {
    const C = this.scoring.criteria.length;
    const valid = isValidAnswerCount(encodeAnswers(r.answers, this.scoring, this.codes, 0), C, this.settings);
    const col = this.byUnit.get(r.unitCode);
    if (!col) {
      this.unknownUnits.set(r.unitCode, (this.unknownUnits.get(r.unitCode) ?? 0) + 1);
      return valid;
    }
    col.received[r.channel] = (col.received[r.channel] ?? 0) + 1;
    if (!valid) {
      col.invalid++;
      this.invalid++;
      return valid;
    }
    col.sample.append(this.codes, 0);
    this.onValid?.(r, col, this.codes);
    return valid;
  }
}

/** The pass over responses held in memory. */
export function collectSamples(
  units: readonly AnalysisUnit[],
  responses: Iterable<ResponseRecord>,
  scoring: Scoring,
  settings: AnalysisSettings,
): Collected {
  const collector = new SampleCollector(units, scoring, settings);
  for (const r of responses) collector.add(r);
  return collector;
}
