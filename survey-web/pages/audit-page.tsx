import { Layout } from '../layout';

export interface AuditPageEntry {
  at: string;
  actor: string | null;
  action: string;
  detail: Record<string, unknown>;
}

const actionLabel: Record<string, string> = {
  'wave.create': 'Tạo đợt',
  'wave.settings': 'Đổi quy tắc đợt',
  'wave.close': 'Khóa đợt',
  'wave.purge-personal-data': 'Xóa dữ liệu cá nhân',
  'units.import': 'Nhập đơn vị',
  'unit.edit': 'Sửa đơn vị',
  'frame.import': 'Nhập khung mẫu',
  'draw.create': 'Bốc mẫu',
  'draw.redraw': 'Bốc lại mẫu',
  'draw.publish': 'Công bố mẫu',
  'draw.verify': 'Kiểm tra lại mẫu',
  'mailing.export': 'Xuất danh sách gửi thư',
  'mailing.print': 'In thư mời',
  'mailing.dispatched': 'Đánh dấu đã gửi',
  'paper.keyed': 'Nhập phiếu giấy',
  'paper.settled': 'Giải quyết phiếu nhập lệch',
  'previous.import': 'Nhập chỉ số năm trước',
  'responses.import': 'Nhập phiếu trả lời từ tệp',
  'responses.demo': 'Phiếu trả lời mẫu',
  'wave.double-entry': 'Bật/tắt nhập hai lần',
};

function time(iso: string): string {
  return new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour12: false });
}

/**
 * What was done to a wave, by whom and when — for the administrator and for supervisors
 * checking that the draw was made once, published and not silently redone. The log holds
 * counts, codes and hashes only, never personal data.
 */
export function AuditPage(props: { wave: { year: number; name: string }; entries: AuditPageEntry[]; user: { username: string; role: string } | null }) {
  return (
    <Layout title={`Nhật ký — ${props.wave.name}`} user={props.user} nav={{ year: props.wave.year, current: 'audit' }}>
      <p>
        <a href={`/waves/${props.wave.year}`}>← {props.wave.name}</a>
      </p>
      <h1>Nhật ký thao tác đợt {props.wave.year}</h1>
      <p class="muted">{props.entries.length} thao tác gần nhất, mới nhất trước.</p>
      <table>
        <thead>
          <tr>
            <th>Thời điểm</th>
            <th>Người thực hiện</th>
            <th>Thao tác</th>
            <th>Chi tiết</th>
          </tr>
        </thead>
        <tbody>
          {props.entries.map((e) => (
            <tr>
              <td>{time(e.at)}</td>
              <td>{e.actor ?? '—'}</td>
              <td>{actionLabel[e.action] ?? e.action}</td>
              <td>
                <code style="white-space:pre-wrap;word-break:break-all">{Object.keys(e.detail).length > 0 ? JSON.stringify(e.detail) : ''}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
