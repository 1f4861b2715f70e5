import type { Questionnaire } from '../../analysis/questionnaire';
import { questionnaireFields } from '../../analysis/questionnaire-fields';
import { ErrorBox, Layout, Flash, type FlashMessage, type PageUser, withFormToken } from '../layout';

/** Upload of responses collected elsewhere (SIPAS.md section 11), for administrators. */
export function ResponsesImportPage(props: {
  wave: { year: number; name: string };
  /** The wave's questionnaire: its field codes are the file's columns. */
  questionnaire: Questionnaire;
  /** Why the wave takes no more responses, or null when it does. */
  refusal: string | null;
  user: PageUser | null;
  message?: FlashMessage;
}) {
  const { wave } = props;
  const fields = questionnaireFields(props.questionnaire);
  const header = ['questionnaire_code', 'unit_code', 'channel', ...fields.map((f) => f.code)].join(',');
  return (
    <Layout title={`Nhập phiếu trả lời — ${wave.name}`} user={props.user} nav={{ year: wave.year, current: 'responsesImport' }}>
      <p>
        <a href={`/waves/${wave.year}`}>← {wave.name}</a>
      </p>
      <h1>Nhập phiếu trả lời từ tệp CSV</h1>
      <Flash message={props.message} />
      <p>Một dòng cho mỗi phiếu, dòng đầu là tiêu đề:</p>
      <pre style="white-space:pre-wrap;background:#f4f4f4;padding:.5rem">{header}</pre>
      <ul>
        <li>
          <code>questionnaire_code</code>: mã phiếu in trên thư (kiểm tra ký tự cuối); <code>channel</code> là <code>paper</code> hoặc <code>qr</code>.
        </li>
        <li>
          Phiếu thu bằng công cụ khác, không có mã phiếu: để trống <code>questionnaire_code</code>, ghi <code>unit_code</code>; kênh được ghi là «nhập
          tệp».
        </li>
        <li>Mỗi tiêu chí: 1–5, để trống nếu không ý kiến. Thông tin chung: mã hoặc tên lựa chọn; nhiều lựa chọn cách nhau bằng dấu «;».</li>
        <li>
          Tệp có lỗi thì không nhập dòng nào, mọi dòng lỗi được liệt kê. Phiếu đã có câu trả lời được tính thì dòng mới được giữ lại để xem xét; phiếu
          trả lời ít hơn mức tối thiểu được lưu là không hợp lệ. Phiếu nhập từ tệp được tính ngay, không cần nhập hai lần.
        </li>
      </ul>
      {props.refusal ? (
        <ErrorBox message={props.refusal} />
      ) : (
        <form method="post" action={withFormToken(`/waves/${wave.year}/responses/import`, props.user)} enctype="multipart/form-data">
          <label for="responses-file">Tệp CSV (UTF-8 hoặc Unicode từ Excel)</label>
          <input id="responses-file" type="file" name="file" accept=".csv,text/csv" required />{' '}
          <button type="submit">Nhập</button>
        </form>
      )}
    </Layout>
  );
}
