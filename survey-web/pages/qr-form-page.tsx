import type { Questionnaire } from '../../analysis/questionnaire';
import { fieldSections, questionnaireFields, type QuestionnaireField } from '../../analysis/questionnaire-fields';
import { Layout } from '../layout';
import { scriptPath } from '../page-scripts';

/**
 * The citizen's questionnaire, opened from the QR code on a phone. One plain HTML form that
 * works without JavaScript on a slow network: no external files, no framework, only the unit
 * served and the wave are shown (never the person's name or address).
 */

export const citizenCss = `
main{max-width:40rem}
h1{font-size:1.2rem}
.nw{white-space:nowrap}
.lead{background:#eef3f8;padding:.75rem;border-radius:6px}
fieldset.el{border:0;padding:0;margin:1.25rem 0 0}
fieldset.el>legend{font-size:1.15rem;font-weight:700;color:#0b4f8a}
fieldset.q{border:1px solid #999;border-radius:6px;margin:.6rem 0;padding:.4rem .5rem .6rem}
fieldset.q>legend{font-weight:600;padding:0 .25rem}
fieldset.bad{border:2px solid #b91c1c}
.s{display:grid;grid-template-columns:repeat(5,1fr);gap:4px}
.s label,.o label{margin:0;font-weight:400;border:1px solid #777;border-radius:6px;min-height:44px;display:flex;cursor:pointer;background:#fff}
.s label{flex-direction:column;align-items:center;text-align:center;padding:4px 1px;font-size:.72rem;line-height:1.15}
.s label b{font-size:1.15rem}
.s .na{grid-column:1/-1;flex-direction:row;justify-content:center;gap:.5rem;font-size:.9rem}
.o label{align-items:center;gap:.6rem;padding:.3rem .6rem;margin:4px 0}
input[type=radio],input[type=checkbox]{width:1.2rem;height:1.2rem;min-height:0;margin:0;accent-color:#0b4f8a;flex:none}
label:has(input:checked){background:#0b4f8a;color:#fff;border-color:#0b4f8a}
label:has(input:focus-visible){outline:3px solid #f59e0b;outline-offset:1px}
label:has(input:disabled){opacity:.55}
.err{color:#b91c1c;font-weight:600;margin:.2rem 0}
textarea{width:100%;min-height:6rem}
button.send{width:100%;font-size:1.1rem;margin:1rem 0 2rem}
`;

export interface QrFormProps {
  token: string;
  code: string;
  waveName: string;
  unitName: string;
  questionnaire: Questionnaire;
  /** Fewest answered criteria for the response to count, stated up front. */
  minAnswered: number;
  /** What was posted, to keep the answers when the form comes back with messages. */
  values?: Record<string, string | string[]>;
  /** Field code → message shown next to that field. */
  problems?: Record<string, string>;
  /** A message about the whole form, shown at the top. */
  message?: string;
}

export function QrFormPage(props: QrFormProps) {
  const { questionnaire: q, values = {}, problems = {} } = props;
  const picked = (field: string) => {
    const v = values[field];
    return Array.isArray(v) ? v : v === undefined ? [] : [v];
  };
  const problemList = Object.entries(problems);
  const fields = questionnaireFields(q);
  const criteriaCount = fields.filter((f) => f.kind === 'scale').length;
  // Problems name criteria by their code (printed next to them); other fields by their wording.
  const fieldName = (code: string) => {
    const field = fields.find((f) => f.code === code);
    return field && field.kind !== 'scale' ? field.label : code;
  };
  const fieldInput = (field: QuestionnaireField) => {
    const problem = problems[field.code];
    const chosen = picked(field.code);
    switch (field.kind) {
      case 'scale':
        return (
          <fieldset class={problem ? 'q bad' : 'q'} id={`f-${field.code}`}>
            <legend>
              {field.code}. {field.label}
            </legend>
            {problem ? <p class="err">{problem}</p> : null}
            <div class="s">
              {field.options.map((option) => (
                <label>
                  <input type="radio" name={field.code} value={String(option.value)} checked={chosen[0] === String(option.value)} />
                  <b>{option.value}</b> {option.label}
                </label>
              ))}
              <label class="na">
                <input type="radio" name={field.code} value="0" checked={chosen[0] === '0'} />
                {q.noOpinionLabel}
              </label>
            </div>
          </fieldset>
        );
      case 'single':
      case 'multi':
        return (
          <fieldset class={problem ? 'q o bad' : 'q o'} id={`f-${field.code}`} data-max={field.kind === 'multi' ? field.maxChoices : undefined}>
            <legend>{field.label}</legend>
            {problem ? <p class="err">{problem}</p> : null}
            {field.options.map((option) => (
              <label>
                <input type={field.kind === 'multi' ? 'checkbox' : 'radio'} name={field.code} value={option.code} checked={chosen.includes(option.code)} />
                {option.label}
              </label>
            ))}
          </fieldset>
        );
      case 'comment':
        return (
          <div id={`f-${field.code}`}>
            <label for={field.code}>{field.label}</label>
            {problem ? <p class="err">{problem}</p> : null}
            <textarea id={field.code} name={field.code} maxlength={field.maxLength} rows={4}>
              {chosen[0] ?? ''}
            </textarea>
          </div>
        );
    }
  };
  return (
    <Layout title={`Phiếu khảo sát — ${props.unitName}`} bare css={citizenCss}>
      <h1>{q.title}</h1>
      <p class="lead">
        Đơn vị được khảo sát: <strong>{props.unitName}</strong>
        <br />
        {props.waveName} · Mã phiếu <span class="nw">{props.code}</span>
      </p>
      <p>
        Xin ông/bà cho biết mức độ hài lòng với lần giải quyết thủ tục hành chính gần đây tại đơn vị trên. Trả lời là tự nguyện; kết quả chỉ được
        tổng hợp thống kê, không gắn với tên người trả lời. Câu nào không có ý kiến, chọn «{q.noOpinionLabel}». Cần trả lời ít nhất {props.minAnswered}/
        {criteriaCount} tiêu chí để phiếu được tính.
      </p>
      {props.message || problemList.length > 0 ? (
        <div class="error" role="alert" id="loi">
          <p style="margin:0">{props.message ?? 'Phiếu chưa gửi được, xin kiểm tra lại:'}</p>
          {problemList.length > 0 ? (
            <ul>
              {problemList.map(([field, message]) => (
                <li>
                  <a href={`#f-${field}`}>
                    {fieldName(field)}: {message}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <form method="post" action={`/q/${props.token}`}>
        {values.incomplete_ok === '1' ? <input type="hidden" name="incomplete_ok" value="1" /> : null}
        {fieldSections(fields).map((section) => (
          <fieldset class="el">
            <legend>{section.code ? `${section.code}. ${section.title}` : section.title}</legend>
            {section.fields.map(fieldInput)}
          </fieldset>
        ))}
        <button class="send" type="submit">
          Gửi phiếu trả lời
        </button>
      </form>
      <script src={scriptPath('qr-form.js')} />
    </Layout>
  );
}
