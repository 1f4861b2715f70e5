import { Layout } from '../layout';

export interface WaveSummary {
  year: number;
  name: string;
  status: string;
  unitCount: number;
}

export const waveStatusLabel: Record<string, string> = {
  setup: 'đang chuẩn bị',
  drawn: 'đã bốc mẫu',
  collecting: 'đang thu phiếu',
  closed: 'đã khóa',
};

export function HomePage(props: { waves: WaveSummary[]; user: { username: string; role: string } | null }) {
  return (
    <Layout title="SIPAS — Các đợt khảo sát" user={props.user}>
      <h1>Các đợt khảo sát</h1>
      {props.user?.role === 'admin' ? (
        <p>
          <a class="button" href="/admin/waves/new">
            Tạo đợt khảo sát
          </a>{' '}
          <a href="/admin">Quản trị</a>
        </p>
      ) : null}
      {props.waves.length === 0 ? (
        <p>Chưa có đợt khảo sát nào.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Năm</th>
              <th>Tên đợt</th>
              <th>Trạng thái</th>
              <th class="num">Số đơn vị</th>
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
                <td class="num">{w.unitCount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}
