import { formatLimit, formatNumber, formatPercent } from '../../analysis/format';
import { summarySentence } from '../../analysis/report-html';
import { KIND_LABELS, NEW_UNIT_DELTA } from '../../analysis/tables';
import type { Band, GroupResult, UnitKind, UnitResult, WaveResults } from '../../analysis/types';
import { Layout, Flash, type FlashMessage } from '../layout';

/** Sortable columns of the unit table; element codes (A…E) are sortable too. */
export const SORT_KEYS = ['code', 'name', 'respondents', 'index', 'prev', 'delta', 'rank', 'points'] as const;

export interface AnalysisView {
  sort: string | null;
  dir: 'asc' | 'desc';
  kind: UnitKind | null;
}

/** Reads ?sort=…&dir=…&kind=… leniently: an unknown value falls back to the default view. */
export function parseAnalysisView(query: Record<string, string | undefined>, results: WaveResults): AnalysisView {
  const keys = new Set<string>([...SORT_KEYS, ...results.elements.map((e) => e.code)]);
  const sort = query.sort && keys.has(query.sort) ? query.sort : null;
  const kind = results.groups.some((g) => g.kind === query.kind) ? (query.kind as UnitKind) : null;
  return { sort, dir: query.dir === 'desc' ? 'desc' : 'asc', kind };
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

function query(view: AnalysisView, change: Partial<AnalysisView>): string {
  const next = { ...view, ...change };
  const params = new URLSearchParams();
  if (next.kind) params.set('kind', next.kind);
  if (next.sort) params.set('sort', next.sort);
  if (next.sort && next.dir === 'desc') params.set('dir', 'desc');
  const text = params.toString();
  return text ? `?${text}` : '?';
}

const percent = (x: number | null) => (x === null ? '–' : formatPercent(x));
const signed = (x: number) => (x > 0 && formatNumber(x) !== '0,00' ? '+' : '') + formatNumber(x);

const BAND_SHORT: Record<Band, (high: string, mid: string) => string> = {
  high: (high) => `≥ ${high} %`,
  mid: (high, mid) => `${mid} – < ${high} %`,
  low: (_high, mid) => `< ${mid} %`,
};

function SortHeader(props: { label: string; sortKey: string; view: AnalysisView; numeric?: boolean; title?: string }) {
  const { sortKey, view } = props;
  const active = view.sort === sortKey;
  // Numbers are most often read best-first, names A to Z.
  const firstDir = props.numeric && sortKey !== 'rank' ? 'desc' : 'asc';
  const dir = active ? (view.dir === 'asc' ? 'desc' : 'asc') : firstDir;
  return (
    <th
      class={props.numeric ? 'num' : undefined}
      aria-sort={active ? (view.dir === 'asc' ? 'ascending' : 'descending') : undefined}
      title={props.title}
      scope="col"
    >
      <a href={query(view, { sort: sortKey, dir })}>
        {props.label}
        {active ? (view.dir === 'asc' ? ' ▲' : ' ▼') : ''}
      </a>
    </th>
  );
}

function GroupSummary({ group, results }: { group: GroupResult; results: WaveResults }) {
  const { settings, previous } = results;
  const high = formatLimit(settings.bandLimits.high);
  const mid = formatLimit(settings.bandLimits.mid);
  return (
    <section class="group" aria-labelledby={`group-${group.kind}`}>
      <h3 id={`group-${group.kind}`}>
        {KIND_LABELS[group.kind].group} ({group.units} đơn vị, {group.respondents} phiếu hợp lệ)
      </h3>
      <dl class="figures">
        <div>
          <dt>Bình quân</dt>
          <dd class="big">{percent(group.average)}</dd>
        </div>
        {previous ? (
          <div>
            <dt>Năm {previous.year}</dt>
            <dd>{percent(group.prevAverage)}</dd>
          </div>
        ) : null}
        {previous ? (
          <div>
            <dt>Tăng/giảm</dt>
            <dd>{group.delta === null ? '–' : `${signed(group.delta)} điểm %`}</dd>
          </div>
        ) : null}
        <div>
          <dt>Từ {high} % trở lên</dt>
          <dd>{group.atOrAbove90}</dd>
        </div>
        <div>
          <dt>
            {mid} – dưới {high} %
          </dt>
          <dd>{group.bandCounts.mid}</dd>
        </div>
        <div>
          <dt>Dưới {mid} %</dt>
          <dd>{group.bandCounts.low}</dd>
        </div>
        {previous ? (
          <div>
            <dt>Tăng / giảm / không đổi / mới</dt>
            <dd>
              {group.rising} / {group.falling} / {group.unchanged} / {group.new}
            </dd>
          </div>
        ) : null}
        <div>
          <dt>Điểm CCHC (/{formatLimit(settings.parMaxPoints)})</dt>
          <dd>{group.parPoints === null ? '–' : formatNumber(group.parPoints)}</dd>
        </div>
      </dl>
      <p class="sentence">{summarySentence(group, results)}</p>
    </section>
  );
}

function UnitTable({ units, results, view }: { units: UnitResult[]; results: WaveResults; view: AnalysisView }) {
  const { settings, previous, elements } = results;
  const high = formatLimit(settings.bandLimits.high);
  const mid = formatLimit(settings.bandLimits.mid);
  const confidence = `${formatLimit(settings.confidence * 100)} %`;
  return (
    <div class="scroll">
      <table class="units">
        <thead>
          <tr>
            <SortHeader label="Mã" sortKey="code" view={view} />
            <SortHeader label="Tên đơn vị" sortKey="name" view={view} />
            <SortHeader label="Số phiếu" sortKey="respondents" view={view} numeric title="Số phiếu hợp lệ" />
            <SortHeader label="Chỉ số" sortKey="index" view={view} numeric title={`Chỉ số hài lòng và khoảng tin cậy ${confidence}`} />
            {previous ? <SortHeader label={`Năm ${previous.year}`} sortKey="prev" view={view} numeric /> : null}
            {previous ? <SortHeader label="Tăng/giảm" sortKey="delta" view={view} numeric title="Điểm phần trăm" /> : null}
            <th scope="col">Mức</th>
            <SortHeader label="Hạng" sortKey="rank" view={view} numeric title="Xếp hạng trong nhóm" />
            <SortHeader label="Điểm CCHC" sortKey="points" view={view} numeric />
            {elements.map((e) => (
              <SortHeader label={e.code} sortKey={e.code} view={view} numeric title={`Yếu tố ${e.code}. ${e.label}`} />
            ))}
          </tr>
        </thead>
        <tbody>
          {units.map((u) => (
            <tr class={u.belowMinimum ? 'below-min' : undefined}>
              <td>{u.code}</td>
              <td class="name">
                {u.name}
                {u.belowMinimum ? (
                  <span class="flag" title={`Dưới ${settings.minRespondents} phiếu hợp lệ: không xếp hạng`}>
                    {' '}
                    (dưới {settings.minRespondents} phiếu)
                  </span>
                ) : null}
              </td>
              <td class="num">{u.respondents}</td>
              <td class="num">
                {percent(u.index)}
                {u.ciLow !== null && u.ciHigh !== null ? (
                  <span class="ci">
                    {formatNumber(u.ciLow)} – {formatNumber(u.ciHigh)}
                  </span>
                ) : null}
              </td>
              {previous ? <td class="num">{percent(u.prevIndex)}</td> : null}
              {previous ? (
                <td class="num">
                  {u.isNew ? NEW_UNIT_DELTA : u.delta === null ? '–' : signed(u.delta)}
                  {u.significant ? <abbr title="Thay đổi có ý nghĩa thống kê"> *</abbr> : null}
                </td>
              ) : null}
              <td class={u.band ? `band band-${u.band}` : undefined}>{u.band ? BAND_SHORT[u.band](high, mid) : '–'}</td>
              <td class="num">{u.rank ?? '–'}</td>
              <td class="num">{u.parPoints === null ? '–' : formatNumber(u.parPoints)}</td>
              {elements.map((e) => (
                <td class="num">{u.elements[e.code] == null ? '–' : formatNumber(u.elements[e.code]!)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const DOWNLOADS = [
  ['report.html', 'Báo cáo in được (HTML)'],
  ['tables.xlsx', 'Tất cả các bảng (Excel XLSX)'],
  ['units.csv', 'Bảng đơn vị, dạng máy đọc (CSV)'],
  ['units.json', 'Bảng đơn vị (JSON)'],
  ['groups.csv', 'Theo nhóm đơn vị (CSV)'],
  ['criteria.csv', 'Theo tiêu chí (CSV)'],
  ['tracking.csv', 'Theo dõi phiếu (CSV)'],
  ['profile.csv', 'Thông tin người trả lời (CSV)'],
] as const;

const PAGE_CSS = `
main{max-width:96rem}
.kinds a{margin-right:.75rem}
.kinds a[aria-current]{font-weight:700;text-decoration:none;color:#1a1a1a}
.groups{display:grid;grid-template-columns:repeat(auto-fit,minmax(26rem,1fr));gap:1rem}
.group{border:1px solid #bbb;border-radius:4px;padding:.5rem 1rem}
.group h3{margin:.25rem 0 .5rem;font-size:1.05rem}
dl.figures{display:grid;grid-template-columns:repeat(auto-fill,minmax(8.5rem,1fr));gap:.5rem 1rem;margin:0}
dl.figures div{margin:0}
dl.figures dt{font-size:.8rem;color:#555}
dl.figures dd{margin:0;font-size:1.1rem;font-variant-numeric:tabular-nums}
dl.figures dd.big{font-size:1.5rem;font-weight:700;color:#0b4f8a}
p.sentence{font-size:.95rem}
.scroll{overflow-x:auto}
table.units{font-size:.9rem}
table.units th{white-space:nowrap}
table.units th a{color:inherit}
table.units td.num{white-space:nowrap}
table.units td.name{min-width:14rem}
table.units tbody tr:nth-child(even){background:#f7f9fb}
.ci{display:block;font-size:.75rem;color:#555}
td.band{white-space:nowrap}
.band-high{background:#e7f6ec}
.band-low{background:#fde8e8}
tr.below-min td{color:#7a5a00}
.flag{font-size:.8rem}
ul.downloads{columns:2 18rem}
.notes{background:#fff8e1;border:1px solid #b7791f;padding:.5rem .75rem;margin:1rem 0;font-size:.95rem}
.notes ul{margin:.25rem 0}
`;

export function AnalysisPage(props: {
  wave: { year: number; name: string };
  results: WaveResults;
  view: AnalysisView;
  user: { username: string; role: string } | null;
  publishedRows: number;
  message?: FlashMessage;
}) {
  const { wave, results, view, user } = props;
  const { previous, settings } = results;
  const groups = results.groups.filter((g) => !view.kind || g.kind === view.kind);
  const base = `/waves/${wave.year}/analysis`;
  const canImport = user?.role === 'admin' || user?.role === 'analyst';
  const anyBelowMinimum = results.units.some((u) => u.belowMinimum);
  return (
    <Layout title={`Kết quả ${wave.name} — SIPAS`} user={user} css={PAGE_CSS}>
      <p class="no-print">
        <a href={`/waves/${wave.year}`}>← {wave.name}</a>
      </p>
      <h1>Kết quả Chỉ số hài lòng năm {wave.year}</h1>
      <Flash message={props.message} />
      <p>
        {results.tracking.total.counted === 0
          ? 'Chưa có phiếu trả lời nào được tính chỉ số'
          : `${results.tracking.total.counted} phiếu hợp lệ được tính chỉ số`}
        {results.excluded.invalid > 0 ? `; ${results.excluded.invalid} phiếu không hợp lệ (không tính)` : ''}.{' '}
        {previous
          ? previous.source === 'raw'
            ? `So sánh với năm ${previous.year} từ phiếu gốc trong hệ thống.`
            : `So sánh với năm ${previous.year} theo chỉ số đã công bố (nhập từ tệp).`
          : 'Chưa có số liệu năm trước để so sánh.'}
      </p>
      {results.warnings.length > 0 ? (
        <div class="notes" role="status">
          <p style="margin:0">Lưu ý về số liệu:</p>
          <ul>
            {results.warnings.map((w) => (
              <li>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <nav class="kinds no-print" aria-label="Lọc theo nhóm đơn vị">
        Nhóm:{' '}
        <a href={query(view, { kind: null })} aria-current={view.kind === null ? 'page' : undefined}>
          Tất cả
        </a>
        {results.groups.map((g) => (
          <a href={query(view, { kind: g.kind })} aria-current={view.kind === g.kind ? 'page' : undefined}>
            {KIND_LABELS[g.kind].group}
          </a>
        ))}
      </nav>
      <h2>Kết quả chung</h2>
      <div class="groups">
        {groups.map((g) => (
          <GroupSummary group={g} results={results} />
        ))}
      </div>
      <h2>Chỉ số theo đơn vị</h2>
      <p class="muted">
        Bấm vào tiêu đề cột để sắp xếp. Dưới chỉ số là khoảng tin cậy {formatLimit(settings.confidence * 100)} %.
        {previous ? ' Dấu * : thay đổi có ý nghĩa thống kê; "mới": đơn vị không có số liệu năm trước.' : ''}
        {anyBelowMinimum ? ` Đơn vị có dưới ${settings.minRespondents} phiếu hợp lệ được đánh dấu và không xếp hạng.` : ''}
      </p>
      {groups.map((g) => (
        <section>
          <h3>{KIND_LABELS[g.kind].group}</h3>
          <UnitTable
            units={sortUnits(
              results.units.filter((u) => u.kind === g.kind),
              view,
            )}
            results={results}
            view={view}
          />
        </section>
      ))}
      <h2>Tải xuống</h2>
      <ul class="downloads">
        {DOWNLOADS.map(([file, label]) => (
          <li>
            <a href={`${base}/${file}`}>{label}</a>
          </li>
        ))}
      </ul>
      {canImport ? (
        <section class="no-print">
          <h2>Chỉ số đã công bố năm {wave.year - 1}</h2>
          <p>
            {props.publishedRows > 0
              ? `Đã nhập ${props.publishedRows} đơn vị.`
              : 'Chưa nhập.'}{' '}
            Dùng khi hệ thống không có phiếu gốc của năm {wave.year - 1}; tệp mới thay toàn bộ bảng cũ.
          </p>
          <form method="post" action={`${base}/previous`} enctype="multipart/form-data">
            <label for="previous-file">Tệp CSV: unit_code,unit_name,index[,respondents]</label>
            <input id="previous-file" type="file" name="file" accept=".csv,text/csv" required />{' '}
            <button type="submit">Nhập</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
