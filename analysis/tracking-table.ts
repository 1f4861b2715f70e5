/** Planned, drawn, returned and counted questionnaires per unit, with the wave's total (SIPAS.md s.11). */
import type { UnitCollection } from './samples.js';
import type { AnalysisUnit, TrackingFigures, TrackingInput, TrackingRow, WaveResults } from './types.js';

export function trackingTable(
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
