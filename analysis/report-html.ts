import { formatCell, type Cell } from './csv.js';
import { formatLimit, formatNumber, formatPercent, padCount } from './format.js';
import { BAND_COLOURS, type UnitShape } from './commune-map.js';
import { bandLabel, channelTable, KIND_LABELS, methodNotes, NEW_UNIT_DELTA, personTables, type PersonTable } from './tables.js';
import { TRACKING_DEFINITIONS } from './tracking-table.js';
import type { GroupResult, TrackingFigures, UnitResult, WaveResults } from './types.js';
import { isUnchanged } from './uncertainty.js';
import { bandOf } from './unit-results.js';
import { waveMap } from './wave-map.js';

export interface ReportOptions {
  /** e.g. "An Giang"; appears in the title. */
  province?: string;
  title?: string;
  /** Shown under the title, e.g. the date the report was produced (the library never reads the clock). */
  subtitle?: string;
  /** The wave's communes' outlines (GeoJSON read by readBoundaries): the report then opens its charts with the map. */
  boundaries?: readonly UnitShape[];
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function counted(n: number, noun: string, rest: string, leadingCo = false): string {
  if (n === 0) return `không có ${noun} ${rest}`;
  return `${leadingCo ? 'có ' : ''}${padCount(n)} ${noun} ${rest}`;
}

/**
 * The provincial report's summary of one kind, e.g. "Bình quân Chỉ số hài lòng của các sở,
 * ban, ngành đạt 88,56 %, tăng 1,92 điểm % so với năm 2022 (86,64 %); có 05 cơ quan …".
 */
export function summarySentence(group: GroupResult, results: WaveResults): string {
  const { subject, noun } = KIND_LABELS[group.kind];
  const { settings } = results;
  if (group.average === null) return `Chưa có phiếu hợp lệ của ${subject}.`;
  let text = `Bình quân Chỉ số hài lòng của ${subject} đạt ${formatPercent(group.average)}`;
  if (results.previous && group.prevAverage !== null && group.delta !== null) {
    const since = `so với năm ${results.previous.year} (${formatPercent(group.prevAverage)})`;
    text += isUnchanged(group.delta)
      ? `, không thay đổi ${since}`
      : `, ${group.delta > 0 ? 'tăng' : 'giảm'} ${formatNumber(Math.abs(group.delta))} điểm % ${since}`;
  }
  const high = formatLimit(settings.bandLimits.high);
  const mid = formatLimit(settings.bandLimits.mid);
  text +=
    '; ' +
    [
      counted(group.bandCounts.high, noun, `có Chỉ số hài lòng từ ${high} % trở lên`, true),
      counted(group.bandCounts.mid, noun, `từ ${mid} % đến dưới ${high} %`),
      counted(group.bandCounts.low, noun, `dưới ${mid} %`),
    ].join(', ');
  if (results.previous) {
    const moves = [counted(group.rising, noun, 'tăng'), counted(group.falling, noun, 'giảm')];
    if (group.unchanged > 0) moves.push(counted(group.unchanged, noun, 'không đổi'));
    if (group.new > 0) moves.push(counted(group.new, noun, 'mới (không so sánh)'));
    text += '; ' + moves.join(', ');
  }
  return `${text}. Điểm CCHC: ${formatNumber(group.parPoints!)}/${formatLimit(settings.parMaxPoints)}.`;
}

interface Series {
  label: string;
  values: (number | null)[];
  color: string;
}

const THIS_YEAR_COLOR = '#1f5fa8';
const LAST_YEAR_COLOR = '#a9c4e6';

/**
 * Chart text size in the SVG's units. A chart is drawn 720 units wide and printed at the text
 * width of an A4 page (186 mm ≈ 690 px), so 13 units print at about 12.5 px = 9.4 pt, the
 * smallest size still read comfortably on paper (test/browser-report-scale.test.ts).
 */
const CHART_WIDTH = 720;
const FONT = 13;
const TITLE_FONT = 15;
/** Characters of a unit's name on one line beside its bar; a longer name takes two lines. */
const LABEL_CHARS = 30;

/** A name cut at the space nearest its middle when it does not fit one line. */
function labelLines(name: string): string[] {
  if (name.length <= LABEL_CHARS) return [name];
  const middle = name.length / 2;
  let cut = -1;
  for (let i = name.indexOf(' '); i !== -1; i = name.indexOf(' ', i + 1)) {
    if (cut === -1 || Math.abs(i - middle) < Math.abs(cut - middle)) cut = i;
  }
  return cut === -1 ? [name] : [name.slice(0, cut), name.slice(cut + 1)];
}

/** Horizontal bars on a 0–100 axis: a cut axis would exaggerate differences of a few points. */
export function barChartSvg(title: string, categories: string[], series: Series[]): string {
  const width = CHART_WIDTH;
  const labelWidth = 240;
  const plotWidth = width - labelWidth - 60;
  const barHeight = 15;
  const labels = categories.map(labelLines);
  const twoLines = labels.some((l) => l.length > 1);
  const rowHeight = Math.max(series.length * barHeight + 8, twoLines ? 2 * FONT + 8 : 0);
  const top = 50;
  const height = top + categories.length * rowHeight + 28;
  const x = (v: number) => labelWidth + (Math.max(0, Math.min(100, v)) / 100) * plotWidth;
  const parts: string[] = [
    `<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(title)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<text x="0" y="16" font-size="${TITLE_FONT}" font-weight="bold">${escapeHtml(title)}</text>`,
  ];
  series.forEach((s, i) => {
    const lx = labelWidth + i * 130;
    parts.push(
      `<rect x="${lx}" y="27" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${lx + 16}" y="38" font-size="${FONT}">${escapeHtml(s.label)}</text>`,
    );
  });
  for (let g = 0; g <= 100; g += 20) {
    parts.push(
      `<line x1="${x(g)}" y1="${top - 4}" x2="${x(g)}" y2="${height - 24}" stroke="#ddd"/>`,
      `<text x="${x(g)}" y="${height - 8}" font-size="${FONT}" text-anchor="middle">${g}</text>`,
    );
  }
  labels.forEach((lines, row) => {
    const y0 = top + row * rowHeight;
    const first = y0 + rowHeight / 2 + FONT / 2 - 2 - ((lines.length - 1) * FONT) / 2;
    parts.push(
      `<text x="${labelWidth - 6}" y="${first}" font-size="${FONT}" text-anchor="end">` +
        lines.map((line, i) => `<tspan x="${labelWidth - 6}" y="${first + i * FONT}">${escapeHtml(line)}</tspan>`).join('') +
        '</text>',
    );
    const barsTop = y0 + (rowHeight - series.length * barHeight) / 2;
    series.forEach((s, i) => {
      const v = s.values[row];
      const y = barsTop + i * barHeight;
      if (v === null) {
        parts.push(`<text x="${labelWidth + 4}" y="${y + 12}" font-size="${FONT}">–</text>`);
        return;
      }
      parts.push(
        `<rect x="${labelWidth}" y="${y}" width="${(x(v) - labelWidth).toFixed(2)}" height="${barHeight - 1}" fill="${s.color}"/>`,
        `<text x="${(x(v) + 3).toFixed(2)}" y="${y + 11.5}" font-size="${FONT}">${escapeHtml(formatNumber(v))}</text>`,
      );
    });
  });
  parts.push('</svg>');
  return parts.join('');
}

/**
 * A heading and what it introduces, in one block the printer does not split (a heading alone at
 * the foot of a page, its chart on the next, reads as a missing chart).
 */
function keptWithHeading(heading: string, first: string): string {
  return `<div class="keep">${heading}\n${first}</div>`;
}

/** The kind's heading kept with its first chart; the other charts follow, each whole on a page. */
function chartsForKind(group: GroupResult, unsorted: UnitResult[], results: WaveResults): string {
  if (unsorted.length > MANY_UNITS) return manyUnitsForKind(group, unsorted, results);
  const { group: groupLabel } = KIND_LABELS[group.kind];
  // Highest index first, as readers look for their unit's standing.
  const units = [...unsorted].sort((a, b) => (b.index ?? -1) - (a.index ?? -1));
  const year = String(results.year);
  const prev = results.previous;
  const names = units.map((u) => u.name);
  const indexSeries: Series[] = [{ label: `Năm ${year}`, values: units.map((u) => u.index), color: THIS_YEAR_COLOR }];
  if (prev) indexSeries.push({ label: `Năm ${prev.year}`, values: units.map((u) => u.prevIndex), color: LAST_YEAR_COLOR });
  const figure = (svg: string) => `<figure>${svg}</figure>`;
  const blocks = [figure(barChartSvg(`Chỉ số hài lòng – ${groupLabel}`, names, indexSeries))];
  if (prev?.source === 'published') {
    blocks.push(
      `<p class="note">Số liệu năm ${prev.year} chỉ có Chỉ số hài lòng đã công bố của từng đơn vị (không có phiếu gốc), nên chỉ so sánh được chỉ số chung; biểu đồ theo từng yếu tố không được vẽ.</p>`,
    );
  } else {
    for (const element of results.elements) {
      const series: Series[] = [
        { label: `Năm ${year}`, values: units.map((u) => u.elements[element.code] ?? null), color: THIS_YEAR_COLOR },
      ];
      if (prev) {
        series.push({
          label: `Năm ${prev.year}`,
          values: units.map((u) => u.prevElements?.[element.code] ?? null),
          color: LAST_YEAR_COLOR,
        });
      }
      blocks.push(figure(barChartSvg(`Yếu tố ${element.code}. ${element.label} – ${groupLabel}`, names, series)));
    }
  }
  const [first, ...rest] = blocks;
  return [keptWithHeading(`<h3>${escapeHtml(groupLabel)}</h3>`, first), ...rest].join('\n');
}

/**
 * Above this many units a kind gets no bar per unit (102 communes would fill pages of bars nobody
 * reads): the spread of its indexes, its ten best and ten worst, its element averages, and every
 * unit in one ranked table.
 */
export const MANY_UNITS = 30;
const EXTREMES = 10;
const BIN_WIDTH = 5;

/** Units whose index is in [from, to); the last bin also holds 100. */
export interface IndexBin {
  from: number;
  to: number;
  count: number;
}

/** Indexes counted in 5-point bins, from the lowest bin holding one up to 100. */
export function indexHistogram(indexes: number[], binWidth = BIN_WIDTH): IndexBin[] {
  if (indexes.length === 0) return [];
  const lastBin = Math.ceil(100 / binWidth) - 1;
  const binOf = (v: number) => Math.min(lastBin, Math.max(0, Math.floor(v / binWidth)));
  const firstBin = Math.min(...indexes.map(binOf));
  const bins = Array.from({ length: lastBin - firstBin + 1 }, (_, i) => ({ from: (firstBin + i) * binWidth, to: Math.min(100, (firstBin + i + 1) * binWidth), count: 0 }));
  for (const v of indexes) bins[binOf(v) - firstBin].count++;
  return bins;
}

/** Columns of units per bin, coloured by band as on the map, with the band limits drawn. */
export function histogramSvg(title: string, bins: IndexBin[], results: WaveResults): string {
  const { bandLimits } = results.settings;
  const left = 20;
  const plotWidth = CHART_WIDTH - left - 20;
  const top = 72;
  const plotHeight = 200;
  const base = top + plotHeight;
  const height = base + 48;
  const from = bins[0]?.from ?? 0;
  const span = (bins.at(-1)?.to ?? 100) - from;
  const x = (v: number) => left + ((v - from) / span) * plotWidth;
  const most = Math.max(1, ...bins.map((b) => b.count));
  const bands = (['high', 'mid', 'low'] as const).map((band) => ({ band, colour: BAND_COLOURS[band], label: bandLabel(band, results) }));
  const parts: string[] = [
    `<svg class="chart histogram" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${CHART_WIDTH} ${height}" width="100%" role="img" aria-label="${escapeHtml(title)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<text x="0" y="16" font-size="${TITLE_FONT}" font-weight="bold">${escapeHtml(title)}</text>`,
    ...bands.map(
      (b, i) =>
        `<rect x="${left + i * 210}" y="27" width="12" height="12" fill="${b.colour}"/><text x="${left + i * 210 + 16}" y="38" font-size="${FONT}">${escapeHtml(b.label)}</text>`,
    ),
    `<line x1="${left}" y1="${base}" x2="${left + plotWidth}" y2="${base}" stroke="#555"/>`,
  ];
  for (const bin of bins) {
    const h = (bin.count / most) * plotHeight;
    const x0 = x(bin.from);
    const w = x(bin.to) - x0;
    parts.push(
      `<rect x="${(x0 + 1).toFixed(2)}" y="${(base - h).toFixed(2)}" width="${(w - 2).toFixed(2)}" height="${h.toFixed(2)}" fill="${BAND_COLOURS[bandOf(bin.from, results.settings)]}" data-from="${bin.from}" data-count="${bin.count}"/>`,
      `<text x="${(x0 + w / 2).toFixed(2)}" y="${(base - h - 4).toFixed(2)}" font-size="${FONT}" text-anchor="middle">${bin.count}</text>`,
      `<text x="${x0.toFixed(2)}" y="${base + 16}" font-size="${FONT}" text-anchor="middle">${bin.from}</text>`,
    );
  }
  parts.push(`<text x="${x(from + span).toFixed(2)}" y="${base + 16}" font-size="${FONT}" text-anchor="end">${from + span}</text>`);
  for (const limit of [bandLimits.mid, bandLimits.high]) {
    if (limit <= from || limit >= from + span) continue;
    parts.push(
      `<line x1="${x(limit).toFixed(2)}" y1="${top - 16}" x2="${x(limit).toFixed(2)}" y2="${base}" stroke="#000" stroke-dasharray="5 3"/>`,
      `<text x="${(x(limit) + 3).toFixed(2)}" y="${top - 4}" font-size="${FONT}">${formatLimit(limit)} %</text>`,
    );
  }
  parts.push(`<text x="${CHART_WIDTH / 2}" y="${height - 6}" font-size="${FONT}" text-anchor="middle">Chỉ số hài lòng (%)</text>`, '</svg>');
  return parts.join('');
}

/** Ranked units first by rank, then those too small to rank, then those without an index. */
function rankedUnits(units: UnitResult[]): UnitResult[] {
  const order = (u: UnitResult) => (u.rank !== null ? 0 : u.index !== null ? 1 : 2);
  return [...units].sort((a, b) => order(a) - order(b) || (a.rank ?? 0) - (b.rank ?? 0) || (b.index ?? 0) - (a.index ?? 0) || a.code.localeCompare(b.code));
}

function manyUnitsForKind(group: GroupResult, units: UnitResult[], results: WaveResults): string {
  const { group: groupLabel } = KIND_LABELS[group.kind];
  // Last year is left out where no unit of the kind has it (communes new after a reorganisation).
  const prev = units.some((u) => u.prevIndex !== null) ? results.previous : null;
  const figure = (svg: string) => `<figure>${svg}</figure>`;
  const series = (pick: (u: UnitResult) => number | null, prevPick: (u: UnitResult) => number | null, shown: UnitResult[]): Series[] => [
    { label: `Năm ${results.year}`, values: shown.map(pick), color: THIS_YEAR_COLOR },
    ...(prev ? [{ label: `Năm ${prev.year}`, values: shown.map(prevPick), color: LAST_YEAR_COLOR }] : []),
  ];
  const ordered = rankedUnits(units);
  const ranked = ordered.filter((u) => u.rank !== null);
  const measured = units.flatMap((u) => (u.index === null ? [] : [u.index]));
  const label = (u: UnitResult) => `${u.rank}. ${u.name}`;
  const extremes = (title: string, shown: UnitResult[]) =>
    figure(barChartSvg(`${title} – ${groupLabel}`, shown.map(label), series((u) => u.index, (u) => u.prevIndex, shown)));
  const unmeasured = units.length - measured.length;
  const blocks = [
    figure(histogramSvg(`Phân bố Chỉ số hài lòng – ${groupLabel} (${measured.length} đơn vị có chỉ số)`, indexHistogram(measured), results)),
    `<p class="note">Mỗi cột là số đơn vị có Chỉ số hài lòng từ mức ghi dưới chân cột đến dưới mức kế tiếp (cột cuối gồm cả 100 %); đường đứt là giới hạn các mức ${formatLimit(results.settings.bandLimits.mid)} % và ${formatLimit(results.settings.bandLimits.high)} %.${unmeasured > 0 ? ` ${unmeasured} đơn vị chưa có chỉ số.` : ''}</p>`,
  ];
  if (ranked.length > 0) {
    blocks.push(extremes(`${Math.min(EXTREMES, ranked.length)} đơn vị có chỉ số cao nhất`, ranked.slice(0, EXTREMES)));
    if (ranked.length > EXTREMES) blocks.push(extremes(`${Math.min(EXTREMES, ranked.length - EXTREMES)} đơn vị có chỉ số thấp nhất`, ranked.slice(-EXTREMES).filter((u) => !ranked.slice(0, EXTREMES).includes(u))));
  }
  if (results.previous?.source !== 'published') {
    const elementAverage = (pick: (u: UnitResult) => number | null | undefined) => {
      const values = units.flatMap((u) => {
        const v = pick(u);
        return v === null || v === undefined ? [] : [v];
      });
      return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
    };
    const names = results.elements.map((e) => `${e.code}. ${e.label}`);
    const averages: Series[] = [
      { label: `Năm ${results.year}`, values: results.elements.map((e) => elementAverage((u) => u.elements[e.code])), color: THIS_YEAR_COLOR },
      ...(prev ? [{ label: `Năm ${prev.year}`, values: results.elements.map((e) => elementAverage((u) => u.prevElements?.[e.code])), color: LAST_YEAR_COLOR }] : []),
    ];
    blocks.push(figure(barChartSvg(`Bình quân từng yếu tố – ${groupLabel}`, names, averages)));
  }
  const showPrev = prev !== null;
  const table: PersonTable = {
    name: `Xếp hạng ${groupLabel} (${units.length} đơn vị)`,
    columns: ['Hạng', 'Mã đơn vị', 'Tên đơn vị', 'Số phiếu hợp lệ', 'Chỉ số hài lòng', ...(showPrev ? [`Năm ${prev.year}`, 'Tăng/giảm (điểm %)'] : []), 'Mức'],
    formats: ['text', 'text', 'text', 'integer', 'percent', ...(showPrev ? (['percent', 'number'] as const) : []), 'text'],
    rows: ordered.map((u) => [
      u.rank === null ? '–' : String(u.rank),
      u.code,
      u.name,
      u.respondents,
      u.index,
      ...(showPrev ? [u.prevIndex, u.isNew ? NEW_UNIT_DELTA : u.delta] : []),
      u.band ? bandLabel(u.band, results) : null,
    ]),
  };
  const [first, ...rest] = blocks;
  return [keptWithHeading(`<h3>${escapeHtml(groupLabel)}</h3>`, first), ...rest, tableHtml(table, 'h4', 'ranked')].join('\n');
}

function tableHtml(t: PersonTable, heading: 'h3' | 'h4' = 'h3', className?: string): string {
  const cell = (v: Cell, i: number) => {
    const numeric = typeof v === 'number';
    return `<td${numeric ? ' class="num"' : ''}>${escapeHtml(formatCell(v, t.formats[i]))}</td>`;
  };
  // A table may be longer than a page, so it is not one unbreakable block: its heading only asks
  // for no break after it (PRINT_CSS), which keeps it with the header row and first rows.
  return [
    `<${heading}>${escapeHtml(t.name)}</${heading}>`,
    `<table${className ? ` class="${className}"` : ''}><thead><tr>`,
    ...t.columns.map((c) => `<th>${escapeHtml(c)}</th>`),
    '</tr></thead><tbody>',
    ...t.rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`),
    '</tbody></table>',
  ].join('');
}

/**
 * The criteria table of the report keeps the averages only (per-unit values are in the
 * CSV/XLSX); the report adds the index by response channel.
 */
function reportTables(results: WaveResults): PersonTable[] {
  const tables = personTables(results);
  const criteria = tables[2];
  const keep = criteria.columns.length - results.units.length;
  tables[2] = {
    ...criteria,
    columns: criteria.columns.slice(0, keep),
    formats: criteria.formats.slice(0, keep),
    rows: criteria.rows.map((r) => r.slice(0, keep)),
  };
  return [...tables, channelTable(results)];
}

/**
 * The communes coloured by band, kept with its heading; each outline's title carries its name and
 * index, the ranked table of the kind carries them on paper, and units without an outline are named.
 */
function mapHtml(results: WaveResults, shapes: readonly UnitShape[]): string {
  const map = waveMap(results, shapes);
  if (!map) return '';
  const missing = map.unitsWithoutShape.map((u) => `${u.name} (${u.code})`);
  return [
    keptWithHeading(`<h3>Bản đồ ${escapeHtml(KIND_LABELS[map.kind].subject)}</h3>`, `<figure class="map">${map.svg}</figure>`),
    `<p class="note">Chỉ số của từng đơn vị trên bản đồ: xem bảng ${escapeHtml(KIND_LABELS[map.kind].group)} trong báo cáo.</p>`,
    missing.length > 0 ? `<p class="note">Chưa có ranh giới trên bản đồ (${missing.length}): ${escapeHtml(missing.join(', '))}.</p>` : '',
  ].join('\n');
}

const PRINT_CSS = `
@page { size: A4; margin: 15mm 12mm; }
@page wide { size: A4 landscape; margin: 12mm; }
body { font-family: "Times New Roman", "Noto Serif", serif; font-size: 12pt; color: #000; margin: 0 auto; padding: 0 8px; }
/* Text and charts keep a portrait page's width; the wide tables take all the width there is. */
body > :not(section.tables) { max-width: 190mm; margin-left: auto; margin-right: auto; }
h1 { font-size: 15pt; text-align: center; text-transform: uppercase; }
h2 { font-size: 13pt; margin-top: 1.2em; }
h3 { font-size: 11pt; }
p.summary { text-align: justify; }
p.note { font-size: 10pt; font-style: italic; }
figure { margin: 0.5em 0; break-inside: avoid; }
/* The map and its legend on one portrait page with its heading. */
figure.map svg { max-height: 215mm; }
h1, h2, h3, h4 { break-after: avoid; }
h4 { font-size: 11pt; }
/* A kind's full ranking is read in the portrait flow, one unit a line, at the text's smallest size. */
table.ranked { font-size: 9pt; }
table.ranked td:nth-child(3) { min-width: 14em; }
table.ranked td:last-child { white-space: nowrap; }
.keep { break-inside: avoid; }
section.tables { page: wide; max-width: none; }
table { border-collapse: collapse; font-size: 8pt; margin-bottom: 1em; width: 100%; }
th, td { border: 1px solid #555; padding: 2px 4px; vertical-align: top; }
th { background: #eee; }
td.num { text-align: right; white-space: nowrap; }
td:nth-child(2) { min-width: 9em; }
tr { break-inside: avoid; }
`;

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** The collection in one sentence, each rate named as defined in the method section (TRACKING_DEFINITIONS). */
export function trackingSummary(t: TrackingFigures): string {
  const n = (x: number) => formatNumber(x, 0);
  const rate = (x: number | null) => (x === null ? '—' : formatPercent(x));
  const counted = `${n(t.counted)} phiếu hợp lệ được tính chỉ số.`;
  if (t.planned === null) return `Thu về ${n(t.returned + t.imported)} phiếu; ${counted}`;
  return [
    `Kế hoạch ${n(t.planned)} phiếu${t.shortfall ? ` (khung mẫu thiếu ${n(t.shortfall)} người so với kế hoạch)` : ''}`,
    `đã phát hành ${n(t.released ?? 0)} phiếu; ${n(t.valid ?? 0)} phiếu hợp lệ từ danh sách đã bốc, đạt ${rate(t.rates.plan)} kế hoạch, ${lowerFirst(TRACKING_DEFINITIONS.response.label)} ${rate(t.rates.response)}`,
    ...(t.importedValid ? [`thêm ${n(t.importedValid)} phiếu hợp lệ ngoài danh sách đã bốc (nhập không có mã phiếu), tính vào chỉ số nhưng không vào tỷ lệ nào`] : []),
    counted,
  ].join('; ');
}

/** A printable Vietnamese report like the provincial one: summary, method note, charts, tables. */
export function reportHtml(results: WaveResults, options: ReportOptions = {}): string {
  const title =
    options.title ??
    `Báo cáo kết quả khảo sát Chỉ số hài lòng về sự phục vụ hành chính năm ${results.year}` +
      (options.province ? ` – tỉnh ${options.province}` : '');
  const { settings, tracking } = results;
  const trackingSentence = trackingSummary(tracking.total);
  const notes = methodNotes(results);
  const method = [
    `Phiếu hợp lệ là phiếu trả lời ít nhất ${formatLimit(settings.validity.minAnsweredShare * 100)} % số tiêu chí. Chỉ số của tiêu chí là tỷ lệ câu trả lời "Hài lòng" hoặc "Rất hài lòng" trên số câu trả lời (không tính câu bỏ trống, không ý kiến); chỉ số yếu tố là bình quân các tiêu chí; Chỉ số hài lòng của đơn vị là bình quân 5 yếu tố.`,
    notes.interval,
    notes.tooWide,
    notes.deltaTest ?? '',
    `Đơn vị có dưới ${settings.minRespondents} phiếu hợp lệ được đánh dấu và không xếp hạng.`,
    ...(tracking.total.planned !== null ? Object.values(TRACKING_DEFINITIONS).map((d) => `${d.label}: ${d.text}`) : []),
  ].filter(Boolean);
  const body = [
    `<h1>${escapeHtml(title)}</h1>`,
    options.subtitle ? `<p style="text-align:center">${escapeHtml(options.subtitle)}</p>` : '',
    '<h2>1. Kết quả chung</h2>',
    ...results.groups.map((g) => `<p class="summary">${escapeHtml(summarySentence(g, results))}</p>`),
    `<p class="summary">${escapeHtml(trackingSentence)}</p>`,
    ...results.warnings.map((w) => `<p class="note">Lưu ý: ${escapeHtml(w)}</p>`),
    '<h2>2. Phương pháp</h2>',
    ...method.map((m) => `<p class="note">${escapeHtml(m)}</p>`),
    '<h2>3. Biểu đồ</h2>',
    options.boundaries ? mapHtml(results, options.boundaries) : '',
    ...results.groups.map((g) =>
      chartsForKind(
        g,
        results.units.filter((u) => u.kind === g.kind),
        results,
      ),
    ),
    '<section class="tables"><h2>4. Các bảng số liệu</h2>',
    ...reportTables(results).map((t) => tableHtml(t)),
    '</section>',
  ];
  return [
    '<!doctype html>',
    '<html lang="vi"><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${PRINT_CSS}</style>`,
    '</head><body>',
    ...body.filter(Boolean),
    '</body></html>',
  ].join('\n');
}
