import { Flash, Layout, TokenField, type FlashMessage, type PageUser } from '../layout';

/** Closing a wave: what stops, what stays, and a box to tick, since it cannot be undone from here. */
export function WaveClosePage(props: { wave: { year: number; name: string; status: string }; user: PageUser | null; message?: FlashMessage }) {
  const { wave } = props;
  const closed = wave.status === 'closed';
  return (
    <Layout title={`Khóa đợt ${wave.year} — SIPAS`} user={props.user} nav={{ year: wave.year }}>
      <h1>Khóa đợt {wave.year}</h1>
      <Flash message={props.message} />
      {closed ? (
        <p>
          Đợt {wave.year} đã khóa. Bước tiếp theo khi kết quả đã chính thức: <a href={`/waves/${wave.year}/purge`}>xóa dữ liệu cá nhân</a>.
        </p>
      ) : (
        <>
          <p>Khóa đợt khi đã hết hạn thu phiếu và kết quả đã được duyệt. Sau khi khóa:</p>
          <ul>
            <li>không nhận thêm phiếu trả lời nào: mã QR và trang nhập mã của người dân báo đợt đã kết thúc;</li>
            <li>bưu điện không nhập thêm phiếu giấy, không nhập phiếu từ tệp;</li>
            <li>không bốc mẫu, nhập khung mẫu hay đổi quy tắc tính chỉ số nữa;</li>
            <li>
              kết quả, bảng biểu và tệp xuất <strong>giữ nguyên</strong> và vẫn xem, tải được;
            </li>
            <li>thư mời và danh sách gửi bưu điện vẫn in được cho đến khi xóa dữ liệu cá nhân.</li>
          </ul>
          <p>Không mở lại đợt đã khóa được từ trang web.</p>
          <form method="post" action={`/waves/${wave.year}/close`}>
            <TokenField user={props.user} />
            <label style="font-weight:400">
              <input type="checkbox" name="confirm" value="yes" required /> Tôi đã kiểm tra: đợt {wave.year} không cần nhận thêm phiếu nào
            </label>
            <p>
              <button type="submit">Khóa đợt {wave.year}</button>
            </p>
          </form>
        </>
      )}
    </Layout>
  );
}
