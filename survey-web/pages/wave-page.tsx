import { Layout, Flash, type FlashMessage, type PageUser, withFormToken } from '../layout';
import { waveStatusLabel } from './home-page';

export interface WavePageUnit {
  code: string;
  name: string;
  kind: string;
  predecessors: string[] | null;
}

export const unitKindLabel: Record<string, string> = {
  department: 'Sở, ban, ngành',
  district: 'UBND cấp huyện',
  commune: 'UBND cấp xã',
};

export function WavePage(props: {
  wave: { year: number; name: string; status: string };
  units: WavePageUnit[];
  user: PageUser | null;
  message?: FlashMessage;
}) {
  const { wave, units, user } = props;
  const kinds = ['department', 'district', 'commune'].filter((k) => units.some((u) => u.kind === k));
  return (
    <Layout title={`${wave.name} — SIPAS`} user={user}>
      <h1>
        {wave.name} <span class="muted">({waveStatusLabel[wave.status] ?? wave.status})</span>
      </h1>
      <Flash message={props.message} />
      <nav aria-label="Các bước của đợt khảo sát">
        <ul>
          <li>
            <a href={`/waves/${wave.year}`}>Đơn vị ({units.length})</a>
          </li>
          <li>
            <a href={`/waves/${wave.year}/frame`}>Khung mẫu</a>
          </li>
          <li>
            <a href={`/waves/${wave.year}/draw`}>Bốc mẫu</a>
          </li>
          <li>
            <a href={`/waves/${wave.year}/analysis`}>Kết quả</a>
          </li>
          <li>
            <a href={`/waves/${wave.year}/mailing`}>Gửi thư mời</a>
          </li>
          <li>
            <a href={`/waves/${wave.year}/entry`}>Nhập phiếu giấy (bưu điện)</a>
          </li>
          <li>
            <a href={`/waves/${wave.year}/tracking`}>Theo dõi thu phiếu</a>
          </li>
          <li>
            <a href={`/waves/${wave.year}/responses/import`}>Nhập phiếu trả lời từ tệp</a>
          </li>
          <li>
            <a href={`/waves/${wave.year}/settings`}>Quy tắc của đợt</a>
          </li>
          <li>
            <a href={`/waves/${wave.year}/audit`}>Nhật ký thao tác</a>
          </li>
        </ul>
      </nav>
      <h2>Đơn vị được khảo sát: {units.length}</h2>
      {kinds.map((kind) => {
        const ofKind = units.filter((u) => u.kind === kind);
        return (
          <section>
            <h3>
              {unitKindLabel[kind]} ({ofKind.length})
            </h3>
            <table>
              <thead>
                <tr>
                  <th>Mã</th>
                  <th>Tên đơn vị</th>
                  <th>Đơn vị năm trước</th>
                </tr>
              </thead>
              <tbody>
                {ofKind.map((u) => (
                  <tr>
                    <td>{u.code}</td>
                    <td>{u.name}</td>
                    <td>{u.predecessors === null ? <span class="muted">cùng mã</span> : u.predecessors.length === 0 ? 'mới' : u.predecessors.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
      {user?.role === 'admin' && wave.status === 'setup' ? (
        <section class="no-print">
          <h2>Nhập danh sách đơn vị</h2>
          <form method="post" action={withFormToken(`/waves/${wave.year}/units`, user)} enctype="multipart/form-data">
            <label for="units-file">Tệp CSV: unit_code,unit_name,unit_kind[,predecessors]</label>
            <input id="units-file" type="file" name="file" accept=".csv,text/csv" required />{' '}
            <button type="submit">Nhập</button>
          </form>
        </section>
      ) : null}
    </Layout>
  );
}
