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
  // Units are the draw's strata: an administrator edits them one by one until the draw.
  const editable = user?.role === 'admin' && wave.status === 'setup';
  return (
    <Layout title={`${wave.name} — SIPAS`} user={user} nav={{ year: wave.year, current: 'units' }}>
      <h1>
        {wave.name} <span class="muted">({waveStatusLabel[wave.status] ?? wave.status})</span>
      </h1>
      <Flash message={props.message} />
      {/* The wave's pages are linked from the bar under the header (Layout's nav), as on every page of the wave. */}
      {user ? null : (
        <p class="no-print">
          <a href={`/dang-nhap?next=${encodeURIComponent(`/waves/${wave.year}`)}`}>Đăng nhập</a> để mở các trang làm việc của đợt.
        </p>
      )}
      <h2>Đơn vị được khảo sát: {units.length}</h2>
      {editable && units.length > 0 ? <p class="muted no-print">Bấm vào mã của một đơn vị để sửa tên, loại hoặc đơn vị năm trước của nó.</p> : null}
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
                    <td>{editable ? <a href={`/waves/${wave.year}/units/${encodeURIComponent(u.code)}`}>{u.code}</a> : u.code}</td>
                    <td>{u.name}</td>
                    <td>{u.predecessors === null ? <span class="muted">cùng mã</span> : u.predecessors.length === 0 ? 'mới' : u.predecessors.join(', ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
      {editable ? (
        <section class="no-print">
          <h2>Nhập danh sách đơn vị</h2>
          <form method="post" action={withFormToken(`/waves/${wave.year}/units`, user)} enctype="multipart/form-data">
            <label for="units-file">Tệp CSV: unit_code,unit_name,unit_kind[,predecessors]</label>
            <input id="units-file" type="file" name="file" accept=".csv,text/csv" required />{' '}
            <button type="submit">Nhập</button>
          </form>
        </section>
      ) : null}
      {user?.role === 'admin' ? (
        <section class="no-print">
          <h2>Kết thúc đợt</h2>
          <p>
            {wave.status !== 'closed' ? (
              <a href={`/waves/${wave.year}/close`}>Khóa đợt {wave.year}</a>
            ) : (
              <a href={`/waves/${wave.year}/purge`}>Xóa dữ liệu cá nhân của đợt {wave.year}</a>
            )}
          </p>
        </section>
      ) : null}
    </Layout>
  );
}
