import { FieldError, fieldErrorCss, invalid, type FieldErrors } from '../field-errors';
import { Flash, Layout, TokenField, type FlashMessage, type PageUser } from '../layout';
import { unitKindLabel } from './wave-page';

export interface UnitEditValues {
  name: string;
  kind: string;
  /** As typed: codes separated by commas, '' = same code, '-' = new unit. */
  predecessors: string;
}

/** The form's text for stored lineage (null = same code, [] = new unit). */
export function predecessorsText(predecessors: string[] | null): string {
  return predecessors === null ? '' : predecessors.length === 0 ? '-' : predecessors.join(', ');
}

/** One unit of a wave: its name, kind and lineage to last year's units, editable until the draw. */
export function UnitEditPage(props: {
  wave: { year: number; name: string; status: string };
  code: string;
  values: UnitEditValues;
  /** Last year's wave and its units, when the system has it: the codes lineage may name. */
  previous: { year: number; units: { code: string; name: string }[] } | null;
  errors?: FieldErrors;
  user: PageUser | null;
  message?: FlashMessage;
}) {
  const { wave, code, values, errors, previous } = props;
  const editable = wave.status === 'setup';
  return (
    <Layout title={`Đơn vị ${code} — ${wave.name}`} user={props.user} css={fieldErrorCss} nav={{ year: wave.year, current: 'units' }}>
      <p>
        <a href={`/waves/${wave.year}`}>← Đơn vị của {wave.name}</a>
      </p>
      <h1>
        Đơn vị {code} — đợt {wave.year}
      </h1>
      <Flash message={props.message} />
      {editable ? null : <p>Đợt đã bốc mẫu: danh sách đơn vị được giữ nguyên như lúc bốc, không sửa được nữa.</p>}
      <form method="post" action={`/waves/${wave.year}/units/${encodeURIComponent(code)}`} style="max-width:40rem">
        <TokenField user={props.user} />
        <fieldset disabled={!editable}>
          <legend>Mã đơn vị: {code}</legend>
          <label for="name">Tên đơn vị</label>
          <input id="name" name="name" value={values.name} required maxlength={200} style="width:100%" {...invalid(errors, 'name')} />
          <FieldError errors={errors} field="name" />
          <label for="kind">Loại đơn vị</label>
          <select id="kind" name="kind" {...invalid(errors, 'kind')}>
            {Object.entries(unitKindLabel).map(([kind, label]) => (
              <option value={kind} selected={values.kind === kind}>
                {label}
              </option>
            ))}
          </select>
          <FieldError errors={errors} field="kind" />
          <label for="predecessors">Đơn vị năm trước (mã, cách nhau bằng dấu phẩy)</label>
          <input
            id="predecessors"
            name="predecessors"
            value={values.predecessors}
            autocomplete="off"
            style="width:100%"
            aria-describedby={errors?.predecessors ? 'predecessors-error predecessors-hint' : 'predecessors-hint'}
            aria-invalid={errors?.predecessors ? 'true' : undefined}
          />
          <p class="muted" id="predecessors-hint">
            Để trống: cùng mã với năm trước. Gõ <code>-</code>: đơn vị mới thành lập (không so sánh với năm trước). Đơn vị sáp nhập: ghi mã của mọi đơn vị cũ, ví
            dụ <code>SNNPTNT, STNMT</code>.
          </p>
          <FieldError errors={errors} field="predecessors" />
        </fieldset>
        {editable ? <button type="submit">Lưu đơn vị</button> : null}
      </form>
      {previous ? (
        <details>
          <summary>
            Mã các đơn vị của đợt {previous.year} ({previous.units.length})
          </summary>
          <table>
            <thead>
              <tr>
                <th>Mã</th>
                <th>Tên đơn vị</th>
              </tr>
            </thead>
            <tbody>
              {previous.units.map((u) => (
                <tr>
                  <td>{u.code}</td>
                  <td>{u.name}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      ) : (
        <p class="muted">Hệ thống chưa có đợt {wave.year - 1}: mã năm trước không được đối chiếu.</p>
      )}
    </Layout>
  );
}
