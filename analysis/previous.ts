/**
 * Last year's value of a unit through lineage (SIPAS.md s.3).
 *
 * - predecessors null → last year's unit with the same code; none → a new unit.
 * - several predecessors → pooled. From raw answers the index is recomputed over the union of
 *   the predecessors' valid responses (so it is the index the merged unit would have had).
 *   From published figures it is the respondent-weighted mean of their indexes; if any
 *   predecessor's respondent count is unknown the mean is unweighted, because weighting
 *   some predecessors and not others would be arbitrary.
 * - predecessors listed but only some found (from raw answers: only some with a valid answer)
 *   → pooled over those found, with a warning; none found → a new unit, with a warning.
 */
import { IndexCalculator, mean, scoringOf, type Scoring } from './scoring.js';
import { collectSamples, SampleCollector, type UnitCollection } from './samples.js';
import type { Questionnaire } from './questionnaire.js';
import type { AnalysisSettings, AnalysisUnit, PreviousYear, ResponseRecord, UnitKind } from './types.js';
import { finitePopulationCorrection, indexInterval, jackknifeSe, Sample, type Interval } from './uncertainty.js';

export interface PreviousValue {
  index: number | null;
  se: number | null;
  respondents: number | null;
  /** Last year's own interval, from its answers (raw only). */
  interval: Interval | null;
  elements: Record<string, number | null> | null;
  used: string[];
}

export interface PreviousLookup {
  year: number;
  source: 'raw' | 'published';
  /** null: the unit is new (no predecessor in last year's data). */
  valueFor(unit: AnalysisUnit): PreviousValue | null;
  /** Mean of last year's indexes over last year's units of this kind. */
  groupAverage(kind: UnitKind): number | null;
}

export function previousLookup(
  previous: PreviousYear,
  questionnaire: Questionnaire,
  settings: AnalysisSettings,
  currentUnits: readonly AnalysisUnit[],
  warnings: string[],
): PreviousLookup | null {
  if (previous === null) return null;
  const predecessorsOf = (unit: AnalysisUnit) => ({
    codes: unit.predecessors ?? [unit.code],
    explicit: unit.predecessors !== null,
  });
  const resolve = (unit: AnalysisUnit, has: (code: string) => boolean): string[] | null => {
    const { codes, explicit } = predecessorsOf(unit);
    const found = codes.filter(has);
    if (explicit && found.length < codes.length) {
      const missing = codes.filter((c) => !has(c));
      warnings.push(
        `${unit.code}: không có số liệu năm ${previous.year} của đơn vị tiền thân ${missing.join(', ')}` +
          (found.length > 0 ? ' (tính gộp từ các đơn vị còn lại)' : ' (coi là đơn vị mới)'),
      );
    }
    return found.length > 0 ? found : null;
  };

  if (previous.source === 'raw') {
    const scoring = scoringOf(previous.questionnaire ?? questionnaire);
    const calc = new IndexCalculator(scoring);
    const collected = 'tallied' in previous ? previous.tallied : collectSamples(previous.units, previous.responses, scoring, settings);
    const ownIndex = new Map<string, number | null>();
    for (const [code, col] of collected.byUnit) ownIndex.set(code, calc.unitIndex(col.sample.counts));
    return {
      year: previous.year,
      source: 'raw',
      valueFor(unit) {
        // A named predecessor without one valid answer last year has nothing to pool: it is
        // missing like one absent from last year's units, and the warning says so.
        const hasAnswers = (c: string) => (collected.byUnit.get(c)?.sample.n ?? 0) > 0;
        const found = resolve(unit, unit.predecessors === null ? (c) => collected.byUnit.has(c) : hasAnswers);
        return found && pooledRaw(found.map((c) => collected.byUnit.get(c)!), scoring, calc, settings);
      },
      groupAverage(kind) {
        return mean(previous.units.filter((u) => u.kind === kind).map((u) => ownIndex.get(u.code)));
      },
    };
  }

  const rows = new Map(previous.rows.map((r) => [r.unitCode, r]));
  const inferredKind = new Map<string, UnitKind>();
  for (const unit of currentUnits) {
    for (const code of predecessorsOf(unit).codes) if (!inferredKind.has(code)) inferredKind.set(code, unit.kind);
  }
  return {
    year: previous.year,
    source: 'published',
    valueFor(unit) {
      const found = resolve(unit, (c) => rows.has(c));
      if (!found) return null;
      const used = found.map((c) => rows.get(c)!);
      const weighted = used.every((r) => r.respondents !== null && r.respondents > 0);
      const totalWeight = weighted ? used.reduce((s, r) => s + r.respondents!, 0) : used.length;
      const index = used.reduce((s, r) => s + r.index * (weighted ? r.respondents! : 1), 0) / totalWeight;
      const respondents = used.every((r) => r.respondents !== null)
        ? used.reduce((s, r) => s + r.respondents!, 0)
        : null;
      return { index, se: null, respondents, interval: null, elements: null, used: found };
    },
    groupAverage(kind) {
      return mean(previous.rows.filter((r) => (r.unitKind ?? inferredKind.get(r.unitCode)) === kind).map((r) => r.index));
    },
  };
}

/**
 * Last year's raw answers tallied as they are read, so that a country's wave never holds last
 * year's million responses (WaveTally's way for this year's): `add` each response, then
 * `previousYear` gives results() last year as `{ tallied }`. `settings` are those of the wave
 * whose results it serves (its validity rule applies to last year's answers too).
 */
export class PreviousTally {
  readonly #collector: SampleCollector;

  constructor(
    readonly year: number,
    units: readonly AnalysisUnit[],
    /** Last year's questionnaire. */
    readonly questionnaire: Questionnaire,
    settings: AnalysisSettings,
  ) {
    this.#collector = new SampleCollector(units, scoringOf(questionnaire), settings);
  }

  add(r: ResponseRecord): void {
    this.#collector.add(r);
  }

  /**
   * `units` are the units the tally was started with (same codes), with the frame sizes that
   * may only be known once every response has been seen; `current` is this year's questionnaire.
   */
  previousYear(units: AnalysisUnit[], current: Questionnaire): PreviousYear {
    const byUnit = this.#collector.byUnit;
    if (units.length !== byUnit.size || units.some((u) => !byUnit.has(u.code))) throw new Error('PreviousTally: not the units the tally was started with');
    for (const unit of units) byUnit.get(unit.code)!.unit = unit;
    return {
      source: 'raw',
      year: this.year,
      units,
      tallied: this.#collector,
      ...(this.questionnaire.version !== current.version ? { questionnaire: this.questionnaire } : {}),
    };
  }
}

function pooledRaw(cols: UnitCollection[], scoring: Scoring, calc: IndexCalculator, settings: AnalysisSettings): PreviousValue {
  const C = scoring.criteria.length;
  const sample = cols.length === 1 ? cols[0].sample : Sample.pool(cols.map((c) => c.sample), C);
  const frameSizes = cols.map((c) => c.unit.frameSize);
  const frameSize = frameSizes.every((f) => f !== undefined && f > 0)
    ? frameSizes.reduce<number>((s, f) => s + f!, 0)
    : null;
  const index = calc.unitIndex(sample.counts);
  const se = jackknifeSe(sample, calc);
  const elementValues = calc.elementIndexes(sample.counts);
  return {
    index,
    se: se === null ? null : se * finitePopulationCorrection(sample.n, frameSize),
    respondents: sample.n,
    // Pooled predecessors are strata: one degree of freedom lost per predecessor.
    interval:
      index === null || se === null
        ? null
        : indexInterval({ index, srsSe: se, n: sample.n, frameSize, df: sample.n - cols.length, confidence: settings.confidence }),
    elements: Object.fromEntries(scoring.elementCodes.map((code, e) => [code, elementValues[e]])),
    used: cols.map((c) => c.unit.code),
  };
}
