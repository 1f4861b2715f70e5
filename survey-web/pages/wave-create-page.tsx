import { FieldError, fieldErrorCss, invalid, type FieldErrors } from '../field-errors';
import { Flash, Layout, TokenField, type FlashMessage, type PageUser } from '../layout';

export interface WaveCreateValues {
  year: string;
  name: string;
  /** The year of the wave to copy from, '' for none. */
  copyFrom: string;
}

/** A new wave: its year, its name, and usually last year's units and questionnaire to start from. */
export function WaveCreatePage(props: {
  waves: { year: number; name: string; unitCount: number }[];
  values: WaveCreateValues;
  errors?: FieldErrors;
  user: PageUser | null;
  message?: FlashMessage;
}) {
  const { values, errors } = props;
  return (
    <Layout title="Tạo đợt khảo sát — SIPAS" user={props.user} css={fieldErrorCss}>
      <p>
        <a href="/admin">← Quản trị</a>
      </p>
      <h1>Tạo đợt khảo sát</h1>
      <Flash message={props.message} />
      <form method="post" action="/admin/waves/new" style="max-width:40rem">
        <TokenField user={props.user} />
        <label for="year">Năm khảo sát</label>
        <input id="year" name="year" inputmode="numeric" autocomplete="off" value={values.year} required {...invalid(errors, 'year')} />
        <FieldError errors={errors} field="year" />
        <label for="name">Tên đợt (để trống: «SIPAS năm»)</label>
        <input id="name" name="name" value={values.name} maxlength={200} style="width:100%" {...invalid(errors, 'name')} />
        <FieldError errors={errors} field="name" />
        <label for="copyFrom">Đơn vị và phiếu khảo sát</label>
        <select id="copyFrom" name="copyFrom" {...invalid(errors, 'copyFrom')}>
          {props.waves.map((w) => (
            <option value={String(w.year)} selected={values.copyFrom === String(w.year)}>
              Sao chép từ đợt {w.year} ({w.unitCount} đơn vị)
            </option>
          ))}
          <option value="" selected={values.copyFrom === ''}>
            Không sao chép: phiếu khảo sát mặc định, nhập đơn vị sau
          </option>
        </select>
        <FieldError errors={errors} field="copyFrom" />
        <p class="muted">
          Khi sao chép, mỗi đơn vị giữ mã, tên và loại, và được nối với đơn vị cùng mã của đợt được chép (để so sánh với năm trước). Đơn vị sáp nhập, đổi tên
          hay thành lập mới sửa được từng đơn vị trên trang của đợt, hoặc nhập lại cả danh sách bằng tệp CSV, cho đến khi bốc mẫu.
        </p>
        <button type="submit">Tạo đợt</button>
      </form>
    </Layout>
  );
}
