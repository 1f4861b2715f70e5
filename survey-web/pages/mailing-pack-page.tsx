import { raw } from 'hono/html';
import type { Questionnaire } from '../../analysis/questionnaire';
import { fieldSections, questionnaireFields } from '../../analysis/questionnaire-fields';
import { Layout } from '../layout';
import { scriptPath } from '../page-scripts';
import { COMMENT_LINES, paperFormSheets, type PaperBlock } from './paper-form-sheets';

/**
 * The printable mailing pack: for each released questionnaire, a letter (with the recipient's
 * address for a window envelope, the code, QR code, short address and access key) and the
 * paper questionnaire, as A4 sheets that each fit one printed page. Every sheet is headed with
 * the code, the unit and "Tờ k/n", so a sheet that comes back alone can still be entered. The
 * questionnaire sheets never carry the name, so a returned form holds no personal data.
 */

const packCss = `
@page{size:A4;margin:14mm 16mm}
body{font-size:11pt;line-height:1.3}
main{max-width:178mm;padding:0}
.sheet{break-after:page;page-break-after:always}
@media screen{.sheet{outline:1px solid #bbb;outline-offset:5mm;margin:12mm 0 20mm}}
.sheethead{display:flex;justify-content:space-between;align-items:baseline;gap:4mm;border-bottom:1.5px solid #000;padding:0 0 1mm;margin:0 0 3mm;font-size:10pt}
.sheethead .c{font:700 12pt ui-monospace,Consolas,monospace;letter-spacing:.03em}
.sheethead .u{flex:1;text-align:center;font-weight:700}
.head{display:flex;justify-content:space-between;gap:1rem;text-align:center;font-weight:700}
.head .sub{font-weight:400;font-style:italic}
.to{margin:4mm 0 6mm 85mm;min-height:28mm;border:1px dashed #999;padding:3mm 4mm}
.to .name{font-weight:700;font-size:12.5pt}
.letter p{margin:0 0 3mm}
.codebox{display:flex;gap:6mm;align-items:center;border:2px solid #000;padding:4mm;margin:5mm 0;break-inside:avoid}
.codebox svg{width:38mm;height:38mm;flex:none}
.code{font:700 20pt/1.1 ui-monospace,Consolas,monospace;letter-spacing:.04em}
.key{font:700 15pt ui-monospace,Consolas,monospace}
.sign{margin:8mm 0 0 100mm;text-align:center;font-weight:700}
.form h1{font-size:13pt;margin:0 0 2mm}
.form h2{font-size:12pt;margin:3mm 0 1mm}
.form p{margin:0 0 2mm}
.block{break-inside:avoid;page-break-inside:avoid}
.form table{margin:0 0 1mm;font-size:10.5pt}
.form th,.form td{padding:.8mm 1.5mm}
.form td.box,.form th.box{text-align:center;width:11mm}
.box{font-size:13pt;line-height:1.2}
.form .item{margin:0 0 3mm}
.form .opt{display:inline-block;margin:0 5mm 0 0;white-space:nowrap}
.lines{border-bottom:1px solid #000;height:8.5mm}
.toolbar{background:#eef3f8;padding:.75rem;margin-bottom:1rem}
.toolbar p{margin:.25rem 0}
.address-warning{font-size:1.1rem}
@media print{.toolbar{display:none}.address-warning{break-after:page;page-break-after:always;font-size:18pt}}
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

/** Which letters a pack holds: one unit's, or the wave's (only those not yet sent). */
export interface PackFilter {
  unitCode?: string;
  notYetSent: boolean;
}

/** The address of a pack (one batch of it when `batch` is given). */
export function packHref(year: number, filter: PackFilter, batch?: number): string {
  const query = new URLSearchParams();
  if (filter.unitCode) query.set('unit', filter.unitCode);
  if (filter.notYetSent) query.set('only', 'new');
  if (batch !== undefined) query.set('batch', String(batch));
  const text = query.toString();
  return `/waves/${year}/mailing/print${text ? `?${text}` : ''}`;
}

/** The batches `total` letters print in: number (from 1) and the letters' places in the pack. */
export function packBatches(total: number, size: number): { number: number; first: number; last: number }[] {
  return Array.from({ length: Math.ceil(total / size) }, (_, i) => ({ number: i + 1, first: i * size + 1, last: Math.min((i + 1) * size, total) }));
}

/** Links to each batch of a pack: "Lô 1 (phiếu 1–50)"; the batch on screen is marked, not linked. */
export function BatchLinks(props: { year: number; filter: PackFilter; total: number; size: number; current?: number }) {
  return (
    <>
      {packBatches(props.total, props.size).map((b, i) => {
        const label = `Lô ${b.number} (phiếu ${b.first}–${b.last})`;
        return (
          <>
            {i > 0 ? ' · ' : null}
            {b.number === props.current ? (
              <strong aria-current="page" style="white-space:nowrap">
                {label}
              </strong>
            ) : (
              <a href={packHref(props.year, props.filter, b.number)} style="white-space:nowrap">
                {label}
              </a>
            )}
          </>
        );
      })}
    </>
  );
}

/** What is wrong with the address printed on the letters (from PUBLIC_BASE_URL), or null. */
export interface AddressWarning {
  url: string;
  problem: string;
}

/**
 * Printed letters cannot be called back: while the QR codes would point somewhere citizens
 * cannot reach, the mailing pages say so first, and a printed batch starts with a page saying so.
 */
export function PublicAddressWarning({ warning }: { warning: AddressWarning | null | undefined }) {
  if (!warning) return null;
  return (
    <div class="error address-warning" role="alert" style="border-width:3px">
      <p style="margin:0 0 .5rem">
        <strong>Chưa được in thư hay gửi danh sách cho bưu điện.</strong> Mã QR và đường dẫn trên thư đang trỏ tới <strong>{warning.url}</strong>: địa
        chỉ này {warning.problem}.
      </p>
      <p style="margin:0">
        Trước khi in, người quản trị máy chủ cần đặt biến môi trường <code>PUBLIC_BASE_URL</code> là địa chỉ https công khai của tỉnh (ví dụ
        https://sipas.angiang.gov.vn) rồi khởi động lại SIPAS. Thư in lúc này không dùng được (người nhận không trả lời được bằng mã QR hay đường dẫn): đừng gửi đi.
      </p>
    </div>
  );
}

const BOX = '☐';

function SheetHead(props: { code: string; unitName: string; sheet: number; sheets: number }) {
  return (
    <div class="sheethead">
      <span>
        Mã phiếu <span class="c">{props.code}</span>
      </span>
      <span class="u">{props.unitName}</span>
      <span>
        Tờ {props.sheet}/{props.sheets}
      </span>
    </div>
  );
}

function FormBlock({ block, q }: { block: PaperBlock; q: Questionnaire }) {
  if (block.kind === 'element') {
    return (
      <div class="block">
        <h2>
          {block.code}. {block.title}
        </h2>
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
            {block.criteria.map((criterion) => (
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
      </div>
    );
  }
  const { field, heading } = block;
  return (
    <div class="block">
      {heading ? <h2>{heading}</h2> : null}
      {field.kind === 'comment' ? (
        <div class="item">
          <strong>{field.label}:</strong>
          {Array.from({ length: COMMENT_LINES }, () => (
            <div class="lines" />
          ))}
        </div>
      ) : (
        <p class="item">
          <strong>{field.label}:</strong>{' '}
          {field.options.map((option) => (
            <span class="opt">
              <span class="box">{BOX}</span> {option.label}
            </span>
          ))}
        </p>
      )}
    </div>
  );
}

export function MailingPackPage(props: {
  wave: { year: number; name: string };
  questionnaire: Questionnaire;
  letters: PackLetterView[];
  shortUrl: string;
  user: { username: string; role: string } | null;
  unitLabel: string;
  filter: PackFilter;
  batch: { number: number; count: number; total: number; size: number };
  addressWarning: AddressWarning | null;
}) {
  const { wave, questionnaire: q, letters, batch } = props;
  const formSheets = paperFormSheets(fieldSections(questionnaireFields(q)));
  const sheets = 1 + formSheets.length;
  const first = (batch.number - 1) * batch.size + 1;
  return (
    <Layout title={`Thư mời và phiếu khảo sát — ${props.unitLabel} — ${wave.name}`} user={props.user} bare css={packCss}>
      <PublicAddressWarning warning={props.addressWarning} />
      <div class="toolbar">
        <p>
          <strong>
            {batch.count > 1 ? `Lô ${batch.number}/${batch.count}: thư ${first}–${first + letters.length - 1} trong ${batch.total} thư` : `${letters.length} thư mời`} —{' '}
            {props.unitLabel}
          </strong>{' '}
          · mỗi thư {sheets} tờ A4, in một mặt (in hai mặt sẽ làm thư của người sau nằm ở mặt sau phiếu của người trước).{' '}
          <a href={`/waves/${wave.year}/mailing`}>Quay lại trang gửi thư</a>
          {letters.length > 0 ? (
            <>
              {' '}
              <button type="button" data-print hidden>
                In lô này
              </button>
              <script src={scriptPath('print.js')} />
            </>
          ) : null}
        </p>
        {batch.count > 1 ? (
          <p>
            In từng lô, lần lượt: <BatchLinks year={wave.year} filter={props.filter} total={batch.total} size={batch.size} current={batch.number} />
          </p>
        ) : null}
      </div>
      {letters.length === 0 ? <p>Không có phiếu nào để in.</p> : null}
      {letters.map((letter) => {
        // How the letter addresses the recipient: a person, or an organisation that had the dossier.
        const you = letter.applicantType === 'organisation' ? 'Quý cơ quan, tổ chức' : 'Ông/Bà';
        return (
          <section class="person" data-code={letter.code}>
            <section class="sheet letter">
              <SheetHead code={letter.code} unitName={letter.unitName} sheet={1} sheets={sheets} />
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
                    <strong>3.</strong> Điền phiếu giấy kèm theo ({sheets - 1} tờ) và gửi lại cho nhân viên bưu điện (không mất phí).
                  </p>
                </div>
              </div>
              <p>Trân trọng cảm ơn sự hợp tác của {you}.</p>
              <div class="sign">SỞ NỘI VỤ</div>
            </section>
            {formSheets.map((blocks, i) => (
              <section class="sheet form">
                <SheetHead code={letter.code} unitName={letter.unitName} sheet={i + 2} sheets={sheets} />
                {i === 0 ? (
                  <>
                    <h1>{q.title}</h1>
                    <p>
                      Đơn vị được khảo sát: <strong>{letter.unitName}</strong>. Đánh dấu ✗ vào một ô cho mỗi tiêu chí: {q.scale.map((s) => `${s.value} = ${s.label}`).join('; ')}; KYK = {q.noOpinionLabel.toLowerCase()}.
                    </p>
                  </>
                ) : null}
                {blocks.map((block) => (
                  <FormBlock block={block} q={q} />
                ))}
                {i === formSheets.length - 1 ? <p>Xin trân trọng cảm ơn! Sau khi điền, xin gấp phiếu và gửi lại cho nhân viên bưu điện.</p> : null}
              </section>
            ))}
          </section>
        );
      })}
    </Layout>
  );
}
