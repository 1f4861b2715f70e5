/**
 * Planned, drawn, returned and counted questionnaires per unit, with the wave's total and the
 * rates (SIPAS.md s.11, table 4). A case, as in AAPOR's definitions, is a released questionnaire
 * of the drawn list; every numerator counts a subset of the cases (or of the planned places),
 * so no rate passes 100 %. Rows from outside the drawn list are counted apart and enter no rate.
 */
import type { UnitCollection } from './samples.js';
import type { AnalysisUnit, TrackingFigures, TrackingInput, TrackingRates, TrackingRow, WaveResults } from './types.js';

/**
 * The definitions shown next to the rates, on the tracking page, in the tables (CSV, XLSX) and
 * in the report: one text, so a definition cannot drift from the number it describes.
 */
export const TRACKING_DEFINITIONS = {
  plan: {
    label: 'Tỷ lệ đạt kế hoạch',
    text: 'số suất kế hoạch đã có phiếu hợp lệ (phiếu chính, hoặc phiếu dự phòng đã thay nó) ÷ số phiếu kế hoạch của lần bốc mẫu. Phần kế hoạch mà khung mẫu không đủ người để bốc vẫn nằm trong mẫu số và được ghi riêng ở cột "Thiếu do khung mẫu".',
  },
  response: {
    label: 'Tỷ lệ phản hồi RR1 (AAPOR)',
    text: 'số phiếu đã phát hành có câu trả lời hợp lệ được tính vào chỉ số ÷ số phiếu đã phát hành (phiếu chính và phiếu dự phòng đã thay người); thư không phát được và người từ chối vẫn ở mẫu số.',
  },
  contact: {
    label: 'Tỷ lệ tiếp xúc CON1 (AAPOR)',
    text: '(số phiếu đã phát hành có trả lời, giấy hoặc QR, hợp lệ hay không, mỗi phiếu một lần + số phiếu từ chối không trả lời) ÷ số phiếu đã phát hành.',
  },
  refusal: {
    label: 'Tỷ lệ từ chối REF1 (AAPOR)',
    text: 'số phiếu từ chối không trả lời ÷ số phiếu đã phát hành.',
  },
  outside: {
    label: 'Ngoài danh sách',
    text: 'câu trả lời nhập từ tệp chỉ ghi đơn vị, không có mã phiếu của danh sách đã bốc: được tính vào chỉ số khi hợp lệ, nhưng không vào tỷ lệ nào, vì không thuộc mẫu đã bốc.',
  },
} as const;

type RateBase = { [K in 'planned' | 'released' | 'filled' | 'valid' | 'returned' | 'refusals']: number | null };

export function trackingRates(c: RateBase): TrackingRates {
  const rate = (numerator: number | null, base: number | null) => (numerator !== null && base ? (100 * numerator) / base : null);
  return {
    plan: rate(c.filled, c.planned),
    response: rate(c.valid, c.released),
    contact: rate(c.returned === null || c.refusals === null ? null : c.returned + c.refusals, c.released),
    refusal: rate(c.refusals, c.released),
  };
}

type Counts = Omit<TrackingFigures, 'rates'>;

const COUNT_KEYS = [
  'planned', 'shortfall', 'drawn', 'released', 'dispatched', 'undeliverable', 'refused', 'paperReturned', 'qrAnswered',
  'returned', 'refusals', 'valid', 'filled', 'imported', 'importedValid', 'counted',
] as const satisfies readonly (keyof Counts)[];

function countsOf(t: TrackingInput | undefined, col: UnitCollection): Counts {
  const counted = col.sample.n;
  if (!t) {
    // No published draw (answers imported from another tool): only what arrived is known.
    const none = { planned: null, shortfall: null, drawn: null, released: null, dispatched: null, undeliverable: null, refused: null, refusals: null, valid: null, filled: null, importedValid: null };
    return { ...none, paperReturned: col.received.paper, qrAnswered: col.received.qr, returned: col.received.paper + col.received.qr, imported: col.received.import, counted };
  }
  return {
    planned: t.planned,
    shortfall: t.shortfall,
    drawn: t.drawn,
    released: t.released,
    dispatched: t.dispatched,
    undeliverable: t.undeliverable,
    refused: t.refused,
    paperReturned: t.paperReturned,
    qrAnswered: t.qrAnswered,
    returned: t.responded,
    refusals: t.refusals,
    valid: t.valid,
    filled: t.filled,
    imported: t.imported,
    importedValid: t.importedValid,
    counted,
  };
}

const withRates = (c: Counts): TrackingFigures => ({ ...c, rates: trackingRates(c) });

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
  const counts = units.map((unit) => ({ unit, counts: countsOf(inputs.get(unit.code), byUnit.get(unit.code)!) }));
  const rows = counts.map(({ unit, counts: c }): TrackingRow => ({ unitCode: unit.code, unitName: unit.name, kind: unit.kind, ...withRates(c) }));
  // A figure of the total is unknown when it is unknown for any unit.
  const total = Object.fromEntries(
    COUNT_KEYS.map((key) => [key, counts.some((r) => r.counts[key] === null) ? null : counts.reduce((s, r) => s + (r.counts[key] as number), 0)]),
  ) as Counts;
  return { rows, total: withRates(total) };
}
