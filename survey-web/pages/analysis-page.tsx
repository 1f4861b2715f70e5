import { raw } from 'hono/html';
import type { WaveResults } from '../../analysis/types';
import { mapKindOf, type WaveMap } from '../../analysis/wave-map';
import { Flash, Layout, type FlashMessage, type PageUser, withFormToken } from '../layout';
import { EmptyList, listCss, Pager } from '../pager';
import {
  analysisPageModel,
  boundariesPanel,
  mapSection,
  parseAnalysisView,
  type AnalysisPageModel,
  type BoundariesPanel,
  type BoundaryImportInput,
  type GroupSummary,
  type HeaderCell,
  type MapSection,
  type UnitTable,
} from './analysis-view-model';
import { formatDateTime } from './frame-page';

function Header({ cell }: { cell: HeaderCell }) {
  return (
    <th class={cell.numeric ? 'num' : undefined} aria-sort={cell.ariaSort} title={cell.title} scope="col">
      {cell.href ? <a href={cell.href}>{cell.label}</a> : cell.label}
    </th>
  );
}

function GroupFigures({ group }: { group: GroupSummary }) {
  return (
    <section class="group" aria-labelledby={`group-${group.kind}`}>
      <h3 id={`group-${group.kind}`}>{group.heading}</h3>
      <dl class="figures">
        {group.figures.map((f) => (
          <div>
            <dt>{f.label}</dt>
            <dd class={f.big ? 'big' : undefined}>{f.value}</dd>
          </div>
        ))}
      </dl>
      <p class="sentence">{group.sentence}</p>
    </section>
  );
}

function UnitTableView({ table, model }: { table: UnitTable; model: AnalysisPageModel }) {
  return (
    <div class="scroll">
      <table class="units">
        <thead>
          <tr>
            {table.headers.map((cell) => (
              <Header cell={cell} />
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((u) => (
            <tr class={u.belowMinimum ? 'below-min' : undefined}>
              <td>{u.code}</td>
              <td class="name">
                {u.name}
                {u.belowMinimum ? (
                  <span class="flag" title={model.belowMinimumTitle}>
                    {' '}
                    {u.belowMinimum}
                  </span>
                ) : null}
              </td>
              <td class="num">{u.respondents}</td>
              <td class="num">
                {u.index}
                {u.wideInterval ? <abbr title={model.wideTitle}> ≈</abbr> : null}
                {u.ci ? <span class="ci">{u.ci}</span> : null}
              </td>
              {u.prev !== null ? <td class="num">{u.prev}</td> : null}
              {u.delta !== null ? (
                <td class="num">
                  {u.delta}
                  {u.significant ? <abbr title={model.starTitle}> *</abbr> : null}
                  {u.deltaCi ? <span class="ci">{u.deltaCi}</span> : null}
                  {u.untestable ? <span class="ci">{u.untestable}</span> : null}
                </td>
              ) : null}
              <td class={u.band ? `band band-${u.band}` : undefined}>{u.bandLabel}</td>
              <td class="num">{u.rank}</td>
              <td class="num">{u.points}</td>
              {u.elements.map((value) => (
                <td class="num">{value}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Search by a unit's name or code, keeping the group and sort shown (a GET form: works without JavaScript). */
function UnitSearch({ model }: { model: AnalysisPageModel }) {
  const { search } = model;
  return (
    <form class="list-search no-print" method="get" action={`${search.action}#don-vi`} role="search">
      {search.keep.map((k) => (
        <input type="hidden" name={k.name} value={k.value} />
      ))}
      <div>
        <label for="unit-q">{search.label}</label>
        <input id="unit-q" name="q" value={search.q} size={24} autocomplete="off" placeholder="ví dụ Châu Đốc, 30292" />
      </div>
      <div>
        <button type="submit">Tìm</button>{' '}
        {search.q !== '' ? (
          <a class="button secondary" href={search.clearHref}>
            Bỏ tìm
          </a>
        ) : null}
      </div>
    </form>
  );
}

function MapView({ map }: { map: MapSection }) {
  return (
    <section aria-labelledby="map-heading">
      <h2 id="map-heading">{map.heading}</h2>
      <div class="map-wrap">
        <figure class="map">{raw(map.svg)}</figure>
        <div class="map-list" tabindex={0} role="region" aria-labelledby="map-list-heading">
          <h3 id="map-list-heading">{map.listHeading}</h3>
          <table>
            <thead>
              <tr>
                <th scope="col">Mã</th>
                <th scope="col">Tên</th>
                <th scope="col" class="num">Chỉ số</th>
                <th scope="col">Mức</th>
              </tr>
            </thead>
            <tbody>
              {map.rows.map((r) => (
                <tr>
                  <td>{r.code}</td>
                  <td>{r.name}</td>
                  <td class="num">{r.index}</td>
                  <td class={r.band ? `band band-${r.band}` : undefined}>{r.bandLabel}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
      {map.withoutShape ? <p class="without-shape">{map.withoutShape}</p> : null}
    </section>
  );
}

function BoundariesForm({ panel, user }: { panel: BoundariesPanel; user: PageUser | null }) {
  return (
    <section class="no-print" id="ranh-gioi" aria-labelledby="boundaries-heading">
      <h2 id="boundaries-heading">{panel.heading}</h2>
      <p>{panel.status}</p>
      {panel.findings.map((f) => (
        <details class="findings">
          <summary>{f.label}</summary>
          <ul>
            {f.items.map((item) => (
              <li>{item}</li>
            ))}
          </ul>
        </details>
      ))}
      <form method="post" action={withFormToken(panel.action, user)} enctype="multipart/form-data">
        <label for="boundaries-file">Tệp GeoJSON</label>
        <input id="boundaries-file" type="file" name="file" accept=".geojson,.json,application/geo+json,application/json" required />{' '}
        <button type="submit">Nhập ranh giới</button>
      </form>
    </section>
  );
}

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
.map-wrap{display:grid;grid-template-columns:minmax(0,3fr) minmax(18rem,2fr);gap:1rem;align-items:start}
figure.map{margin:0}
.map-list{max-height:42rem;overflow:auto;border:1px solid #ddd;padding:0 .5rem}
.map-list h3{margin:.5rem 0;font-size:1rem}
.map-list table{font-size:.85rem}
.map-list td.num{white-space:nowrap}
p.without-shape{font-size:.95rem}
details.findings ul{columns:2 20rem;font-size:.9rem}
@media (max-width:60rem){.map-wrap{grid-template-columns:1fr}}
@media print{.map-wrap{grid-template-columns:1fr}.map-list{max-height:none;overflow:visible;border:0}}
`;

export function AnalysisPage(props: {
  wave: { year: number; name: string };
  results: WaveResults;
  /**
   * ISO time the results were computed. They are served again while nothing they come from
   * has changed, so this says how recent they are; it is never the time of a later change.
   */
  computedAt?: string;
  /** The page address's query: ?sort=…&dir=…&kind=… */
  query: Record<string, string | undefined>;
  /** ?q= (a unit's name or code) and ?page= of the unit tables, as server/forms/list-query.ts reads them. */
  list?: { q: string; page: number };
  user: PageUser | null;
  /** Whether the person may replace last year's published indexes (shows the upload form). */
  canImport: boolean;
  publishedRows: number;
  message?: FlashMessage;
  /** The communes' map, drawn by the server; null when the wave has no boundaries matching its units. */
  map?: WaveMap | null;
  /** For administrators (who may upload boundaries): the last import, or null when none. */
  boundaries?: { last: BoundaryImportInput | null } | null;
}) {
  const { wave, user } = props;
  const model = analysisPageModel(props);
  const view = parseAnalysisView(props.query, props.results);
  const mapView = props.map && (view.kind === null || view.kind === props.map.kind) ? mapSection(props.map, props.results) : null;
  const panel = props.boundaries ? boundariesPanel(wave.year, props.boundaries.last, formatDateTime) : null;
  const uploadHint = panel !== null && !props.map && mapKindOf(props.results.units) !== null;
  return (
    <Layout title={model.title} user={user} css={PAGE_CSS + listCss} nav={{ year: wave.year, current: 'analysis' }}>
      <p class="no-print">
        <a href={`/waves/${wave.year}`}>← {wave.name}</a>
      </p>
      <h1>{model.heading}</h1>
      <Flash message={props.message} />
      <p>{model.intro}</p>
      {props.computedAt ? <p class="muted">Số liệu tính lúc {formatDateTime(props.computedAt)}, gồm mọi phiếu và thay đổi đã lưu đến lúc đó.</p> : null}
      {model.warnings.length > 0 ? (
        <div class="notes" role="status">
          <p style="margin:0">Lưu ý về số liệu:</p>
          <ul>
            {model.warnings.map((w) => (
              <li>{w}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <nav class="kinds no-print" aria-label="Lọc theo nhóm đơn vị">
        Nhóm:{' '}
        {model.kindLinks.map((link) => (
          <a href={link.href} aria-current={link.current ? 'page' : undefined}>
            {link.label}
          </a>
        ))}
      </nav>
      <h2>Kết quả chung</h2>
      <div class="groups">
        {model.groups.map((g) => (
          <GroupFigures group={g} />
        ))}
      </div>
      {mapView ? <MapView map={mapView} /> : null}
      {uploadHint ? (
        <p class="no-print">
          Chưa có bản đồ xã, phường: hãy nhập <a href="#ranh-gioi">ranh giới xã, phường (GeoJSON)</a> ở cuối trang.
        </p>
      ) : null}
      <h2 id="don-vi">Chỉ số theo đơn vị</h2>
      <p class="muted">{model.tableNote}</p>
      <UnitSearch model={model} />
      <Pager view={model.list} rowsLabel="đơn vị" />
      <EmptyList view={model.list} none="Đợt chưa có đơn vị nào." />
      {model.unitTables.map((table) => (
        <section>
          <h3>{table.heading}</h3>
          <UnitTableView table={table} model={model} />
        </section>
      ))}
      {model.list.pageCount > 1 ? <Pager view={model.list} rowsLabel="đơn vị" /> : null}
      <h2>Tải xuống</h2>
      <ul class="downloads">
        {model.downloads.map((d) => (
          <li>
            <a href={d.href}>{d.label}</a>
          </li>
        ))}
      </ul>
      {model.previousImport ? (
        <section class="no-print">
          <h2>{model.previousImport.heading}</h2>
          <p>{model.previousImport.status}</p>
          <form method="post" action={withFormToken(model.previousImport.action, user)} enctype="multipart/form-data">
            <label for="previous-file">Tệp CSV: unit_code,unit_name,index[,respondents]</label>
            <input id="previous-file" type="file" name="file" accept=".csv,text/csv" required />{' '}
            <button type="submit">Nhập</button>
          </form>
        </section>
      ) : null}
      {panel ? <BoundariesForm panel={panel} user={user} /> : null}
    </Layout>
  );
}
