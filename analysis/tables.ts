import { toCsv, type Cell, type CellFormat } from './csv.js';
import { formatLimit } from './format.js';
import { TRACKING_DEFINITIONS } from './tracking-table.js';
import { RESPONSE_CHANNELS, type Band, type ResponseChannel, type UnitKind, type UnitResult, type WaveResults } from './types.js';

/**
 * After the s.11 columns, so that readers of those keep working: the delta's own interval, how
 * it was tested (raw | published | untestable, docs/khoang-tin-cay-va-kiem-dinh.md) and whether
 * the index's interval is wider than one band.
 */
const DELTA_COLUMNS = ['delta_ci_low', 'delta_ci_high', 'delta_test', 'ci_too_wide'] as const;

/** SIPAS.md s.11, in this order (A…E are the element codes of the default questionnaire), then DELTA_COLUMNS. */
export const UNIT_TABLE_COLUMNS = [
  'wave',
  'unit_code',
  'unit_name',
  'unit_kind',
  'respondents',
  'index',
  'ci_low',
  'ci_high',
  'prev_index',
  'delta',
  'significant',
  'band',
  'par_points',
  'A',
  'B',
  'C',
  'D',
  'E',
  ...DELTA_COLUMNS,
] as const;

/** The machine-readable columns for these results: equal to UNIT_TABLE_COLUMNS for the default questionnaire. */
export function unitTableColumns(results: WaveResults): string[] {
  return [...UNIT_TABLE_COLUMNS.slice(0, 13), ...results.elements.map((e) => e.code), ...DELTA_COLUMNS];
}

/** Unrounded numbers, '.' decimals; keys as in unitTableColumns. */
export function unitTableRows(results: WaveResults): Record<string, string | number | boolean | null>[] {
  return results.units.map((u) => ({
    wave: results.year,
    unit_code: u.code,
    unit_name: u.name,
    unit_kind: u.kind,
    respondents: u.respondents,
    index: u.index,
    ci_low: u.ciLow,
    ci_high: u.ciHigh,
    prev_index: u.prevIndex,
    delta: u.delta,
    significant: u.significant,
    band: u.band,
    par_points: u.parPoints,
    ...Object.fromEntries(results.elements.map((e) => [e.code, u.elements[e.code] ?? null])),
    delta_ci_low: u.deltaLow,
    delta_ci_high: u.deltaHigh,
    delta_test: u.deltaTest,
    ci_too_wide: u.index === null ? null : u.wideInterval,
  }));
}

/** How the intervals and stars of these results were computed, in one sentence each (shown wherever a star is). */
export function methodNotes(results: WaveResults): { interval: string; deltaTest: string | null; tooWide: string } {
  const { settings, previous } = results;
  const confidence = `${formatLimit(settings.confidence * 100)} %`;
  const band = formatLimit(settings.bandLimits.high - settings.bandLimits.mid);
  const interval =
    `Khoảng tin cậy ${confidence}: Korn–Graubard (Clopper–Pearson trên cỡ mẫu hiệu dụng từ phương sai jackknife, ` +
    'có hiệu chỉnh quần thể hữu hạn khi biết số người đủ điều kiện).';
  const tooWide = `Khoảng tin cậy rộng hơn ${band} điểm % (một mức xếp loại): mức và thứ hạng của đơn vị chưa đủ tin cậy.`;
  if (!previous) return { interval, deltaTest: null, tooWide };
  const deltaTest =
    previous.source === 'raw'
      ? `Dấu * : khoảng tin cậy ${confidence} của mức tăng/giảm (MOVER, từ khoảng tin cậy của năm ${results.year} và năm ${previous.year}, cả hai tính từ phiếu gốc) không chứa 0.`
      : `Dấu * : khoảng tin cậy ${confidence} của mức tăng/giảm (MOVER) không chứa 0; năm ${previous.year} chỉ có chỉ số đã công bố, nên sai số của năm đó được ước từ số phiếu đã công bố với hệ số thiết kế của năm ${results.year}. Đơn vị không có số phiếu năm ${previous.year}: "không kiểm định được", khoảng của mức tăng/giảm chỉ tính sai số năm ${results.year}.`;
  return { interval, deltaTest, tooWide };
}

export const UNTESTABLE = 'không kiểm định được';

function significanceText(u: WaveResults['units'][number]): string | boolean | null {
  return u.deltaTest === 'untestable' ? UNTESTABLE : u.significant;
}

export const KIND_LABELS: Record<UnitKind, { group: string; subject: string; noun: string }> = {
  department: { group: 'Sở, ban, ngành', subject: 'các sở, ban, ngành', noun: 'cơ quan' },
  district: { group: 'UBND cấp huyện', subject: 'UBND các huyện, thị xã, thành phố', noun: 'đơn vị' },
  commune: { group: 'UBND cấp xã', subject: 'UBND các xã, phường, đặc khu', noun: 'đơn vị' },
};

export function bandLabel(band: Band, results: WaveResults): string {
  const high = formatLimit(results.settings.bandLimits.high);
  const mid = formatLimit(results.settings.bandLimits.mid);
  if (band === 'high') return `Từ ${high} % trở lên`;
  if (band === 'mid') return `Từ ${mid} % đến dưới ${high} %`;
  return `Dưới ${mid} %`;
}

export const NEW_UNIT_DELTA = 'mới';

/** The remarks on a unit's row, in every table people read: too few answers to rank, an interval too wide to band. */
export function unitRemarks(u: Pick<UnitResult, 'belowMinimum' | 'wideInterval'>, settings: Pick<WaveResults['settings'], 'minRespondents'>): string | null {
  const remarks = [
    u.belowMinimum ? `Dưới ${settings.minRespondents} phiếu hợp lệ, không xếp hạng` : null,
    u.wideInterval ? 'Khoảng tin cậy rộng hơn một mức: mức và thứ hạng chưa đủ tin cậy' : null,
  ];
  return remarks.filter(Boolean).join('; ') || null;
}

export interface PersonTable {
  /** Sheet name (Vietnamese, at most 31 characters for Excel). */
  name: string;
  columns: string[];
  /** Per column: how numbers are shown in CSV and formatted in XLSX. */
  formats: CellFormat[];
  rows: Cell[][];
}

interface Column<T> {
  header: string;
  format: CellFormat;
  value: (row: T) => Cell;
}

function table<T>(name: string, columns: Column<T>[], rows: T[]): PersonTable {
  return {
    name,
    columns: columns.map((c) => c.header),
    formats: columns.map((c) => c.format),
    rows: rows.map((r) => columns.map((c) => c.value(r))),
  };
}

/** The five person-readable SIPAS tables of SIPAS.md s.11, headed in Vietnamese. */
export function personTables(results: WaveResults): PersonTable[] {
  const { settings } = results;
  const prevYear = results.previous ? `năm ${results.previous.year}` : 'năm trước';
  const confidence = `${Math.round(settings.confidence * 100)} %`;
  const points = `Điểm CCHC (/${formatLimit(settings.parMaxPoints)})`;
  const kinds = results.groups.map((g) => g.kind);

  const units = table(
    'Chỉ số theo đơn vị',
    [
      { header: 'Mã đơn vị', format: 'text', value: (u) => u.code },
      { header: 'Tên đơn vị', format: 'text', value: (u) => u.name },
      { header: 'Nhóm đơn vị', format: 'text', value: (u) => KIND_LABELS[u.kind].group },
      { header: 'Số phiếu hợp lệ', format: 'integer', value: (u) => u.respondents },
      { header: 'Chỉ số hài lòng', format: 'percent', value: (u) => u.index },
      { header: `Khoảng tin cậy ${confidence}: cận dưới`, format: 'percent', value: (u) => u.ciLow },
      { header: `Khoảng tin cậy ${confidence}: cận trên`, format: 'percent', value: (u) => u.ciHigh },
      { header: `Chỉ số ${prevYear}`, format: 'percent', value: (u) => u.prevIndex },
      { header: 'Tăng/giảm (điểm %)', format: 'number', value: (u) => (u.isNew ? NEW_UNIT_DELTA : u.delta) },
      { header: `Tăng/giảm: khoảng tin cậy ${confidence}, cận dưới`, format: 'number', value: (u) => u.deltaLow },
      { header: `Tăng/giảm: khoảng tin cậy ${confidence}, cận trên`, format: 'number', value: (u) => u.deltaHigh },
      { header: 'Thay đổi có ý nghĩa thống kê', format: 'text', value: significanceText },
      { header: 'Mức', format: 'text', value: (u) => (u.band ? bandLabel(u.band, results) : null) },
      { header: 'Xếp hạng trong nhóm', format: 'integer', value: (u) => u.rank },
      { header: points, format: 'number', value: (u) => u.parPoints },
      ...results.elements.map(
        (e): Column<(typeof results.units)[number]> => ({
          header: `${e.code}. ${e.label}`,
          format: 'percent',
          value: (u) => u.elements[e.code] ?? null,
        }),
      ),
      { header: 'Ghi chú', format: 'text', value: (u) => unitRemarks(u, settings) },
    ],
    results.units,
  );

  const groups = table(
    'Theo nhóm đơn vị',
    [
      { header: 'Nhóm đơn vị', format: 'text', value: (g) => KIND_LABELS[g.kind].group },
      { header: 'Số đơn vị', format: 'integer', value: (g) => g.units },
      { header: 'Số phiếu hợp lệ', format: 'integer', value: (g) => g.respondents },
      { header: 'Bình quân Chỉ số hài lòng', format: 'percent', value: (g) => g.average },
      { header: `Bình quân ${prevYear}`, format: 'percent', value: (g) => g.prevAverage },
      { header: 'Tăng/giảm (điểm %)', format: 'number', value: (g) => g.delta },
      { header: bandLabel('high', results), format: 'integer', value: (g) => g.bandCounts.high },
      { header: bandLabel('mid', results), format: 'integer', value: (g) => g.bandCounts.mid },
      { header: bandLabel('low', results), format: 'integer', value: (g) => g.bandCounts.low },
      { header: 'Số đơn vị tăng', format: 'integer', value: (g) => g.rising },
      { header: 'Số đơn vị giảm', format: 'integer', value: (g) => g.falling },
      { header: 'Số đơn vị không đổi', format: 'integer', value: (g) => g.unchanged },
      { header: 'Số đơn vị mới', format: 'integer', value: (g) => g.new },
      { header: points, format: 'number', value: (g) => g.parPoints },
    ],
    results.groups,
  );

  const criteria = table(
    'Theo tiêu chí',
    [
      { header: 'Mã tiêu chí', format: 'text', value: (c) => c.code },
      { header: 'Yếu tố', format: 'text', value: (c) => c.element },
      { header: 'Nội dung tiêu chí', format: 'text', value: (c) => c.label },
      { header: 'Bình quân các đơn vị', format: 'percent', value: (c) => c.overall },
      ...kinds.map(
        (k): Column<(typeof results.criteria)[number]> => ({
          header: `Bình quân ${KIND_LABELS[k].group}`,
          format: 'percent',
          value: (c) => c.byKind[k] ?? null,
        }),
      ),
      { header: 'Gộp tất cả phiếu', format: 'percent', value: (c) => c.pooled },
      ...results.units.map(
        (u): Column<(typeof results.criteria)[number]> => ({
          header: `${u.code} – ${u.name}`,
          format: 'percent',
          value: (c) => c.units[u.code] ?? null,
        }),
      ),
    ],
    results.criteria,
  );

  type TrackingLike = Omit<(typeof results.tracking.rows)[number], 'unitCode' | 'unitName' | 'kind'> & {
    unitCode: string | null;
    unitName: string;
  };
  const trackingRows: TrackingLike[] = [
    ...results.tracking.rows,
    { ...results.tracking.total, unitCode: null, unitName: 'Tổng cộng' },
  ];
  // Each rate's header carries its definition, so the file read alone says what the number is.
  const defined = (d: { label: string; text: string }) => `${d.label}: ${d.text}`;
  const tracking = table<TrackingLike>(
    'Theo dõi phiếu',
    [
      { header: 'Mã đơn vị', format: 'text', value: (t) => t.unitCode },
      { header: 'Tên đơn vị', format: 'text', value: (t) => t.unitName },
      { header: 'Kế hoạch (lần bốc mẫu)', format: 'integer', value: (t) => t.planned },
      { header: 'Thiếu do khung mẫu', format: 'integer', value: (t) => t.shortfall },
      { header: 'Số mẫu đã chọn (chính + dự phòng)', format: 'integer', value: (t) => t.drawn },
      { header: 'Đã phát hành', format: 'integer', value: (t) => t.released },
      { header: 'Đã phát', format: 'integer', value: (t) => t.dispatched },
      { header: 'Không phát được', format: 'integer', value: (t) => t.undeliverable },
      { header: 'Từ chối', format: 'integer', value: (t) => t.refused },
      { header: 'Phiếu giấy thu về', format: 'integer', value: (t) => t.paperReturned },
      { header: 'Trả lời qua mã QR', format: 'integer', value: (t) => t.qrAnswered },
      { header: 'Phiếu có trả lời (mỗi phiếu một lần)', format: 'integer', value: (t) => t.returned },
      { header: 'Phiếu hợp lệ từ danh sách', format: 'integer', value: (t) => t.valid },
      { header: 'Suất kế hoạch có phiếu hợp lệ', format: 'integer', value: (t) => t.filled },
      { header: defined(TRACKING_DEFINITIONS.plan), format: 'percent', value: (t) => t.rates.plan },
      { header: defined(TRACKING_DEFINITIONS.response), format: 'percent', value: (t) => t.rates.response },
      { header: defined(TRACKING_DEFINITIONS.contact), format: 'percent', value: (t) => t.rates.contact },
      { header: defined(TRACKING_DEFINITIONS.refusal), format: 'percent', value: (t) => t.rates.refusal },
      { header: `${TRACKING_DEFINITIONS.outside.label}: câu trả lời nhập không có mã phiếu`, format: 'integer', value: (t) => t.imported },
      { header: `${TRACKING_DEFINITIONS.outside.label}: hợp lệ, tính vào chỉ số, không vào tỷ lệ`, format: 'integer', value: (t) => t.importedValid },
      { header: 'Phiếu tính chỉ số (trong và ngoài danh sách)', format: 'integer', value: (t) => t.counted },
    ],
    trackingRows,
  );

  const share = (count: number, base: number) => (base > 0 ? (100 * count) / base : null);
  const profileRows = results.profile.flatMap((p) =>
    p.rows.map((r) => [
      p.label + (p.multi ? ' (nhiều lựa chọn)' : ''),
      r.label,
      r.overall,
      share(r.overall, p.base.overall),
      ...kinds.flatMap((k) => [r.byKind[k] ?? 0, share(r.byKind[k] ?? 0, p.base.byKind[k] ?? 0)]),
    ]),
  );
  const profile: PersonTable = {
    name: 'Thông tin người trả lời',
    columns: [
      'Câu hỏi',
      'Lựa chọn',
      'Tất cả: số phiếu',
      'Tất cả: tỷ lệ',
      ...kinds.flatMap((k) => [`${KIND_LABELS[k].group}: số phiếu`, `${KIND_LABELS[k].group}: tỷ lệ`]),
    ],
    formats: ['text', 'text', 'integer', 'percent', ...kinds.flatMap((): CellFormat[] => ['integer', 'percent'])],
    rows: profileRows,
  };

  return [units, groups, criteria, tracking, profile];
}

/** A person-readable table as CSV that Excel opens with Vietnamese intact (UTF-8 with BOM). */
export function personTableCsv(t: PersonTable): string {
  return toCsv(t.rows, t.columns, { bom: true, formats: t.formats });
}

const CHANNEL_LABELS: Record<ResponseChannel, string> = { paper: 'Phiếu giấy', qr: 'Qua mã QR', import: 'Nhập từ tệp' };

/** Unit index by response channel (paper vs QR), to see whether the channel shifts answers. */
export function channelTable(results: WaveResults): PersonTable {
  const channels = RESPONSE_CHANNELS.filter((ch) => results.byChannel.some((u) => u.channels[ch].respondents > 0));
  return {
    name: 'Theo kênh trả lời',
    columns: [
      'Mã đơn vị',
      'Tên đơn vị',
      ...channels.flatMap((ch) => [`${CHANNEL_LABELS[ch]}: số phiếu`, `${CHANNEL_LABELS[ch]}: chỉ số`]),
    ],
    formats: ['text', 'text', ...channels.flatMap((): CellFormat[] => ['integer', 'percent'])],
    rows: results.byChannel.map((u) => [
      u.unitCode,
      u.unitName,
      ...channels.flatMap((ch) => [u.channels[ch].respondents, u.channels[ch].index]),
    ]),
  };
}
