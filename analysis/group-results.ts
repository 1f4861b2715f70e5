/** Figures over several units: each kind's summary and each criterion's row (SIPAS.md s.11). */
import type { Questionnaire } from './questionnaire.js';
import type { UnitCollection } from './samples.js';
import { criterionIndexes, emptyCounts, mean } from './scoring.js';
import type { AnalysisSettings, CriterionRow, GroupResult, UnitKind, UnitResult } from './types.js';
import { isUnchanged } from './uncertainty.js';

export function groupResult(
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

export function criterionRows(
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
