import { formatCell, type Cell } from './csv.js';
import { formatLimit, formatNumber, formatPercent, padCount } from './format.js';
import { channelTable, KIND_LABELS, methodNotes, personTables, type PersonTable } from './tables.js';
import { TRACKING_DEFINITIONS } from './tracking-table.js';
import type { GroupResult, TrackingFigures, UnitResult, WaveResults } from './types.js';
import { isUnchanged } from './uncertainty.js';

export interface ReportOptions {
  /** e.g. "An Giang"; appears in the title. */
  province?: string;
  title?: string;
  /** Shown under the title, e.g. the date the report was produced (the library never reads the clock). */
  subtitle?: string;
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

/** Horizontal bars on a 0–100 axis: a cut axis would exaggerate differences of a few points. */
export function barChartSvg(title: string, categories: string[], series: Series[]): string {
  const width = 720;
  const labelWidth = 240;
  const plotWidth = width - labelWidth - 60;
  const barHeight = 9;
  const rowHeight = series.length * barHeight + 8;
  const top = 40;
  const height = top + categories.length * rowHeight + 24;
  const x = (v: number) => labelWidth + (Math.max(0, Math.min(100, v)) / 100) * plotWidth;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-label="${escapeHtml(title)}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<text x="0" y="14" font-size="13" font-weight="bold">${escapeHtml(title)}</text>`,
  ];
  series.forEach((s, i) => {
    const lx = labelWidth + i * 120;
    parts.push(
      `<rect x="${lx}" y="22" width="10" height="10" fill="${s.color}"/>`,
      `<text x="${lx + 14}" y="31" font-size="10">${escapeHtml(s.label)}</text>`,
    );
  });
  for (let g = 0; g <= 100; g += 20) {
    parts.push(
      `<line x1="${x(g)}" y1="${top - 4}" x2="${x(g)}" y2="${height - 20}" stroke="#ddd"/>`,
      `<text x="${x(g)}" y="${height - 8}" font-size="9" text-anchor="middle">${g}</text>`,
    );
  }
  categories.forEach((name, row) => {
    const y0 = top + row * rowHeight;
    parts.push(
      `<text x="${labelWidth - 6}" y="${y0 + rowHeight / 2 + 3}" font-size="10" text-anchor="end">${escapeHtml(name)}</text>`,
    );
    series.forEach((s, i) => {
      const v = s.values[row];
      const y = y0 + 4 + i * barHeight;
      if (v === null) {
        parts.push(`<text x="${labelWidth + 4}" y="${y + 8}" font-size="8">–</text>`);
        return;
      }
      parts.push(
        `<rect x="${labelWidth}" y="${y}" width="${(x(v) - labelWidth).toFixed(2)}" height="${barHeight - 1}" fill="${s.color}"/>`,
        `<text x="${(x(v) + 3).toFixed(2)}" y="${y + 7.5}" font-size="8">${escapeHtml(formatNumber(v))}</text>`,
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

function tableHtml(t: PersonTable): string {
  const cell = (v: Cell, i: number) => {
    const numeric = typeof v === 'number';
    return `<td${numeric ? ' class="num"' : ''}>${escapeHtml(formatCell(v, t.formats[i]))}</td>`;
  };
  // A table may be longer than a page, so it is not one unbreakable block: its heading only asks
  // for no break after it (PRINT_CSS), which keeps it with the header row and first rows.
  return [
    `<h3>${escapeHtml(t.name)}</h3>`,
    '<table><thead><tr>',
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
h1, h2, h3 { break-after: avoid; }
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
    ...results.groups.map((g) =>
      chartsForKind(
        g,
        results.units.filter((u) => u.kind === g.kind),
        results,
      ),
    ),
    '<section class="tables"><h2>4. Các bảng số liệu</h2>',
    ...reportTables(results).map(tableHtml),
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
