import { Flash, Layout, type FlashMessage, type PageUser } from '../layout';
import { waveStatusLabel } from './home-page';

export interface AdminWave {
  year: number;
  name: string;
  status: string;
  personalDataPurgedAt: string | null;
}

export function vietnamTime(iso: string): string {
  return new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour12: false });
}

/** What the command line used to be needed for, from the browser: waves, accounts, closing, purging, backups. */
export function AdminPage(props: { waves: AdminWave[]; user: PageUser | null; message?: FlashMessage }) {
  return (
    <Layout title="Quản trị — SIPAS" user={props.user}>
      <h1>Quản trị</h1>
      <Flash message={props.message} />
      <h2>Đợt khảo sát</h2>
      <p>
        <a class="button" href="/admin/waves/new">
          Tạo đợt khảo sát
        </a>
      </p>
      {props.waves.length === 0 ? (
        <p>Chưa có đợt khảo sát nào.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Năm</th>
              <th>Tên đợt</th>
              <th>Trạng thái</th>
              <th>Dữ liệu cá nhân</th>
              <th>Việc cần làm</th>
            </tr>
          </thead>
          <tbody>
            {props.waves.map((w) => (
              <tr>
                <td>
                  <a href={`/waves/${w.year}`}>{w.year}</a>
                </td>
                <td>{w.name}</td>
                <td>{waveStatusLabel[w.status] ?? w.status}</td>
                <td>{w.personalDataPurgedAt ? `đã xóa lúc ${vietnamTime(w.personalDataPurgedAt)}` : 'còn lưu'}</td>
                <td>
                  {w.status !== 'closed' ? (
                    <a href={`/waves/${w.year}/close`}>Khóa đợt</a>
                  ) : w.personalDataPurgedAt ? (
                    <span class="muted">Không còn việc gì</span>
                  ) : (
                    <a href={`/waves/${w.year}/purge`}>Xóa dữ liệu cá nhân</a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Tài khoản</h2>
      <p>
        <a href="/admin/accounts">Quản lý tài khoản</a>: thêm người dùng, khóa hoặc mở khóa, cấp lại mật khẩu, giới hạn đơn vị của nhân viên bưu điện.
      </p>
      <h2>Sao lưu</h2>
      <p>
        Tải về một bản sao đầy đủ của cơ sở dữ liệu (tệp SQLite, an toàn khi hệ thống đang chạy). Nên sao lưu định kỳ, ít nhất mỗi tuần trong đợt thu phiếu.
      </p>
      <p class="error">
        Bản sao lưu chứa <strong>dữ liệu cá nhân</strong> (họ tên, địa chỉ, số điện thoại, số định danh của người được chọn, mã hồ sơ) của mọi đợt chưa xóa dữ
        liệu cá nhân. Hãy cất giữ như chính cơ sở dữ liệu: không gửi qua thư điện tử hay mạng xã hội, không để trên máy dùng chung; sau khi xóa dữ liệu cá nhân
        của một đợt, hãy hủy các bản sao lưu cũ hơn.
      </p>
      <p>
        <a class="button" href="/admin/backup">
          Tải bản sao lưu
        </a>
      </p>
      <p class="muted">
        Khôi phục từ bản sao lưu cần dừng máy chủ: <code>{'npm run sipas -- restore <tệp>'}</code>.
      </p>
    </Layout>
  );
}
