/**
 * What the results dashboard shows, worked out from the wave's results and the page address
 * (?sort=…&dir=…&kind=…): which groups, units in which order, every cell's text, every link.
 * The page components only lay it out.
 */
import { formatLimit, formatNumber, formatPercent } from '../../analysis/format';
import { summarySentence } from '../../analysis/report-html';
import { bandLabel, KIND_LABELS, methodNotes, NEW_UNIT_DELTA, UNTESTABLE } from '../../analysis/tables';
import type { Band, GroupResult, UnitKind, UnitResult, WaveResults } from '../../analysis/types';
import { unitSearch } from '../../analysis/unit-search';
import { listHref, type ListView } from '../pager';
import { NO_DATA_LABEL, type BoundaryReport, type NamedCode, type WaveMap } from '../../analysis/wave-map';

/** Sortable columns of the unit table; element codes (A…E) are sortable too. */
export const SORT_KEYS = ['code', 'name', 'respondents', 'index', 'prev', 'delta', 'rank', 'points'] as const;

export interface AnalysisView {
  sort: string | null;
  dir: 'asc' | 'desc';
  kind: UnitKind | null;
  /** A unit's name or code as searched (?q=), when there is one. */
  q?: string;
}

/**
 * Reads ?sort=…&dir=…&kind=… leniently: an unknown value falls back to the default view. The
 * search comes already read (server/forms/list-query.ts), as on the other staff lists.
 */
export function parseAnalysisView(query: Record<string, string | undefined>, results: WaveResults, search = ''): AnalysisView {
  const keys = new Set<string>([...SORT_KEYS, ...results.elements.map((e) => e.code)]);
  const sort = query.sort && keys.has(query.sort) ? query.sort : null;
  const kind = results.groups.some((g) => g.kind === query.kind) ? (query.kind as UnitKind) : null;
  return { sort, dir: query.dir === 'desc' ? 'desc' : 'asc', kind, ...(search ? { q: search } : {}) };
}

function sortValue(u: UnitResult, key: string): string | number | null {
  switch (key) {
    case 'code':
      return u.code;
    case 'name':
      return u.name;
    case 'respondents':
      return u.respondents;
    case 'index':
      return u.index;
    case 'prev':
      return u.prevIndex;
    case 'delta':
      return u.delta;
    case 'rank':
      return u.rank;
    case 'points':
      return u.parPoints;
    default:
      return u.elements[key] ?? null;
  }
}

/** Missing values go last in both directions: a unit without an index is never "best" or "worst". */
export function sortUnits(units: UnitResult[], view: AnalysisView): UnitResult[] {
  if (!view.sort) return units;
  const key = view.sort;
  const sign = view.dir === 'desc' ? -1 : 1;
  return [...units].sort((a, b) => {
    const x = sortValue(a, key);
    const y = sortValue(b, key);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order = typeof x === 'string' ? x.localeCompare(String(y), 'vi') : x - (y as number);
    return sign * order || a.code.localeCompare(b.code);
  });
}

/** The page's own address with part of the view changed (relative, so it works behind any prefix). */
export function viewQuery(view: AnalysisView, change: Partial<AnalysisView>): string {
  const next = { ...view, ...change };
  const params = new URLSearchParams();
  if (next.kind) params.set('kind', next.kind);
  if (next.q) params.set('q', next.q);
  if (next.sort) params.set('sort', next.sort);
  if (next.sort && next.dir === 'desc') params.set('dir', 'desc');
  const text = params.toString();
  return text ? `?${text}` : '?';
}

const percent = (x: number | null) => (x === null ? '–' : formatPercent(x));
const number = (x: number | null) => (x === null ? '–' : formatNumber(x));
const signed = (x: number) => (x > 0 && formatNumber(x) !== '0,00' ? '+' : '') + formatNumber(x);

const BAND_SHORT: Record<Band, (high: string, mid: string) => string> = {
  high: (high) => `≥ ${high} %`,
  mid: (high, mid) => `${mid} – < ${high} %`,
  low: (_high, mid) => `< ${mid} %`,
};

/** A column header; with `href` it sorts the table. */
export interface HeaderCell {
  label: string;
  numeric: boolean;
  title?: string;
  href?: string;
  ariaSort?: 'ascending' | 'descending';
}

function sortHeader(view: AnalysisView, label: string, sortKey: string, numeric = false, title?: string): HeaderCell {
  const active = view.sort === sortKey;
  // Numbers are most often read best-first, names A to Z.
  const firstDir = numeric && sortKey !== 'rank' ? 'desc' : 'asc';
  const dir = active ? (view.dir === 'asc' ? 'desc' : 'asc') : firstDir;
  return {
    label: label + (active ? (view.dir === 'asc' ? ' ▲' : ' ▼') : ''),
    numeric,
    ...(title ? { title } : {}),
    href: viewQuery(view, { sort: sortKey, dir }),
    ...(active ? { ariaSort: view.dir === 'asc' ? 'ascending' : 'descending' } : {}),
  };
}

export interface UnitRow {
  code: string;
  name: string;
  /** "(dưới 10 phiếu)": not ranked. */
  belowMinimum: string | null;
  respondents: number;
  index: string;
  /** Confidence interval, under the index. */
  ci: string | null;
  /** Last year's index and the change; null when there is no previous year. */
  prev: string | null;
  delta: string | null;
  /** The delta's own interval, under the delta. */
  deltaCi: string | null;
  significant: boolean;
  /** "không kiểm định được" when last year's published index has no respondent count. */
  untestable: string | null;
  /** The index's interval is wider than one band: band and rank not reliable. */
  wideInterval: boolean;
  band: Band | null;
  bandLabel: string;
  rank: string;
  points: string;
  elements: string[];
}

export interface UnitTable {
  heading: string;
  headers: HeaderCell[];
  rows: UnitRow[];
}

export interface GroupSummary {
  kind: UnitKind;
  heading: string;
  figures: { label: string; value: string; big?: boolean }[];
  sentence: string;
}

export interface AnalysisPageModel {
  title: string;
  heading: string;
  /** What was counted and what it is compared with. */
  intro: string;
  /** Notes about the data for the analyst. */
  warnings: string[];
  kindLinks: { label: string; href: string; current: boolean }[];
  groups: GroupSummary[];
  tableNote: string;
  /** "Dưới 10 phiếu hợp lệ: không xếp hạng", the title of the below-minimum mark. */
  belowMinimumTitle: string;
  /** How the star was decided (its title), and the rule of the wide-interval mark (its title). */
  starTitle: string;
  wideTitle: string;
  /** The search form: what was typed, and the view it keeps (group, sort). */
  search: { q: string; action: string; keep: { name: string; value: string }[]; label: string; clearHref: string };
  /** The unit tables' page among the units matching the group and search. */
  list: ListView;
  /** The units of this page, in one table per group present on it. */
  unitTables: UnitTable[];
  downloads: { href: string; label: string }[];
  /** The form replacing last year's published indexes; null for roles that may not import. */
  previousImport: { heading: string; status: string; action: string } | null;
}

const DOWNLOADS = [
  ['report.html', 'Báo cáo in được (HTML)'],
  ['tables.xlsx', 'Tất cả các bảng (Excel XLSX)'],
  ['units-vi.csv', 'Tải bảng đơn vị (CSV tiếng Việt, mở bằng Excel)'],
  ['units.csv', 'Bảng đơn vị, dạng máy đọc (CSV)'],
  ['units.json', 'Bảng đơn vị (JSON)'],
  ['groups.csv', 'Theo nhóm đơn vị (CSV)'],
  ['criteria.csv', 'Theo tiêu chí (CSV)'],
  ['tracking.csv', 'Theo dõi phiếu (CSV)'],
  ['profile.csv', 'Thông tin người trả lời (CSV)'],
] as const;

function groupSummary(group: GroupResult, results: WaveResults): GroupSummary {
  const { settings, previous } = results;
  const high = formatLimit(settings.bandLimits.high);
  const mid = formatLimit(settings.bandLimits.mid);
  const figures: GroupSummary['figures'] = [{ label: 'Bình quân', value: percent(group.average), big: true }];
  if (previous) {
    figures.push(
      { label: `Năm ${previous.year}`, value: percent(group.prevAverage) },
      { label: 'Tăng/giảm', value: group.delta === null ? '–' : `${signed(group.delta)} điểm %` },
    );
  }
  figures.push(
    { label: `Từ ${high} % trở lên`, value: String(group.atOrAbove90) },
    { label: `${mid} – dưới ${high} %`, value: String(group.bandCounts.mid) },
    { label: `Dưới ${mid} %`, value: String(group.bandCounts.low) },
  );
  if (previous) {
    figures.push({ label: 'Tăng / giảm / không đổi / mới', value: `${group.rising} / ${group.falling} / ${group.unchanged} / ${group.new}` });
  }
  figures.push({ label: `Điểm CCHC (/${formatLimit(settings.parMaxPoints)})`, value: number(group.parPoints) });
  return {
    kind: group.kind,
    heading: `${KIND_LABELS[group.kind].group} (${group.units} đơn vị, ${group.respondents} phiếu hợp lệ)`,
    figures,
    sentence: summarySentence(group, results),
  };
}

function unitHeaders(results: WaveResults, view: AnalysisView): HeaderCell[] {
  const { settings, previous, elements } = results;
  const confidence = `${formatLimit(settings.confidence * 100)} %`;
  return [
    sortHeader(view, 'Mã', 'code'),
    sortHeader(view, 'Tên đơn vị', 'name'),
    sortHeader(view, 'Số phiếu', 'respondents', true, 'Số phiếu hợp lệ'),
    sortHeader(view, 'Chỉ số', 'index', true, `Chỉ số hài lòng và khoảng tin cậy ${confidence}`),
    ...(previous
      ? [sortHeader(view, `Năm ${previous.year}`, 'prev', true), sortHeader(view, 'Tăng/giảm', 'delta', true, 'Điểm phần trăm')]
      : []),
    { label: 'Mức', numeric: false },
    sortHeader(view, 'Hạng', 'rank', true, 'Xếp hạng trong nhóm'),
    sortHeader(view, 'Điểm CCHC', 'points', true),
    ...elements.map((e) => sortHeader(view, e.code, e.code, true, `Yếu tố ${e.code}. ${e.label}`)),
  ];
}

function unitRow(u: UnitResult, results: WaveResults): UnitRow {
  const { settings, previous, elements } = results;
  const high = formatLimit(settings.bandLimits.high);
  const mid = formatLimit(settings.bandLimits.mid);
  return {
    code: u.code,
    name: u.name,
    belowMinimum: u.belowMinimum ? `(dưới ${settings.minRespondents} phiếu)` : null,
    respondents: u.respondents,
    index: percent(u.index),
    ci: u.ciLow !== null && u.ciHigh !== null ? `${formatNumber(u.ciLow)} – ${formatNumber(u.ciHigh)}` : null,
    prev: previous ? percent(u.prevIndex) : null,
    delta: previous ? (u.isNew ? NEW_UNIT_DELTA : u.delta === null ? '–' : signed(u.delta)) : null,
    deltaCi: u.deltaLow !== null && u.deltaHigh !== null ? `${signed(u.deltaLow)} – ${signed(u.deltaHigh)}` : null,
    significant: previous !== null && u.significant === true,
    untestable: u.deltaTest === 'untestable' ? UNTESTABLE : null,
    wideInterval: u.wideInterval,
    band: u.band,
    bandLabel: u.band ? BAND_SHORT[u.band](high, mid) : '–',
    rank: u.rank === null ? '–' : String(u.rank),
    points: number(u.parPoints),
    elements: elements.map((e) => number(u.elements[e.code] ?? null)),
  };
}

function intro(results: WaveResults): string {
  const { previous, tracking, excluded } = results;
  const counted =
    tracking.total.counted === 0 ? 'Chưa có phiếu trả lời nào được tính chỉ số' : `${tracking.total.counted} phiếu hợp lệ được tính chỉ số`;
  const invalid = excluded.invalid > 0 ? `; ${excluded.invalid} phiếu không hợp lệ (không tính)` : '';
  const comparison = previous
    ? previous.source === 'raw'
      ? `So sánh với năm ${previous.year} từ phiếu gốc trong hệ thống.`
      : `So sánh với năm ${previous.year} theo chỉ số đã công bố (nhập từ tệp).`
    : 'Chưa có số liệu năm trước để so sánh.';
  return `${counted}${invalid}. ${comparison}`;
}

/**
 * Unit rows on one page of the dashboard: a merged province's 115 units (13 departments, 102
 * communes) make three pages, each printable and quick to scan; the downloads keep every unit.
 */
export const UNIT_PAGE_SIZE = 50;

export function analysisPageModel(input: {
  wave: { year: number; name: string };
  results: WaveResults;
  /** The page address's query (?sort, ?dir, ?kind). */
  query: Record<string, string | undefined>;
  /** ?q= and ?page= as read by server/forms/list-query.ts. */
  list?: { q: string; page: number };
  /** Whether the person may replace last year's published indexes. */
  canImport: boolean;
  /** Rows of last year's published indexes already imported. */
  publishedRows: number;
}): AnalysisPageModel {
  const { wave, results, canImport, publishedRows } = input;
  const { previous, settings } = results;
  const search = input.list?.q ?? '';
  const view = parseAnalysisView(input.query, results, search);
  const groups = results.groups.filter((g) => !view.kind || g.kind === view.kind);
  const base = `/waves/${wave.year}/analysis`;
  // Group by group as the sections show them, each sorted as asked; then cut into pages.
  const matches = unitSearch(search);
  const matching = groups.flatMap((g) =>
    sortUnits(
      results.units.filter((u) => u.kind === g.kind && (!matches || matches(u))),
      view,
    ),
  );
  const pageCount = Math.max(1, Math.ceil(matching.length / UNIT_PAGE_SIZE));
  const page = Math.min(Math.max(1, input.list?.page ?? 1), pageCount);
  const shown = matching.slice((page - 1) * UNIT_PAGE_SIZE, page * UNIT_PAGE_SIZE);
  const keep = [
    ...(view.kind ? [{ name: 'kind', value: view.kind }] : []),
    ...(view.sort ? [{ name: 'sort', value: view.sort }] : []),
    ...(view.sort && view.dir === 'desc' ? [{ name: 'dir', value: 'desc' }] : []),
  ];
  const list: ListView = {
    base,
    anchor: 'don-vi',
    q: search,
    unit: '',
    page,
    pageCount,
    total: matching.length,
    params: Object.fromEntries(keep.map((k) => [k.name, k.value])),
  };
  const anyBelowMinimum = results.units.some((u) => u.belowMinimum);
  const headers = unitHeaders(results, view);
  const notes = methodNotes(results);
  return {
    title: `Kết quả ${wave.name} — SIPAS`,
    heading: `Kết quả Chỉ số hài lòng năm ${wave.year}`,
    intro: intro(results),
    warnings: results.warnings,
    kindLinks: [
      { label: 'Tất cả', href: viewQuery(view, { kind: null }), current: view.kind === null },
      ...results.groups.map((g) => ({ label: KIND_LABELS[g.kind].group, href: viewQuery(view, { kind: g.kind }), current: view.kind === g.kind })),
    ],
    groups: groups.map((g) => groupSummary(g, results)),
    tableNote:
      `Bấm vào tiêu đề cột để sắp xếp. Dưới chỉ số là khoảng tin cậy ${formatLimit(settings.confidence * 100)} %` +
      (previous ? ', dưới mức tăng/giảm là khoảng tin cậy của nó.' : '.') +
      ` ${notes.interval} Dấu ≈ : ${notes.tooWide}` +
      (previous ? ` ${notes.deltaTest} "mới": đơn vị không có số liệu năm trước.` : '') +
      (anyBelowMinimum ? ` Đơn vị có dưới ${settings.minRespondents} phiếu hợp lệ được đánh dấu và không xếp hạng.` : ''),
    belowMinimumTitle: `Dưới ${settings.minRespondents} phiếu hợp lệ: không xếp hạng`,
    starTitle: notes.deltaTest ?? '',
    wideTitle: notes.tooWide,
    search: { q: search, action: base, keep, label: 'Tìm đơn vị (tên hoặc mã)', clearHref: listHref({ ...list, q: '' }, 1) },
    list,
    unitTables: groups
      .map((g) => ({
        heading: KIND_LABELS[g.kind].group,
        headers,
        rows: shown.filter((u) => u.kind === g.kind).map((u) => unitRow(u, results)),
      }))
      .filter((t) => t.rows.length > 0),
    downloads: DOWNLOADS.map(([file, label]) => ({ href: `${base}/${file}`, label })),
    previousImport: canImport
      ? {
          heading: `Chỉ số đã công bố năm ${wave.year - 1}`,
          status:
            (publishedRows > 0 ? `Đã nhập ${publishedRows} đơn vị.` : 'Chưa nhập.') +
            ` Dùng khi hệ thống không có phiếu gốc của năm ${wave.year - 1}; tệp mới thay toàn bộ bảng cũ.`,
          action: `${base}/previous`,
        }
      : null,
  };
}

/** One commune (district) beside the map: the same name and index as its outline's title. */
export interface MapRow {
  code: string;
  name: string;
  index: string;
  band: Band | null;
  bandLabel: string;
}

/** The map of the wave's communes (districts): an SVG drawn by the server, and the same figures as a list. */
export interface MapSection {
  heading: string;
  /** Trusted SVG text (built and escaped by analysis/commune-map.ts). */
  svg: string;
  listHeading: string;
  rows: MapRow[];
  /** "Chưa có ranh giới trên bản đồ: …", or null when every unit has its outline. */
  withoutShape: string | null;
}

/** The last boundary import as the upload form reports it (BoundaryReport plus the file's record). */
export interface BoundaryImportInput extends BoundaryReport {
  fileName: string;
  importedAt: string;
  importedBy: string | null;
}

/** The upload form "Ranh giới xã, phường (GeoJSON)" with what the last import left undrawn. */
export interface BoundariesPanel {
  heading: string;
  action: string;
  /** "Chưa nhập." or which file, when and by whom, and how many outlines. */
  status: string;
  /** Each finding of the last import with the names to fix; empty when everything was drawn. */
  findings: { label: string; items: string[] }[];
}

const named = (u: NamedCode) => `${u.name} (${u.code})`;

/** The map section of the dashboard; null when the wave has no map (no boundaries, or none matching). */
export function mapSection(map: WaveMap | null, results: WaveResults): MapSection | null {
  if (!map) return null;
  return {
    heading: `Bản đồ ${KIND_LABELS[map.kind].subject}`,
    svg: map.svg,
    listHeading: map.kind === 'commune' ? 'Xã, phường trên bản đồ' : 'Huyện, thị xã, thành phố trên bản đồ',
    rows: map.units.map((u) => ({
      code: u.code,
      name: u.name,
      index: percent(u.index),
      band: u.band,
      bandLabel: u.band ? bandLabel(u.band, results) : NO_DATA_LABEL,
    })),
    withoutShape: map.unitsWithoutShape.length > 0 ? `Chưa có ranh giới trên bản đồ (${map.unitsWithoutShape.length}): ${map.unitsWithoutShape.map(named).join(', ')}.` : null,
  };
}

/** The upload form for administrators, with the last import's findings; `formatDate` renders its time. */
export function boundariesPanel(year: number, last: BoundaryImportInput | null, formatDate: (iso: string) => string): BoundariesPanel {
  const base = { heading: 'Ranh giới xã, phường (GeoJSON)', action: `/waves/${year}/analysis/boundaries` };
  const replaces = 'Tệp GeoJSON (FeatureCollection, mỗi xã, phường một vùng có properties.code là mã đơn vị); tệp mới thay tệp cũ.';
  if (!last) return { ...base, status: `Chưa nhập. ${replaces}`, findings: [] };
  const by = last.importedBy ? ` bởi ${last.importedBy}` : '';
  const findings: BoundariesPanel['findings'] = [];
  if (last.problems.length > 0) findings.push({ label: `Vùng bị bỏ qua (${last.problems.length})`, items: last.problems });
  if (last.shapesWithoutUnit.length > 0) {
    findings.push({ label: `Vùng không khớp đơn vị nào của đợt (${last.shapesWithoutUnit.length}), không vẽ`, items: last.shapesWithoutUnit.map(named) });
  }
  if (last.unitsWithoutShape.length > 0) {
    findings.push({ label: `Đơn vị chưa có ranh giới (${last.unitsWithoutShape.length})`, items: last.unitsWithoutShape.map(named) });
  }
  return {
    ...base,
    status: `Tệp ${last.fileName}, nhập lúc ${formatDate(last.importedAt)}${by}: ${last.shapesRead} vùng đọc được. ${replaces}`,
    findings,
  };
}
