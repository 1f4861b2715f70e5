import { formatPercent } from '../../analysis/format';
import { TRACKING_DEFINITIONS, trackingRates } from '../../analysis/tracking-table';
import { KIND_LABELS } from '../../analysis/tables';
import type { CollectionCounts, TrackingRates, UnitCollection, UnitKind } from '../../analysis/types';
import { Layout } from '../layout';
import { EmptyList, FoundQuestionnaires, listHref, ListSearch, listCss, Pager, type FoundQuestionnaireView, type ListView } from '../pager';

const percent = (rate: number | null) => (rate === null ? '—' : formatPercent(rate));

const ratesOf = (r: CollectionCounts): TrackingRates => trackingRates({ ...r, returned: r.responded });

const columns: { key: keyof CollectionCounts; label: string; title: string }[] = [
  { key: 'planned', label: 'Kế hoạch', title: 'Số phiếu chính mà lần bốc mẫu đã công bố dự kiến cho đơn vị' },
  { key: 'shortfall', label: 'Thiếu do khung mẫu', title: 'Phần kế hoạch không bốc được vì khung mẫu có ít người đủ điều kiện hơn' },
  { key: 'drawn', label: 'Đã bốc', title: 'Phiếu chính + phiếu dự phòng' },
  { key: 'released', label: 'Phát hành', title: 'Phiếu được in và gửi: phiếu chính, và phiếu dự phòng đã thay người không phát được/từ chối' },
  { key: 'dispatched', label: 'Đã phát', title: 'Phiếu phát hành đã chuyển khỏi trạng thái "chưa phát"' },
  { key: 'undeliverable', label: 'Không phát được', title: 'Bưu điện không phát được thư' },
  { key: 'refused', label: 'Từ chối', title: 'Người được khảo sát từ chối trả lời' },
  { key: 'paperReturned', label: 'Phiếu giấy về', title: 'Phiếu giấy đã nhập (ít nhất một lần)' },
  { key: 'qrAnswered', label: 'Trả lời QR', title: 'Phiếu có câu trả lời qua mã QR' },
  { key: 'responded', label: 'Có trả lời', title: 'Phiếu phát hành có trả lời, giấy hoặc QR, hợp lệ hay không, mỗi phiếu một lần' },
  { key: 'valid', label: 'Hợp lệ (tính)', title: 'Phiếu phát hành có câu trả lời được tính vào chỉ số: câu trả lời hợp lệ đầu tiên của phiếu' },
  { key: 'filled', label: 'Suất đạt', title: 'Suất kế hoạch có phiếu hợp lệ: phiếu chính, hoặc phiếu dự phòng đã thay nó' },
  { key: 'review', label: 'Trùng, xem xét', title: 'Câu trả lời thứ hai cho cùng một phiếu, giữ lại để xem xét' },
  { key: 'invalid', label: 'Không hợp lệ', title: 'Trả lời ít hơn mức tối thiểu số tiêu chí' },
  { key: 'awaitingSecondPass', label: 'Chờ nhập lần 2', title: 'Nhập hai lần: phiếu mới nhập một lần' },
  { key: 'mismatched', label: 'Chờ đối chiếu', title: 'Nhập hai lần: hai lần nhập khác nhau, chờ giám sát' },
  { key: 'reservesLeft', label: 'Dự phòng còn', title: 'Phiếu dự phòng chưa dùng' },
];

const rateColumns: { key: keyof TrackingRates; label: string; title: string }[] = [
  { key: 'plan', label: 'Đạt kế hoạch', title: 'Suất đạt ÷ kế hoạch' },
  { key: 'response', label: 'Phản hồi RR1', title: 'Hợp lệ ÷ phát hành' },
  { key: 'contact', label: 'Tiếp xúc CON1', title: '(Có trả lời + từ chối không trả lời) ÷ phát hành' },
  { key: 'refusal', label: 'Từ chối REF1', title: 'Từ chối không trả lời ÷ phát hành' },
];

/**
 * The table is wider than a 1280-pixel screen: it scrolls sideways inside its box, the unit's
 * name staying in view (sticky) so a figure far right can still be read against its unit.
 */
const trackingCss =
  '.kinds a{margin-right:.75rem}.kinds a[aria-current]{font-weight:700;text-decoration:none;color:#1a1a1a}main{max-width:none}.wide{overflow-x:auto}th{font-size:.85rem}td.num{white-space:nowrap}td.unit{min-width:12rem}tfoot td{font-weight:700;background:#f3f6f9}' +
  '.wide thead th:nth-child(2),.wide td.unit{position:sticky;left:0;z-index:1;background:#fff;box-shadow:2px 0 0 #bbb}.wide thead th:nth-child(2){background:#eef3f8}.wide tfoot td:first-child{position:sticky;left:0;z-index:1}';

export function TrackingPage(props: {
  wave: { year: number; name: string };
  user: { username: string; role: string } | null;
  /** The units of this page of the table. */
  rows: UnitCollection[];
  /** The whole wave's figures, whatever page is shown. */
  total: CollectionCounts;
  unitCount: number;
  /** The list's page; `list.params.kind` is the group shown, if one is. */
  list: ListView;
  /** The groups of units the wave has: links to show one group only when there are several. */
  kinds: UnitKind[];
  units: { code: string; name: string }[];
  found: FoundQuestionnaireView[];
  foundLimit: number;
}) {
  const { wave, rows, total } = props;
  const line = (r: CollectionCounts) => {
    const rates = ratesOf(r);
    return (
      <>
        {columns.map((c) => (
          <td class="num">{r[c.key]}</td>
        ))}
        {rateColumns.map((c) => (
          <td class="num">{percent(rates[c.key])}</td>
        ))}
        <td class="num">{r.imported}</td>
        <td class="num">{r.importedValid}</td>
      </>
    );
  };
  const rates = ratesOf(total);
  return (
    <Layout title={`Theo dõi thu phiếu — ${wave.name}`} user={props.user} nav={{ year: wave.year, current: 'tracking' }} css={trackingCss + listCss}>
      <h1>Theo dõi thu phiếu — {wave.name}</h1>
      <p class="muted">
        <a href={`/waves/${wave.year}`}>← Đợt {wave.year}</a> · Chỉ có số đếm, không có thông tin cá nhân.
      </p>
      <p>
        Tổng: kế hoạch <strong>{total.planned}</strong> phiếu{total.shortfall > 0 ? ` (khung mẫu thiếu ${total.shortfall} người so với kế hoạch)` : ''}, đã phát hành{' '}
        <strong>{total.released}</strong>; <strong>{total.valid}</strong> phiếu hợp lệ từ danh sách đã bốc — đạt <strong>{percent(rates.plan)}</strong> kế hoạch,
        tỷ lệ phản hồi RR1 <strong>{percent(rates.response)}</strong>.
      </p>
      {total.imported > 0 ? (
        <p>
          Ngoài danh sách: <strong>{total.imported}</strong> câu trả lời nhập không có mã phiếu (<strong>{total.importedValid}</strong> hợp lệ), tính vào chỉ số nhưng
          không vào tỷ lệ nào.
        </p>
      ) : null}
      <h2 id="bang">Theo đơn vị</h2>
      {props.kinds.length > 1 ? (
        <nav class="kinds no-print" aria-label="Lọc theo nhóm đơn vị">
          Nhóm:{' '}
          {[null, ...props.kinds].map((k) => (
            <a href={listHref({ ...props.list, params: k ? { kind: k } : {} }, 1)} aria-current={(props.list.params?.kind ?? null) === k ? 'page' : undefined}>
              {k ? KIND_LABELS[k].group : 'Tất cả'}
            </a>
          ))}
        </nav>
      ) : null}
      <ListSearch view={props.list} units={props.units} codeLabel="Tìm mã phiếu, tên hoặc mã đơn vị" />
      <FoundQuestionnaires found={props.found} limit={props.foundLimit} />
      <Pager view={props.list} rowsLabel="đơn vị" />
      <EmptyList view={props.list} none="Đợt chưa có đơn vị nào." />
      <div class="wide">
      <table id="tracking-table">
        <thead>
          <tr>
            <th>Mã</th>
            <th>Đơn vị</th>
            {columns.map((c) => (
              <th class="num" title={c.title}>
                {c.label}
              </th>
            ))}
            {rateColumns.map((c) => (
              <th class="num" title={c.title}>
                {c.label}
              </th>
            ))}
            <th class="num" title={TRACKING_DEFINITIONS.outside.text}>
              Ngoài danh sách: nhập
            </th>
            <th class="num" title={TRACKING_DEFINITIONS.outside.text}>
              Ngoài danh sách: hợp lệ
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr>
              <td>{r.unitCode}</td>
              <td class="unit">{r.unitName}</td>
              {line(r)}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td colspan={2}>Tổng cộng cả đợt ({props.unitCount} đơn vị)</td>
            {line(total)}
          </tr>
        </tfoot>
      </table>
      </div>
      {props.list.pageCount > 1 ? <Pager view={props.list} rowsLabel="đơn vị" /> : null}
      <h2>Định nghĩa</h2>
      <dl>
        {Object.values(TRACKING_DEFINITIONS).map((d) => (
          <>
            <dt>{d.label}</dt>
            <dd>= {d.text}</dd>
          </>
        ))}
        <dt>Hợp lệ</dt>
        <dd>
          câu trả lời trả lời đủ tỷ lệ tiêu chí tối thiểu của đợt; mỗi phiếu chỉ tính câu trả lời hợp lệ đầu tiên, các lần sau (QR lần hai, QR và phiếu giấy) được giữ ở
          cột "Trùng, xem xét". Khi nhập hai lần, phiếu giấy chỉ được tính sau khi hai lần nhập khớp nhau hoặc đã được giám sát đối chiếu.
        </dd>
        <dt>Đã phát</dt>
        <dd>phiếu đã phát hành và đã có trạng thái sau "chưa phát" (đã gửi, không phát được, từ chối, đã trả lời…).</dd>
      </dl>
    </Layout>
  );
}
