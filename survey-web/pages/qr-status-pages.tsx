import { ErrorBox, Layout } from '../layout';
import { citizenCss } from './qr-form-page';

/** The short pages a citizen may see around the QR form; none shows personal data. */

export function ThanksPage(props: { unitName: string }) {
  return (
    <Layout title="Cảm ơn ông/bà — SIPAS" bare css={citizenCss}>
      <h1>Cảm ơn ông/bà đã trả lời phiếu khảo sát</h1>
      <div class="ok" role="status">
        Phiếu trả lời về <strong>{props.unitName}</strong> đã được ghi nhận.
      </div>
      <p>Ý kiến của ông/bà giúp cơ quan nhà nước phục vụ người dân, tổ chức tốt hơn. Ông/bà không cần gửi lại phiếu giấy.</p>
    </Layout>
  );
}

export function AlreadyAnsweredPage(props: { unitName: string; laterSubmissionKept?: boolean }) {
  return (
    <Layout title="Phiếu đã được trả lời — SIPAS" bare css={citizenCss}>
      <h1>Phiếu này đã được trả lời</h1>
      <div class="ok" role="status">
        Phiếu khảo sát về <strong>{props.unitName}</strong> đã có câu trả lời. Mỗi phiếu chỉ được tính một lần.
      </div>
      {props.laterSubmissionKept ? (
        <p>Câu trả lời vừa gửi vẫn được lưu lại để cán bộ xem xét, nhưng câu trả lời được tính là câu trả lời đầu tiên.</p>
      ) : (
        <p>Cảm ơn ông/bà đã tham gia khảo sát.</p>
      )}
    </Layout>
  );
}

export function WaveClosedPage() {
  return (
    <Layout title="Đợt khảo sát đã kết thúc — SIPAS" bare css={citizenCss}>
      <h1>Đợt khảo sát đã kết thúc</h1>
      <p>Đợt khảo sát này đã kết thúc và không nhận thêm phiếu trả lời. Cảm ơn ông/bà đã quan tâm.</p>
    </Layout>
  );
}

/** Unknown or not-yet-sent token: says nothing about whether such a questionnaire exists. */
export function QrNotFoundPage() {
  return (
    <Layout title="Không tìm thấy phiếu — SIPAS" bare css={citizenCss}>
      <h1>Không tìm thấy phiếu khảo sát</h1>
      <p>Đường dẫn không đúng hoặc đã hết hiệu lực. Hãy quét lại mã QR trên thư mời, hoặc nhập mã phiếu và mã truy cập tại <a href="/k">trang nhập mã</a>.</p>
    </Layout>
  );
}

/** `/k`: for people who type the short address printed on the letter instead of scanning. */
export function ShortLinkPage(props: { code?: string; error?: string }) {
  return (
    <Layout title="Nhập mã phiếu khảo sát — SIPAS" bare css={citizenCss}>
      <h1>Trả lời phiếu khảo sát SIPAS</h1>
      <p>Nhập mã phiếu và mã truy cập in trên thư mời (không phân biệt chữ hoa, chữ thường).</p>
      {props.error ? <ErrorBox message={props.error} /> : null}
      <form method="post" action="/k">
        <label for="code">Mã phiếu (ví dụ 23-SNV-0042-7)</label>
        <input id="code" name="code" value={props.code ?? ''} autocomplete="off" autocapitalize="characters" spellcheck={false} required style="width:100%" />
        <label for="key">Mã truy cập (8 ký tự, ví dụ K7QM-4ZP2)</label>
        <input id="key" name="key" autocomplete="off" autocapitalize="characters" spellcheck={false} required style="width:100%" />
        <button class="send" type="submit">
          Mở phiếu khảo sát
        </button>
      </form>
    </Layout>
  );
}
