import { raw } from 'hono/html';
import { formatNumber } from '../../analysis/format';
import { codeCheckCharacter } from '../../analysis/questionnaire-code';
import type { Questionnaire } from '../../analysis/questionnaire';
import { questionnaireFields, type QuestionnaireField } from '../../analysis/questionnaire-fields';
import type { KeyItem } from '../entry-keys';
import { byField, FieldError, fieldErrorCss, invalid, type FieldErrors } from '../field-errors';
import { Layout, Flash, type FlashMessage, type PageUser, TokenField } from '../layout';
import { scriptPath } from '../page-scripts';

export interface EntryPageForm {
  code: string;
  unitCode: string;
  unitName: string;
  pass: 1 | 2 | null;
  openedAt: string;
  /** Shown next to the code: the paper answers will be kept for review, or the form was marked as not coming back. */
  warning: string | null;
}

/** A refused save's problem with one item, the item named as the clerk sees it. */
export interface EntryFieldProblem {
  field: string;
  label: string;
  message: string;
}

/** The step before marking a letter undeliverable or refused. */
export interface OutcomeConfirmation {
  code: string;
  unitName: string;
  outcome: 'undeliverable' | 'refused';
  question: string;
}

export interface EntryFigures {
  enteredBy: string;
  forms: number;
  lastHour: number;
  formsPerHour: number | null;
  corrections: number;
}

export interface EntryPageProps {
  wave: { year: number; name: string; doubleEntry: boolean };
  user: PageUser;
  questionnaire: Questionnaire;
  /** The questionnaire being keyed (opened without JavaScript, or shown again after an error). */
  opened: EntryPageForm | null;
  /** Values to show again after a rejected save. */
  values?: Record<string, string | string[]>;
  typedCode?: string;
  message?: FlashMessage;
  /** A refusal of the typed code, shown next to the code field. */
  codeError?: string;
  /** A refused save's problems, each shown at its item and listed with links under the message. */
  fieldProblems?: EntryFieldProblem[];
  confirm?: OutcomeConfirmation;
  /** The code just marked undeliverable or refused: the message offers to undo it. */
  undo?: string;
  /** The wave's unit codes: the page's script knows from them when a typed code is complete. */
  unitCodes: string[];
  /** The units the clerk keys for; null = every unit. */
  clerkUnits: { code: string; name: string }[] | null;
  mine: EntryFigures | null;
  /** Every clerk's figures, for administrators. */
  everyone?: EntryFigures[];
}

const css = `
.entry-top{display:flex;gap:1rem;align-items:start;flex-wrap:wrap}
.entry-top button{margin-top:2.1rem}
.entry-top input{font-size:1.3rem;width:16rem;max-width:100%;letter-spacing:.05em;text-transform:uppercase}
.code-message{margin:.3rem 0 0;padding:.3rem .6rem;max-width:40rem}
.code-message:empty{display:none}
.code-message.error{background:#fde8e8;border:1px solid #b91c1c;color:#7f1d1d}
.code-message.warning{background:#fff4e5;border:1px solid #b45309}
.confirm{border:2px solid #b45309;background:#fff4e5;padding:.5rem 1rem;margin:1rem 0}
.confirm h2{margin-top:.25rem}
.undo{display:inline;margin-left:.5rem}
.keys{font-size:.9rem;background:#f3f6f9;border:1px solid #ccd;padding:.3rem .6rem;margin:.5rem 0}
.keys kbd{border:1px solid #888;border-radius:3px;padding:0 .3rem;background:#fff;font:inherit}
#entry-form h2{margin-top:.5rem}
fieldset.item{display:grid;grid-template-columns:12rem 1fr auto;gap:.5rem;align-items:center;margin:0;padding:.15rem .5rem;border:0;border-bottom:1px solid #ddd}
fieldset.item legend{display:contents;font-weight:400}
fieldset.item .item-code{font-weight:700;font-variant-numeric:tabular-nums}
fieldset.item.current{background:#fff4c2;outline:2px solid #f59e0b}
fieldset.item .options{display:flex;gap:.15rem;flex-wrap:wrap;justify-content:flex-end}
fieldset.item .options label{display:inline-flex;align-items:center;gap:.15rem;margin:0;font-weight:400;padding:0 .3rem;min-height:32px;border:1px solid #ccc;border-radius:3px;font-size:.9rem}
fieldset.item .options input{min-height:auto;margin:0}
fieldset.item textarea{width:100%;min-height:2.6rem;grid-column:2 / 4}
fieldset.item .field-error{grid-column:1 / -1;margin:0}
@media (max-width:40rem){fieldset.item{grid-template-columns:1fr}fieldset.item .options{justify-content:flex-start}fieldset.item textarea{grid-column:1}}
#hint{position:sticky;bottom:0;background:#fde8e8;border:1px solid #b91c1c;color:#7f1d1d;padding:.3rem .6rem;margin:.5rem 0}
#figures{font-variant-numeric:tabular-nums}
${fieldErrorCss}
`;

/** The keying items: one per field of the form, in form order. */
export function keyItems(fields: QuestionnaireField[]): KeyItem[] {
  return fields.map((field): KeyItem => {
    switch (field.kind) {
      case 'scale':
        return { code: field.code, kind: 'scale', choices: field.options.length, maxChoices: 1 };
      case 'comment':
        return { code: field.code, kind: 'comment', choices: 0, maxChoices: 0 };
      default:
        return { code: field.code, kind: field.kind, choices: field.options.length, maxChoices: field.maxChoices };
    }
  });
}

export function figuresSummary(f: EntryFigures | null): string {
  if (!f || f.forms === 0) return 'Bạn chưa nhập phiếu nào trong đợt này.';
  const rate = f.formsPerHour === null ? '—' : formatRate(f.formsPerHour);
  return `Bạn đã nhập ${f.forms} phiếu (60 phút qua: ${f.lastHour}) · tốc độ ${rate} phiếu/giờ · đã sửa ${f.corrections} trường`;
}

export function formatRate(value: number): string {
  return formatNumber(value, 1);
}

function checked(values: Record<string, string | string[]> | undefined, field: string, value: string): boolean {
  const v = values?.[field];
  return Array.isArray(v) ? v.includes(value) : v === value;
}

/** The longest code a clerk may type for these units, hyphens included (23-SGDDT-0026-A). */
/** A code of this wave and of a unit the clerk keys, as the field's example (a 2025 commune's clerk sees 25-30292-…, not 23-SNV-…). */
export function exampleCode(year: number, unitCodes: string[]): string {
  const yy = String(year % 100).padStart(2, '0');
  const unit = unitCodes[0] ?? 'SNV';
  // The 37th check symbol is never issued: take the next sequence number then.
  for (let seq = 42; ; seq++) {
    const check = codeCheckCharacter(`${yy}${unit}${String(seq).padStart(4, '0')}`);
    if (check) return `${yy}-${unit}-${String(seq).padStart(4, '0')}-${check}`;
  }
}

export function codeMaxLength(unitCodes: string[]): number {
  return Math.max(1, ...unitCodes.map((u) => u.length)) + 10;
}

export function unitScope(clerkUnits: { code: string; name: string }[] | null): string {
  if (clerkUnits === null) return 'Bạn nhập phiếu của mọi đơn vị trong đợt.';
  if (clerkUnits.length === 0) return 'Tài khoản của bạn chưa được giao đơn vị nào: hãy nhờ quản trị giao đơn vị trước khi nhập phiếu.';
  return `Bạn nhập phiếu của: ${clerkUnits.map((u) => `${u.name} (${u.code})`).join('; ')}.`;
}

/** The problems of a refused save, each linked to its item, under the refusal. */
function ProblemSummary({ text, problems }: { text: string; problems: EntryFieldProblem[] }) {
  return (
    <div class="error" role="alert">
      <p style="margin:0">{text}</p>
      <ul>
        {problems.map((p) => (
          <li>
            <a href={`#item-${p.field}`}>{p.label}</a>: {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

function Messages({ message, fieldProblems, undo, year, user }: Pick<EntryPageProps, 'message' | 'fieldProblems' | 'undo' | 'user'> & { year: number }) {
  if (message?.kind === 'error' && fieldProblems?.length) return <ProblemSummary text={message.text} problems={fieldProblems} />;
  if (message?.kind === 'ok' && undo) {
    return (
      <div class="ok" role="status">
        {message.text}
        <form class="undo" method="post" action={`/waves/${year}/entry/outcome/undo`}>
          <TokenField user={user} />
          <input type="hidden" name="code" value={undo} />
          <button type="submit" class="secondary">
            Hoàn tác
          </button>
        </form>
      </div>
    );
  }
  return <Flash message={message} />;
}

function ConfirmOutcome({ confirm, year, user }: { confirm: OutcomeConfirmation; year: number; user: PageUser }) {
  return (
    <section class="confirm" aria-labelledby="confirm-title">
      <h2 id="confirm-title">Xác nhận phiếu {confirm.code}</h2>
      <p>{confirm.question}</p>
      <form method="post" action={`/waves/${year}/entry/outcome`}>
        <TokenField user={user} />
        <input type="hidden" name="code" value={confirm.code} />
        <input type="hidden" name="outcome" value={confirm.outcome} />
        <input type="hidden" name="confirm" value="1" />
        <button type="submit" id="confirm-button" autofocus>
          {confirm.outcome === 'undeliverable' ? 'Đúng, không phát được' : 'Đúng, người nhận từ chối'} (Enter)
        </button>{' '}
        <a href={`/waves/${year}/entry?code=${encodeURIComponent(confirm.code)}`}>Không, quay lại phiếu {confirm.code}</a>
      </form>
    </section>
  );
}

export function EntryPage(props: EntryPageProps) {
  const { wave, user, questionnaire: q, opened, values } = props;
  const fields = questionnaireFields(q);
  const scaleTitle = q.scale.map((s) => `${s.value} = ${s.label}`).join('; ');
  const errors: FieldErrors = byField(props.fieldProblems);
  const codeNote = props.codeError ? { kind: 'error', text: props.codeError } : opened?.warning ? { kind: 'warning', text: opened.warning } : null;
  return (
    <Layout title={`Nhập phiếu giấy — ${wave.name}`} user={user} css={css} nav={{ year: wave.year, current: 'entry' }}>
      <h1>Nhập phiếu giấy — {wave.name}</h1>
      <p class="muted">
        <a href={`/waves/${wave.year}`}>← Đợt {wave.year}</a> · Chế độ:{' '}
        <strong>{wave.doubleEntry ? 'nhập hai lần (lần 2 đối chiếu, do người khác nhập)' : 'nhập một lần'}</strong>
        {user.role === 'admin' ? (
          <>
            {' '}
            · <a href={`/waves/${wave.year}/entry/settings`}>Cài đặt</a> · <a href={`/waves/${wave.year}/entry/mismatches`}>Phiếu chờ đối chiếu</a>
          </>
        ) : null}
      </p>
      <p id="unit-scope">{unitScope(props.clerkUnits)}</p>
      <div id="messages">
        <Messages message={props.message} fieldProblems={props.fieldProblems} undo={props.undo} year={wave.year} user={user} />
      </div>
      {props.confirm ? <ConfirmOutcome confirm={props.confirm} year={wave.year} user={user} /> : null}
      <form
        id="code-form"
        class="entry-top"
        method="get"
        action={`/waves/${wave.year}/entry`}
        data-lookup={`/waves/${wave.year}/entry/lookup`}
        data-units={props.unitCodes.join(' ')}
      >
        <div>
          <label for="code">Mã phiếu (gõ hoặc quét mã vạch)</label>
          <input
            id="code"
            name="code"
            autocomplete="off"
            spellcheck={false}
            placeholder={exampleCode(wave.year, props.unitCodes)}
            maxlength={codeMaxLength(props.unitCodes)}
            value={opened?.code ?? props.typedCode ?? ''}
            autofocus={!opened && !props.confirm}
            aria-describedby="code-message"
            aria-invalid={props.codeError ? 'true' : undefined}
          />
          <p id="code-message" class={`code-message${codeNote ? ` ${codeNote.kind}` : ''}`} aria-live="assertive">
            {codeNote?.text ?? ''}
          </p>
        </div>
        <button type="submit">Mở phiếu</button>
        <p id="figures" role="status" style="margin:0 0 .6rem">
          {figuresSummary(props.mine)}
        </p>
      </form>
      <p class="keys">
        <kbd>1</kbd>–<kbd>5</kbd> trả lời · <kbd>0</kbd> hoặc <kbd>cách</kbd> để trống · thông tin chung: số thứ tự lựa chọn · <kbd>Backspace</kbd> quay lại và xóa ·{' '}
        <kbd>Enter</kbd> lưu phiếu và sang phiếu sau · <kbd>Esc</kbd> bỏ phiếu đang mở · <kbd>Alt+K</kbd> không phát được · <kbd>Alt+T</kbd> từ chối
      </p>

      <form id="entry-form" method="post" action={`/waves/${wave.year}/entry/forms`} hidden={!opened}>
        <TokenField user={user} />
        <h2>
          Phiếu <strong id="form-code">{opened?.code}</strong> — <span id="form-unit">{opened ? `${opened.unitName} (${opened.unitCode})` : ''}</span>{' '}
          <span id="form-pass" class="muted">
            {opened?.pass ? `lần nhập ${opened.pass}${opened.pass === 2 ? ' (đối chiếu, không xem lần 1)' : ''}` : ''}
          </span>
        </h2>
        <input type="hidden" name="code" value={opened?.code ?? ''} />
        <input type="hidden" name="opened_at" value={opened?.openedAt ?? ''} />
        <input type="hidden" name="corrections" value={String(values?.corrections ?? '0')} />
        {fields.map((field) => {
          switch (field.kind) {
            case 'scale':
              return (
                <fieldset class="item" id={`item-${field.code}`} tabindex={-1} title={scaleTitle} {...invalid(errors, field.code)}>
                  <legend>
                    <span class="item-code">{field.code}</span>
                    <span>{field.label}</span>
                  </legend>
                  <span class="options">
                    {field.options.map((s) => (
                      <label title={s.label}>
                        <input type="radio" name={field.code} value={String(s.value)} checked={checked(values, field.code, String(s.value))} />
                        {s.value}
                      </label>
                    ))}
                    <label title={q.noOpinionLabel}>
                      <input type="radio" name={field.code} value="0" checked={checked(values, field.code, '0')} />0 {q.noOpinionLabel.toLowerCase()}
                    </label>
                  </span>
                  <FieldError errors={errors} field={field.code} />
                </fieldset>
              );
            case 'comment':
              return (
                <fieldset class="item" id={`item-${field.code}`} tabindex={-1}>
                  <legend>
                    <span class="item-code">{field.label}</span>
                  </legend>
                  <textarea name={field.code} aria-label={field.label} rows={2} maxlength={field.maxLength} {...invalid(errors, field.code)}>
                    {String(values?.[field.code] ?? '')}
                  </textarea>
                  <FieldError errors={errors} field={field.code} />
                </fieldset>
              );
            default:
              return (
                <fieldset class="item" id={`item-${field.code}`} tabindex={-1} {...invalid(errors, field.code)}>
                  <legend>
                    <span class="item-code">{field.label}</span>
                    <span class="muted">{field.kind === 'multi' ? `tối đa ${field.maxChoices}, 0 = xong` : ''}</span>
                  </legend>
                  <span class="options">
                    {field.options.map((option, i) => (
                      <label>
                        <input
                          type={field.kind === 'multi' ? 'checkbox' : 'radio'}
                          name={field.code}
                          value={String(i + 1)}
                          checked={checked(values, field.code, String(i + 1))}
                        />
                        {i + 1} {option.label}
                      </label>
                    ))}
                    {field.kind === 'single' ? (
                      <label>
                        <input type="radio" name={field.code} value="0" checked={checked(values, field.code, '0')} />0 trống
                      </label>
                    ) : null}
                  </span>
                  <FieldError errors={errors} field={field.code} />
                </fieldset>
              );
          }
        })}
        <p id="hint" role="alert" hidden></p>
        <p>
          <button type="submit">Lưu phiếu (Enter)</button>
        </p>
      </form>

      <form id="outcome-form" method="post" action={`/waves/${wave.year}/entry/outcome`} hidden={!opened}>
        <TokenField user={user} />
        <h2>Không có phiếu trả lời</h2>
        <input type="hidden" name="code" value={opened?.code ?? ''} />
        <p class="muted">
          Thư không phát được hoặc người được khảo sát từ chối: sau khi bạn xác nhận, phiếu dự phòng kế tiếp của đơn vị được phát hành để in. Có thể hoàn tác
          khi thư của phiếu dự phòng chưa gửi đi.
        </p>
        <button type="submit" name="outcome" value="undeliverable" class="secondary">
          Không phát được (Alt+K)
        </button>{' '}
        <button type="submit" name="outcome" value="refused" class="secondary">
          Từ chối (Alt+T)
        </button>
      </form>

      {props.everyone ? <OperatorTable figures={props.everyone} /> : null}

      <script type="application/json" id="entry-items">
        {raw(JSON.stringify(keyItems(fields)).replace(/</g, '\\u003c'))}
      </script>
      <script src={scriptPath('entry.js')} />
    </Layout>
  );
}

export function OperatorTable({ figures }: { figures: EntryFigures[] }) {
  return (
    <section>
      <h2>Năng suất người nhập</h2>
      {figures.length === 0 ? (
        <p class="muted">Chưa có phiếu nào được nhập.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Người nhập</th>
              <th class="num">Số phiếu</th>
              <th class="num">60 phút qua</th>
              <th class="num">Phiếu/giờ</th>
              <th class="num">Trường đã sửa</th>
              <th class="num">Sửa/phiếu</th>
            </tr>
          </thead>
          <tbody>
            {figures.map((f) => (
              <tr>
                <td>{f.enteredBy}</td>
                <td class="num">{f.forms}</td>
                <td class="num">{f.lastHour}</td>
                <td class="num">{f.formsPerHour === null ? '—' : formatRate(f.formsPerHour)}</td>
                <td class="num">{f.corrections}</td>
                <td class="num">{f.forms > 0 ? formatRate(f.corrections / f.forms) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p class="muted">
        Phiếu/giờ = 3600 ÷ số giây trung vị để nhập một phiếu (từ lúc mở phiếu đến lúc lưu), nên một phiếu để mở qua giờ nghỉ không làm lệch con số. Trường đã
        sửa = số lần nhấn Backspace để xóa một câu đã nhập.
      </p>
    </section>
  );
}
