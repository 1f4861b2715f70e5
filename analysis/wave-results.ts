import { validateQuestionnaire, type Questionnaire } from './questionnaire.js';
import { previousLookup } from './previous.js';
import { collectSamples, type UnitCollection } from './samples.js';
import {
  addRespondent,
  criterionIndexes,
  emptyCounts,
  IndexCalculator,
  mean,
  scoringOf,
  type Counts,
} from './scoring.js';
import {
  RESPONSE_CHANNELS,
  UNIT_KINDS,
  type AnalysisSettings,
  type AnalysisUnit,
  type Band,
  type ChannelResult,
  type CriterionRow,
  type GroupResult,
  type PreviousYear,
  type ProfileCount,
  type ProfileTable,
  type ResponseChannel,
  type ResponseRecord,
  type TrackingFigures,
  type TrackingInput,
  type TrackingRow,
  type UnitKind,
  type UnitResult,
  type WaveResults,
} from './types.js';
import {
  confidenceInterval,
  deltaIsSignificant,
  finitePopulationCorrection,
  isUnchanged,
  jackknifeSe,
} from './uncertainty.js';

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

/** Indexes that differ only by floating-point noise share a rank. */
const RANK_TIE = 1e-9;

export function bandOf(index: number, s: AnalysisSettings): Band {
  if (index >= s.bandLimits.high) return 'high';
  if (index >= s.bandLimits.mid) return 'mid';
  return 'low';
}

function kindOrder(kind: UnitKind): number {
  return UNIT_KINDS.indexOf(kind);
}

export function computeWaveResults(input: WaveInput): WaveResults {
  const { year, questionnaire: q, settings } = input;
  const problems = validateQuestionnaire(q);
  if (problems.length > 0) throw new Error(`phiếu khảo sát không hợp lệ: ${problems.join('; ')}`);
  const scoring = scoringOf(q);
  const calc = new IndexCalculator(scoring);
  const warnings: string[] = [];
  const units = [...input.units].sort((a, b) => kindOrder(a.kind) - kindOrder(b.kind) || cmp(a.code, b.code));

  const channelCounts = new Map<string, Record<ResponseChannel, { counts: Counts; n: number }>>();
  const profile = new ProfileTally(q);
  const collected = collectSamples(units, input.responses, scoring, settings, (r, col, codes) => {
    let byChannel = channelCounts.get(col.unit.code);
    if (!byChannel) {
      byChannel = Object.fromEntries(
        RESPONSE_CHANNELS.map((ch) => [ch, { counts: emptyCounts(scoring.criteria.length), n: 0 }]),
      ) as Record<ResponseChannel, { counts: Counts; n: number }>;
      channelCounts.set(col.unit.code, byChannel);
    }
    const slot = byChannel[r.channel];
    if (slot) {
      addRespondent(slot.counts, codes, 0);
      slot.n++;
    }
    profile.add(r, col.unit.kind);
  });
  for (const [code, n] of collected.unknownUnits) {
    warnings.push(`${n} phiếu của đơn vị "${code}" không có trong danh sách đơn vị của đợt khảo sát (không tính)`);
  }

  const previous = previousLookup(input.previous, q, settings, units, warnings);

  const unitResults = units.map((unit): UnitResult => {
    const col = collected.byUnit.get(unit.code)!;
    const { sample } = col;
    const n = sample.n;
    const index = calc.unitIndex(sample.counts);
    const rawSe = index === null ? null : jackknifeSe(sample, calc);
    const se = rawSe === null ? null : rawSe * finitePopulationCorrection(n, unit.frameSize);
    const ci = index !== null && se !== null ? confidenceInterval(index, se, n, settings.confidence) : null;
    const elementValues = calc.elementIndexes(sample.counts);
    const criterionValues = criterionIndexes(sample.counts);
    const prev = previous ? previous.valueFor(unit) : null;
    const prevIndex = prev?.index ?? null;
    const delta = index !== null && prevIndex !== null ? index - prevIndex : null;
    return {
      code: unit.code,
      name: unit.name,
      kind: unit.kind,
      respondents: n,
      invalidResponses: col.invalid,
      frameSize: unit.frameSize ?? null,
      index,
      se,
      ciLow: ci?.low ?? null,
      ciHigh: ci?.high ?? null,
      elements: Object.fromEntries(scoring.elementCodes.map((c, e) => [c, elementValues[e]])),
      criteria: Object.fromEntries(scoring.criteria.map((c, i) => [c, criterionValues[i]])),
      prevIndex,
      prevSe: prev?.se ?? null,
      prevRespondents: prev?.respondents ?? null,
      prevElements: prev?.elements ?? null,
      predecessorsUsed: prev?.used ?? [],
      delta,
      isNew: previous !== null && prev === null,
      significant:
        delta !== null && se !== null
          ? deltaIsSignificant({
              delta,
              se,
              n,
              prevSe: prev?.se ?? null,
              prevN: prev?.respondents ?? null,
              confidence: settings.confidence,
            })
          : null,
      band: index === null ? null : bandOf(index, settings),
      rank: null,
      belowMinimum: n < settings.minRespondents,
      parPoints: index === null ? null : (index * settings.parMaxPoints) / 100,
    };
  });
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
    byChannel: unitResults.map((u) => {
      const byChannel = channelCounts.get(u.code);
      return {
        unitCode: u.code,
        unitName: u.name,
        kind: u.kind,
        channels: Object.fromEntries(
          RESPONSE_CHANNELS.map((ch) => [
            ch,
            byChannel
              ? { respondents: byChannel[ch].n, index: calc.unitIndex(byChannel[ch].counts) }
              : { respondents: 0, index: null },
          ]),
        ) as ChannelResult['channels'],
      };
    }),
    excluded: {
      invalid: collected.invalid,
      unknownUnit: [...collected.unknownUnits.values()].reduce((s, n) => s + n, 0),
    },
    warnings,
  };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Standard competition ranking (1, 2, 2, 4) within each kind; below-minimum units get none. */
function assignRanks(results: UnitResult[]): void {
  for (const kind of UNIT_KINDS) {
    const ranked = results
      .filter((u) => u.kind === kind && u.index !== null && !u.belowMinimum)
      .sort((a, b) => b.index! - a.index!);
    ranked.forEach((u, i) => {
      const before = ranked[i - 1];
      u.rank = before && before.index! - u.index! <= RANK_TIE ? before.rank : i + 1;
    });
  }
}

function groupResult(
  kind: UnitKind,
  units: UnitResult[],
  prevAverage: number | null,
  s: AnalysisSettings,
): GroupResult {
  const measured = units.filter((u) => u.index !== null);
  const bandCounts = { high: 0, mid: 0, low: 0 };
  for (const u of measured) bandCounts[u.band!]++;
  const deltas = units.map((u) => u.delta).filter((d): d is number => d !== null);
  const average = mean(measured.map((u) => u.index));
  return {
    kind,
    units: units.length,
    unitsWithIndex: measured.length,
    belowMinimum: units.filter((u) => u.belowMinimum).length,
    respondents: units.reduce((sum, u) => sum + u.respondents, 0),
    average,
    prevAverage,
    delta: average !== null && prevAverage !== null ? average - prevAverage : null,
    bandCounts,
    rising: deltas.filter((d) => !isUnchanged(d) && d > 0).length,
    falling: deltas.filter((d) => !isUnchanged(d) && d < 0).length,
    unchanged: deltas.filter(isUnchanged).length,
    new: units.filter((u) => u.isNew).length,
    atOrAbove90: bandCounts.high,
    parPoints: average === null ? null : (average * s.parMaxPoints) / 100,
  };
}

function criterionRows(
  q: Questionnaire,
  units: UnitResult[],
  byUnit: Map<string, UnitCollection>,
  kinds: UnitKind[],
): CriterionRow[] {
  const C = q.elements.reduce((s, e) => s + e.criteria.length, 0);
  const pooled = emptyCounts(C);
  for (const col of byUnit.values()) {
    for (let c = 0; c < C; c++) {
      pooled.sat[c] += col.sample.counts.sat[c];
      pooled.ans[c] += col.sample.counts.ans[c];
    }
  }
  const pooledValues = criterionIndexes(pooled);
  let c = 0;
  return q.elements.flatMap((element) =>
    element.criteria.map((criterion): CriterionRow => {
      const values = units.map((u) => u.criteria[criterion.code]);
      return {
        code: criterion.code,
        label: criterion.label,
        element: element.code,
        units: Object.fromEntries(units.map((u, i) => [u.code, values[i]])),
        byKind: Object.fromEntries(kinds.map((k) => [k, mean(values.filter((_, i) => units[i].kind === k))])),
        overall: mean(values),
        pooled: pooledValues[c++],
      };
    }),
  );
}

function trackingTable(
  units: AnalysisUnit[],
  byUnit: Map<string, UnitCollection>,
  tracking: TrackingInput[] | undefined,
  warnings: string[],
): WaveResults['tracking'] {
  const inputs = new Map((tracking ?? []).map((t) => [t.unitCode, t]));
  for (const code of inputs.keys()) {
    if (!byUnit.has(code)) warnings.push(`số liệu theo dõi phiếu của đơn vị "${code}" không có trong đợt khảo sát`);
  }
  const rows = units.map((unit): TrackingRow => {
    const col = byUnit.get(unit.code)!;
    const t = inputs.get(unit.code);
    // Without collection statuses (e.g. responses imported from CSV) the returns are what arrived.
    const paperReturned = t?.paperReturned ?? col.received.paper;
    const qrAnswered = t?.qrAnswered ?? col.received.qr;
    const imported = t?.imported ?? col.received.import;
    const returned = paperReturned + qrAnswered + imported;
    const planned = t?.planned ?? null;
    return {
      unitCode: unit.code,
      unitName: unit.name,
      kind: unit.kind,
      planned,
      drawn: t?.drawn ?? null,
      dispatched: t?.dispatched ?? null,
      undeliverable: t?.undeliverable ?? null,
      refused: t?.refused ?? null,
      paperReturned,
      qrAnswered,
      imported,
      returned,
      valid: t?.valid ?? null,
      counted: col.sample.n,
      returnRate: planned ? (100 * returned) / planned : null,
    };
  });
  const sum = (key: keyof TrackingFigures): number | null =>
    rows.some((r) => r[key] === null) ? null : rows.reduce((s, r) => s + (r[key] as number), 0);
  const planned = sum('planned');
  const returned = sum('returned')!;
  return {
    rows,
    total: {
      planned,
      drawn: sum('drawn'),
      dispatched: sum('dispatched'),
      undeliverable: sum('undeliverable'),
      refused: sum('refused'),
      paperReturned: sum('paperReturned')!,
      qrAnswered: sum('qrAnswered')!,
      imported: sum('imported')!,
      returned,
      valid: sum('valid'),
      counted: sum('counted')!,
      returnRate: planned ? (100 * returned) / planned : null,
    },
  };
}

/**
 * Respondent profile over valid responses only, so that the profile describes the people
 * whose answers make the index.
 */
class ProfileTally {
  private readonly items: { code: string; label: string; multi: boolean; options: { code: string; label: string }[] }[];
  private readonly counts = new Map<string, Map<string | null, Map<UnitKind, number>>>();
  private readonly base = new Map<UnitKind, number>();

  constructor(q: Questionnaire) {
    this.items = q.profile
      .filter((p) => p.kind !== 'text')
      .map((p) => ({ code: p.code, label: p.label, multi: p.kind === 'multi', options: p.options }));
    for (const item of this.items) this.counts.set(item.code, new Map());
  }

  add(r: ResponseRecord, kind: UnitKind): void {
    this.base.set(kind, (this.base.get(kind) ?? 0) + 1);
    for (const item of this.items) {
      const raw = r.profile[item.code];
      const chosen = raw === null || raw === undefined || raw === '' ? [] : Array.isArray(raw) ? raw : [raw];
      const distinct = [...new Set(chosen.filter((c) => c !== ''))];
      const byOption = this.counts.get(item.code)!;
      for (const option of distinct.length > 0 ? distinct : [null]) {
        let byKind = byOption.get(option);
        if (!byKind) byOption.set(option, (byKind = new Map()));
        byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      }
    }
  }

  tables(kinds: UnitKind[]): ProfileTable[] {
    const count = (byKind: Map<UnitKind, number> | undefined): ProfileCount => ({
      overall: kinds.reduce((s, k) => s + (byKind?.get(k) ?? 0), 0),
      byKind: Object.fromEntries(kinds.map((k) => [k, byKind?.get(k) ?? 0])),
    });
    return this.items.map((item) => {
      const byOption = this.counts.get(item.code)!;
      const known = new Set(item.options.map((o) => o.code));
      // Codes not in the questionnaire are shown as they are rather than silently dropped.
      const unknown = [...byOption.keys()].filter((k): k is string => k !== null && !known.has(k)).sort();
      return {
        item: item.code,
        label: item.label,
        multi: item.multi,
        base: count(this.base),
        rows: [
          ...item.options.map((o) => ({ option: o.code, label: o.label, ...count(byOption.get(o.code)) })),
          ...unknown.map((code) => ({ option: code, label: code, ...count(byOption.get(code)) })),
          { option: null, label: 'Không trả lời', ...count(byOption.get(null)) },
        ],
      };
    });
  }
}
