/**
 * The SIPAS results of one wave (SIPAS.md s.10–11) from plain data: one pass over the responses
 * (validity, samples, profile and channel tallies), last year's values through lineage, then
 * each table from its builder.
 */
import { criterionRows, groupResult } from './group-results.js';
import { previousLookup } from './previous.js';
import { validateQuestionnaire, type Questionnaire } from './questionnaire.js';
import { ChannelTally, ProfileTally } from './respondent-tallies.js';
import { SampleCollector } from './samples.js';
import { IndexCalculator, scoringOf, type Scoring } from './scoring.js';
import { trackingTable } from './tracking-table.js';
import {
  UNIT_KINDS,
  type AnalysisSettings,
  type AnalysisUnit,
  type PreviousYear,
  type ResponseRecord,
  type TrackingInput,
  type UnitKind,
  type WaveResults,
} from './types.js';
import { assignRanks, unitResult } from './unit-results.js';

export interface WaveInput {
  year: number;
  questionnaire: Questionnaire;
  units: AnalysisUnit[];
  /** All responses; invalid ones are excluded by the validity rule and counted. */
  responses: ResponseRecord[];
  previous: PreviousYear;
  settings: AnalysisSettings;
  tracking?: TrackingInput[];
}

function kindOrder(kind: UnitKind): number {
  return UNIT_KINDS.indexOf(kind);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** What the results need besides the responses; `units` may now carry their frame sizes. */
export type WaveContext = Omit<WaveInput, 'responses' | 'questionnaire' | 'settings'>;

/**
 * The pass over a wave's responses, fed one response at a time so that a caller can read a
 * large wave (a country's, a million responses) in batches and keep none of them: validity,
 * samples, profile and channel tallies. `results` then builds every table.
 */
export class WaveTally {
  private readonly scoring: Scoring;
  private readonly channels: ChannelTally;
  private readonly profile: ProfileTally;
  private readonly collector: SampleCollector;

  constructor(
    private readonly q: Questionnaire,
    units: readonly AnalysisUnit[],
    private readonly settings: AnalysisSettings,
  ) {
    const problems = validateQuestionnaire(q);
    if (problems.length > 0) throw new Error(`phiếu khảo sát không hợp lệ: ${problems.join('; ')}`);
    this.scoring = scoringOf(q);
    this.channels = new ChannelTally(this.scoring);
    this.profile = new ProfileTally(q);
    this.collector = new SampleCollector(sortUnits(units), this.scoring, settings, (r, col, codes) => {
      this.channels.add(r, col.unit.code, codes);
      this.profile.add(r, col.unit.kind);
    });
  }

  /** Whether the response passes the wave's validity rule (invalid ones are counted, not used). */
  add(r: ResponseRecord): boolean {
    return this.collector.add(r);
  }

  /**
   * The tables. `context.units` are the units the tally was started with (same codes and kinds),
   * with the frame sizes that may only be known once every response has been seen.
   */
  results(context: WaveContext): WaveResults {
    const { year } = context;
    const { q, settings, scoring, collector } = this;
    const calc = new IndexCalculator(scoring);
    const warnings: string[] = [];
    const units = sortUnits(context.units);
    if (units.length !== collector.byUnit.size) throw new Error('WaveTally.results: not the units the tally was started with');
    for (const unit of units) {
      const col = collector.byUnit.get(unit.code);
      if (!col || col.unit.kind !== unit.kind) throw new Error(`WaveTally.results: unit ${unit.code} is not the one the tally was started with`);
      col.unit = unit;
    }
    for (const [code, n] of collector.unknownUnits) {
      warnings.push(`${n} phiếu của đơn vị "${code}" không có trong danh sách đơn vị của đợt khảo sát (không tính)`);
    }

    const previous = previousLookup(context.previous, q, settings, units, warnings);
    const unitResults = units.map((unit) => unitResult(collector.byUnit.get(unit.code)!, previous, scoring, calc, settings));
    assignRanks(unitResults);

    const kinds = UNIT_KINDS.filter((k) => units.some((u) => u.kind === k));
    return {
      year,
      questionnaireVersion: q.version,
      settings,
      elements: q.elements.map((e) => ({ code: e.code, label: e.label })),
      previous: previous ? { year: previous.year, source: previous.source } : null,
      units: unitResults,
      groups: kinds.map((kind) =>
        groupResult(
          kind,
          unitResults.filter((u) => u.kind === kind),
          previous?.groupAverage(kind) ?? null,
          settings,
        ),
      ),
      criteria: criterionRows(q, unitResults, collector.byUnit, kinds),
      tracking: trackingTable(units, collector.byUnit, context.tracking, warnings),
      profile: this.profile.tables(kinds),
      byChannel: this.channels.results(unitResults, calc),
      excluded: {
        invalid: collector.invalid,
        unknownUnit: [...collector.unknownUnits.values()].reduce((s, n) => s + n, 0),
      },
      warnings,
    };
  }
}

function sortUnits(units: readonly AnalysisUnit[]): AnalysisUnit[] {
  return [...units].sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || cmp(a.code, b.code));
}

export function computeWaveResults(input: WaveInput): WaveResults {
  const tally = new WaveTally(input.questionnaire, input.units, input.settings);
  for (const r of input.responses) tally.add(r);
  return tally.results(input);
}
