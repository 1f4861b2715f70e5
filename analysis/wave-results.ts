/**
 * The SIPAS results of one wave (SIPAS.md s.10–11) from plain data: one pass over the responses
 * (validity, samples, profile and channel tallies), last year's values through lineage, then
 * each table from its builder.
 */
import { criterionRows, groupResult } from './group-results.js';
import { previousLookup } from './previous.js';
import { validateQuestionnaire, type Questionnaire } from './questionnaire.js';
import { ChannelTally, ProfileTally } from './respondent-tallies.js';
import { collectSamples } from './samples.js';
import { IndexCalculator, scoringOf } from './scoring.js';
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

export function computeWaveResults(input: WaveInput): WaveResults {
  const { year, questionnaire: q, settings } = input;
  const problems = validateQuestionnaire(q);
  if (problems.length > 0) throw new Error(`phiếu khảo sát không hợp lệ: ${problems.join('; ')}`);
  const scoring = scoringOf(q);
  const calc = new IndexCalculator(scoring);
  const warnings: string[] = [];
  const units = [...input.units].sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || cmp(a.code, b.code));

  const channels = new ChannelTally(scoring);
  const profile = new ProfileTally(q);
  const collected = collectSamples(units, input.responses, scoring, settings, (r, col, codes) => {
    channels.add(r, col.unit.code, codes);
    profile.add(r, col.unit.kind);
  });
  for (const [code, n] of collected.unknownUnits) {
    warnings.push(`${n} phiếu của đơn vị "${code}" không có trong danh sách đơn vị của đợt khảo sát (không tính)`);
  }

  const previous = previousLookup(input.previous, q, settings, units, warnings);
  const unitResults = units.map((unit) => unitResult(collected.byUnit.get(unit.code)!, previous, scoring, calc, settings));
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
    criteria: criterionRows(q, unitResults, collected.byUnit, kinds),
    tracking: trackingTable(units, collected.byUnit, input.tracking, warnings),
    profile: profile.tables(kinds),
    byChannel: channels.results(unitResults, calc),
    excluded: {
      invalid: collected.invalid,
      unknownUnit: [...collected.unknownUnits.values()].reduce((s, n) => s + n, 0),
    },
    warnings,
  };
}
