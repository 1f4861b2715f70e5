import { formatPercent } from '../../analysis/format';
import type { CollectionCounts, UnitCollection } from '../../analysis/types';
import { Layout } from '../layout';

function rate(numerator: number, denominator: number): string {
  return denominator > 0 ? formatPercent((100 * numerator) / denominator) : '—';
}

const columns: { key: keyof CollectionCounts; label: string; title: string }[] = [
  { key: 'planned', label: 'Kế hoạch', title: 'Số phiếu chính (không kể dự phòng) của lần bốc mẫu đã công bố' },
  { key: 'drawn', label: 'Đã bốc', title: 'Phiếu chính + phiếu dự phòng' },
  { key: 'released', label: 'Phát hành', title: 'Phiếu được in và gửi: phiếu chính, và phiếu dự phòng đã thay người không phát được/từ chối' },
  { key: 'dispatched', label: 'Đã phát', title: 'Phiếu phát hành đã chuyển khỏi trạng thái "chưa phát"' },
  { key: 'undeliverable', label: 'Không phát được', title: 'Bưu điện không phát được thư' },
  { key: 'refused', label: 'Từ chối', title: 'Người được khảo sát từ chối trả lời' },
  { key: 'paperReturned', label: 'Phiếu giấy về', title: 'Phiếu giấy đã nhập (ít nhất một lần)' },
  { key: 'qrAnswered', label: 'Trả lời QR', title: 'Phiếu có câu trả lời qua mã QR' },
  { key: 'imported', label: 'Nhập tệp', title: 'Câu trả lời nhập từ tệp CSV' },
  { key: 'valid', label: 'Hợp lệ (tính)', title: 'Câu trả lời được tính vào chỉ số: câu trả lời hợp lệ đầu tiên của mỗi phiếu' },
  { key: 'review', label: 'Trùng, xem xét', title: 'Câu trả lời thứ hai cho cùng một phiếu, giữ lại để xem xét' },
  { key: 'invalid', label: 'Không hợp lệ', title: 'Trả lời ít hơn mức tối thiểu số tiêu chí' },
  { key: 'awaitingSecondPass', label: 'Chờ nhập lần 2', title: 'Nhập hai lần: phiếu mới nhập một lần' },
  { key: 'mismatched', label: 'Chờ đối chiếu', title: 'Nhập hai lần: hai lần nhập khác nhau, chờ giám sát' },
  { key: 'reservesLeft', label: 'Dự phòng còn', title: 'Phiếu dự phòng chưa dùng' },
];

export function TrackingPage(props: {
  wave: { year: number; name: string };
  user: { username: string; role: string } | null;
  rows: UnitCollection[];
  total: CollectionCounts;
}) {
  const { wave, rows, total } = props;
  const line = (r: CollectionCounts) => (
    <>
      {columns.map((c) => (
        <td class="num">{r[c.key]}</td>
      ))}
      <td class="num">{rate(r.valid, r.planned)}</td>
      <td class="num">{rate(r.responded + r.refused, r.released)}</td>
      <td class="num">{rate(r.refused, r.released)}</td>
    </>
  );
  return (
    <Layout title={`Theo dõi thu phiếu — ${wave.name}`} user={props.user} css="main{max-width:none}.wide{overflow-x:auto}th{font-size:.85rem}td.num{white-space:nowrap}td.unit{min-width:12rem}tfoot td{font-weight:700;background:#f3f6f9}">
      <h1>Theo dõi thu phiếu — {wave.name}</h1>
      <p class="muted">
        <a href={`/waves/${wave.year}`}>← Đợt {wave.year}</a> · Chỉ có số đếm, không có thông tin cá nhân.
      </p>
      <p>
        Tổng: <strong>{total.valid}</strong> câu trả lời hợp lệ trên <strong>{total.planned}</strong> phiếu kế hoạch — tỷ lệ phản hồi{' '}
        <strong>{rate(total.valid, total.planned)}</strong>.
      </p>
      <div class="wide">
      <table>
        <thead>
          <tr>
            <th>Mã</th>
            <th>Đơn vị</th>
            {columns.map((c) => (
              <th class="num" title={c.title}>
                {c.label}
              </th>
            ))}
            <th class="num" title="Hợp lệ ÷ kế hoạch">
              Tỷ lệ phản hồi
            </th>
            <th class="num" title="(Có trả lời + từ chối) ÷ phát hành">
              Tỷ lệ tiếp xúc
            </th>
            <th class="num" title="Từ chối ÷ phát hành">
              Tỷ lệ từ chối
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
            <td colspan={2}>Tổng cộng ({rows.length} đơn vị)</td>
            {line(total)}
          </tr>
        </tfoot>
      </table>
      </div>
      <h2>Định nghĩa</h2>
      <dl>
        <dt>Tỷ lệ phản hồi (so với kế hoạch)</dt>
        <dd>
          = số câu trả lời hợp lệ được tính ÷ số phiếu kế hoạch (phiếu chính). Cách tính của báo cáo SIPAS (ví dụ An Giang 2023: 671 ÷ 700 = 95,86 %); phiếu dự phòng thay
          thế không làm tăng mẫu số.
        </dd>
        <dt>Tỷ lệ tiếp xúc (kiểu AAPOR CON)</dt>
        <dd>= (số phiếu có trả lời, giấy hoặc QR, mỗi phiếu tính một lần + số từ chối) ÷ số phiếu đã phát hành. Thư không phát được là không tiếp xúc được.</dd>
        <dt>Tỷ lệ từ chối (kiểu AAPOR REF)</dt>
        <dd>= số từ chối ÷ số phiếu đã phát hành.</dd>
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
