import { raw } from 'hono/html';
import type { Questionnaire } from '../../analysis/questionnaire';
import { fieldSections, questionnaireFields } from '../../analysis/questionnaire-fields';
import { Layout } from '../layout';
import { scriptPath } from '../page-scripts';

/**
 * The printable mailing pack: for each released questionnaire, a letter (with the recipient's
 * address for a window envelope, the code, QR code, short address and access key) and the full
 * paper questionnaire. Each person starts on a new sheet. The questionnaire pages carry only
 * the code, never the name, so a returned form holds no personal data.
 */

const packCss = `
@page{size:A4;margin:14mm 16mm}
body{font-size:11.5pt;line-height:1.35}
main{max-width:180mm;padding:0}
.person{break-after:page;page-break-after:always}
.letter{break-after:page;page-break-after:always}
.head{display:flex;justify-content:space-between;gap:1rem;text-align:center;font-weight:700}
.head .sub{font-weight:400;font-style:italic}
.to{margin:8mm 0 6mm 85mm;min-height:28mm;border:1px dashed #999;padding:3mm 4mm}
.to .name{font-weight:700;font-size:12.5pt}
.codebox{display:flex;gap:6mm;align-items:center;border:2px solid #000;padding:4mm;margin:5mm 0;break-inside:avoid}
.codebox svg{width:38mm;height:38mm;flex:none}
.code{font:700 20pt/1.1 ui-monospace,Consolas,monospace;letter-spacing:.04em}
.key{font:700 15pt ui-monospace,Consolas,monospace}
.sign{margin:8mm 0 0 100mm;text-align:center;font-weight:700}
.form h2{font-size:12.5pt;margin:3mm 0 1mm}
.form table{margin:0 0 2mm;font-size:10.5pt}
.form th,.form td{padding:1mm 1.5mm}
.form td.box,.form th.box{text-align:center;width:12mm}
.box{font-size:13pt}
.form .opt{display:inline-block;margin:0 5mm 1mm 0}
.lines{border-bottom:1px solid #000;height:8mm}
.formcode{float:right;font:700 13pt ui-monospace,monospace;border:1.5px solid #000;padding:1mm 2mm}
.toolbar{background:#eef3f8;padding:.75rem;margin-bottom:1rem}
@media print{.toolbar{display:none}}
`;

export interface PackLetterView {
  code: string;
  unitName: string;
  role: 'primary' | 'reserve';
  applicantName: string;
  applicantType: 'individual' | 'organisation';
  address: string | null;
  qrUrl: string;
  qrSvg: string;
  accessKey: string;
}

const BOX = '☐';

export function MailingPackPage(props: {
  wave: { year: number; name: string };
  questionnaire: Questionnaire;
  letters: PackLetterView[];
  shortUrl: string;
  user: { username: string; role: string } | null;
  unitLabel: string;
}) {
  const { wave, questionnaire: q, letters } = props;
  const sections = fieldSections(questionnaireFields(q));
  return (
    <Layout title={`Thư mời và phiếu khảo sát — ${props.unitLabel} — ${wave.name}`} user={props.user} bare css={packCss}>
      <div class="toolbar">
        <strong>
          {letters.length} thư mời — {props.unitLabel}
        </strong>{' '}
        · mỗi người bắt đầu ở một trang mới; in khổ A4, một mặt (in hai mặt sẽ làm thư của người sau nằm ở mặt sau phiếu của người trước).{' '}
        <a href={`/waves/${wave.year}/mailing`}>Quay lại trang gửi thư</a>
        {letters.length > 0 ? (
          <>
            {' '}
            <button type="button" data-print hidden>
              In
            </button>
            <script src={scriptPath('print.js')} />
          </>
        ) : null}
      </div>
      {letters.length === 0 ? <p>Không có phiếu nào để in.</p> : null}
      {letters.map((letter) => {
        // How the letter addresses the recipient: a person, or an organisation that had the dossier.
        const you = letter.applicantType === 'organisation' ? 'Quý cơ quan, tổ chức' : 'Ông/Bà';
        return (
          <section class="person" data-code={letter.code}>
            <div class="letter">
              <div class="head">
                <div>
                  SỞ NỘI VỤ
                  <div class="sub">Khảo sát SIPAS {wave.year}</div>
                </div>
                <div>
                  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
                  <div class="sub">Độc lập - Tự do - Hạnh phúc</div>
                </div>
              </div>
              <div class="to">
                <div class="name">{letter.applicantName}</div>
                <div>{letter.address ?? ''}</div>
              </div>
              <p>
                Kính gửi: {letter.applicantType === 'organisation' ? null : 'Ông/Bà '}
                <strong>{letter.applicantName}</strong>
              </p>
              <p>
                Sở Nội vụ đang tổ chức khảo sát <strong>Chỉ số hài lòng về sự phục vụ hành chính (SIPAS) năm {wave.year}</strong>, nhằm lắng nghe ý
                kiến của người dân, tổ chức về chất lượng phục vụ của các cơ quan hành chính nhà nước. {you} được chọn ngẫu nhiên trong số những người
                đã giải quyết thủ tục hành chính tại <strong>{letter.unitName}</strong>.
              </p>
              <p>
                Việc trả lời là <strong>tự nguyện</strong>. Câu trả lời chỉ được tổng hợp thống kê, không gắn với tên, địa chỉ của {you}; cơ quan
                được khảo sát không biết ai đã trả lời và trả lời thế nào. Mỗi phiếu chỉ trả lời một lần, bằng một trong các cách sau:
              </p>
              <div class="codebox">
                {raw(letter.qrSvg)}
                <div>
                  <div>Mã phiếu</div>
                  <div class="code">{letter.code}</div>
                  <p style="margin:2mm 0 0">
                    <strong>1.</strong> Quét mã QR bằng điện thoại và trả lời trên điện thoại; hoặc
                    <br />
                    <strong>2.</strong> Mở <strong>{props.shortUrl}</strong>, nhập mã phiếu và mã truy cập <span class="key">{letter.accessKey}</span>; hoặc
                    <br />
                    <strong>3.</strong> Điền phiếu giấy kèm theo và gửi lại cho nhân viên bưu điện (không mất phí).
                  </p>
                </div>
              </div>
              <p>Trân trọng cảm ơn sự hợp tác của {you}.</p>
              <div class="sign">SỞ NỘI VỤ</div>
            </div>
            <div class="form">
              <div class="formcode">{letter.code}</div>
              <h1 style="font-size:13pt">{q.title}</h1>
              <p>
                Đơn vị được khảo sát: <strong>{letter.unitName}</strong>. Đánh dấu ✗ vào một ô cho mỗi tiêu chí: {q.scale.map((s) => `${s.value} = ${s.label}`).join('; ')}
                ; KYK = {q.noOpinionLabel.toLowerCase()}.
              </p>
              {sections.map((section) => (
                <>
                  <h2>{section.code ? `${section.code}. ${section.title}` : section.title}</h2>
                  {section.code ? (
                    <table>
                      <thead>
                        <tr>
                          <th>Tiêu chí</th>
                          {q.scale.map((s) => (
                            <th class="box">{s.value}</th>
                          ))}
                          <th class="box">KYK</th>
                        </tr>
                      </thead>
                      <tbody>
                        {section.fields.map((criterion) => (
                          <tr>
                            <td>
                              {criterion.code}. {criterion.label}
                            </td>
                            {[...q.scale, { value: 0 }].map(() => (
                              <td class="box">{BOX}</td>
                            ))}
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  ) : (
                    section.fields.map((field) =>
                      field.kind === 'comment' ? (
                        <div>
                          <p style="margin:2mm 0 0">
                            <strong>{field.label}:</strong>
                          </p>
                          <div class="lines" />
                          <div class="lines" />
                        </div>
                      ) : field.kind === 'scale' ? null : (
                        <p style="margin:1.5mm 0">
                          <strong>{field.label}:</strong>{' '}
                          {field.options.map((option) => (
                            <span class="opt">
                              {BOX} {option.label}
                            </span>
                          ))}
                        </p>
                      ),
                    )
                  )}
                </>
              ))}
              <p>Xin trân trọng cảm ơn! Sau khi điền, xin gấp phiếu và gửi lại cho nhân viên bưu điện.</p>
            </div>
          </section>
        );
      })}
    </Layout>
  );
}
