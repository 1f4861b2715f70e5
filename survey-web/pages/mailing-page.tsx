import { ErrorBox, Layout, Flash, type FlashMessage, type PageUser, TokenField } from '../layout';

export interface MailingUnitRow {
  unitCode: string;
  unitName: string;
  letters: number;
  notYetSent: number;
  reserves: number;
}

/** The administrator's mailing page: print packs, download the manifest, mark letters as sent. */
export function MailingPage(props: {
  wave: { year: number; name: string; personalDataPurgedAt: string | null };
  units: MailingUnitRow[];
  shortUrl: string;
  user: PageUser | null;
  message?: FlashMessage;
}) {
  const { wave, units } = props;
  const base = `/waves/${wave.year}/mailing`;
  const total = units.reduce((n, u) => n + u.letters, 0);
  const notYetSent = units.reduce((n, u) => n + u.notYetSent, 0);
  return (
    <Layout title={`Gửi thư mời — ${wave.name}`} user={props.user}>
      <p>
        <a href={`/waves/${wave.year}`}>← {wave.name}</a>
      </p>
      <h1>Gửi thư mời và phiếu khảo sát</h1>
      <Flash message={props.message} />
      {wave.personalDataPurgedAt ? (
        <ErrorBox message="Dữ liệu cá nhân của đợt này đã được xóa: không còn in thư hay xuất danh sách gửi được." />
      ) : (
        <>
          <p>
            {total} phiếu đã phát hành (người được chọn chính, và người dự phòng khi đã thay thế), {notYetSent} phiếu chưa đánh dấu đã gửi. Người trả lời
            bằng cách gõ địa chỉ dùng <strong>{props.shortUrl}</strong> với mã phiếu và mã truy cập in trên thư.
          </p>
          <p class="muted">
            Danh sách gửi cho bưu điện (CSV, mở được bằng Excel) có họ tên, địa chỉ, điện thoại: chỉ quản trị viên tải được, mỗi lần tải được ghi nhật
            ký. Thứ tự phát thư theo địa chỉ: tỉnh, huyện, xã, đường, số nhà. Xuất danh sách hay in thư không đổi trạng thái phiếu; sau khi giao cho bưu
            điện, bấm «Đánh dấu đã gửi».
          </p>
          <p>
            <a class="button" href={`${base}/manifest.csv`}>
              Tải danh sách gửi (tất cả)
            </a>{' '}
            <a class="button secondary" href={`${base}/manifest.csv?only=new`}>
              Chỉ phiếu chưa gửi
            </a>{' '}
            <a class="button secondary" href={`${base}/print?only=new`}>
              In thư các phiếu chưa gửi
            </a>
          </p>
          <table>
            <thead>
              <tr>
                <th>Mã</th>
                <th>Đơn vị</th>
                <th class="num">Phiếu phát hành</th>
                <th class="num">trong đó dự phòng</th>
                <th class="num">Chưa gửi</th>
                <th>In thư</th>
                <th>Đánh dấu đã gửi</th>
              </tr>
            </thead>
            <tbody>
              {units.map((u) => (
                <tr>
                  <td>{u.unitCode}</td>
                  <td>{u.unitName}</td>
                  <td class="num">{u.letters}</td>
                  <td class="num">{u.reserves}</td>
                  <td class="num">{u.notYetSent}</td>
                  <td>
                    <a href={`${base}/print?unit=${encodeURIComponent(u.unitCode)}`}>In {u.letters} thư</a>
                  </td>
                  <td>
                    {u.notYetSent > 0 ? (
                      <form class="inline" method="post" action={`${base}/dispatched`}>
                        <TokenField user={props.user} />
                        <input type="hidden" name="unit" value={u.unitCode} />
                        <button type="submit" class="secondary">
                          Đánh dấu {u.notYetSent} phiếu đã gửi
                        </button>
                      </form>
                    ) : (
                      <span class="muted">đã gửi hết</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {notYetSent > 0 ? (
            <form method="post" action={`${base}/dispatched`}>
              <TokenField user={props.user} />
              <button type="submit">Đánh dấu tất cả {notYetSent} phiếu chưa gửi là đã gửi</button>
            </form>
          ) : null}
        </>
      )}
    </Layout>
  );
}
