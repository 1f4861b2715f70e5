import { FieldError, fieldErrorCss, invalid, type FieldErrors } from '../field-errors';
import { Flash, Layout, TokenField, type FlashMessage, type PageUser } from '../layout';
import { vietnamTime } from './admin-page';

/**
 * Erasing a closed wave's personal data: what goes, what stays, and the phrase to type, since
 * nothing brings the data back (later backups do not hold it either).
 */
export function WavePurgePage(props: {
  wave: { year: number; name: string; status: string; personalDataPurgedAt: string | null };
  phrase: string;
  errors?: FieldErrors;
  user: PageUser | null;
  message?: FlashMessage;
}) {
  const { wave, errors } = props;
  return (
    <Layout title={`Xóa dữ liệu cá nhân đợt ${wave.year} — SIPAS`} user={props.user} css={fieldErrorCss} nav={{ year: wave.year }}>
      <h1>Xóa dữ liệu cá nhân của đợt {wave.year}</h1>
      <Flash message={props.message} />
      {wave.status !== 'closed' ? (
        <p>
          Đợt {wave.year} chưa khóa: dữ liệu cá nhân còn cần để gửi thư và thay người. Hãy <a href={`/waves/${wave.year}/close`}>khóa đợt</a> trước, khi đã hết
          hạn thu phiếu.
        </p>
      ) : (
        <>
          {wave.personalDataPurgedAt ? (
            <p class="ok">
              Dữ liệu cá nhân của đợt đã được xóa lúc {vietnamTime(wave.personalDataPurgedAt)}. Chạy lại chỉ cần khi lần trước báo chưa ghi đè xong tệp cơ sở dữ
              liệu.
            </p>
          ) : null}
          <h2>Sẽ bị xóa vĩnh viễn</h2>
          <ul>
            <li>họ tên, địa chỉ, số điện thoại và số định danh (CCCD) của mọi người được chọn;</li>
            <li>mã hồ sơ một cửa của họ (mã nối người trả lời với hồ sơ);</li>
            <li>tệp khung mẫu còn trên máy chủ, nếu có.</li>
          </ul>
          <p>
            Sau khi xóa, không in thư hay xuất danh sách gửi bưu điện được nữa, và <strong>không kiểm tra lại mẫu</strong> (đối chiếu với tệp khung mẫu) được nữa.
            Dữ liệu được ghi đè trong tệp cơ sở dữ liệu, nên các bản sao lưu tạo sau đó không còn chứa nó; hãy hủy các bản sao lưu cũ hơn.
          </p>
          <h2>Được giữ nguyên</h2>
          <ul>
            <li>mọi phiếu trả lời, chỉ số, bảng kết quả và tệp xuất;</li>
            <li>biên bản bốc mẫu (hạt giống, phân bổ, mã phiếu) và nhật ký thao tác.</li>
          </ul>
          <form method="post" action={`/waves/${wave.year}/purge`} style="max-width:40rem">
            <TokenField user={props.user} />
            <label for="confirmation">
              Để xác nhận, gõ <code>{props.phrase}</code>
            </label>
            <input id="confirmation" name="confirmation" autocomplete="off" required {...invalid(errors, 'confirmation')} />
            <FieldError errors={errors} field="confirmation" />
            <p>
              <button type="submit">Xóa dữ liệu cá nhân của đợt {wave.year}</button>
            </p>
          </form>
        </>
      )}
    </Layout>
  );
}
