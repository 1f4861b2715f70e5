import { FieldError, fieldErrorCss, invalid, type FieldErrors } from '../field-errors';
import { Flash, Layout, roleLabel, TokenField, type FlashMessage, type PageUser } from '../layout';
import { vietnamTime } from './admin-page';

export interface AccountRow {
  id: number;
  username: string;
  role: string;
  unitCodes: string[] | null;
  mustChangePassword: boolean;
  disabledAt: string | null;
}

export interface AccountAddValues {
  username: string;
  role: string;
  units: string[];
}

const ROLES = ['admin', 'analyst', 'supervisor', 'clerk'];

const css = `${fieldErrorCss}
.one-time{font-size:1.1rem}
.one-time code{font-size:1.5rem;letter-spacing:.08em;background:#fff;padding:.1rem .4rem;border:1px solid #15803d}
.units{columns:16rem;margin:.5rem 0}
.units label{font-weight:400;margin:0;break-inside:avoid;display:flex;gap:.5rem;align-items:center}
.units input{min-height:0;width:1.25rem;height:1.25rem}
td form.inline{margin-right:.5rem}
details{margin-top:.25rem}`;

/** Tick boxes of the latest wave's units (none ticked = every unit). */
function UnitChoices(props: { units: { code: string; name: string }[]; checked: string[] }) {
  return (
    <div class="units">
      {props.units.map((u) => (
        <label>
          <input type="checkbox" name="units" value={u.code} checked={props.checked.includes(u.code)} /> {u.code} — {u.name}
        </label>
      ))}
    </div>
  );
}

/**
 * The accounts: who has which role, who is disabled, which units a post-office clerk keys.
 * A one-time password is shown here once, right after it was made, and never again.
 */
export function AccountsPage(props: {
  accounts: AccountRow[];
  /** The latest wave's units, for limiting clerks; null before any wave has units. */
  units: { year: number; units: { code: string; name: string }[] } | null;
  oneTimePassword?: { username: string; password: string };
  values?: AccountAddValues;
  errors?: FieldErrors;
  user: PageUser | null;
  message?: FlashMessage;
}) {
  const { user, units, errors } = props;
  const values = props.values ?? { username: '', role: 'clerk', units: [] };
  const unitList = units && units.units.length > 0 ? units : null;
  return (
    <Layout title="Tài khoản — SIPAS" user={user} css={css}>
      <p>
        <a href="/admin">← Quản trị</a>
      </p>
      <h1>Tài khoản</h1>
      <Flash message={props.message} />
      {props.oneTimePassword ? (
        <div class="ok one-time" role="status">
          <p style="margin-top:0">
            Mật khẩu dùng một lần của tài khoản <strong>{props.oneTimePassword.username}</strong>: <code>{props.oneTimePassword.password}</code>
          </p>
          <p style="margin-bottom:0">
            Mật khẩu này <strong>chỉ hiện một lần</strong> (hệ thống không lưu lại): hãy chép ngay và trao tận tay người dùng, không gửi qua mạng xã hội. Khi
            đăng nhập lần đầu, người dùng phải đặt mật khẩu của riêng mình.
          </p>
        </div>
      ) : null}
      <table>
        <thead>
          <tr>
            <th>Tên đăng nhập</th>
            <th>Vai trò</th>
            <th>Đơn vị được nhập</th>
            <th>Trạng thái</th>
            <th>Thao tác</th>
          </tr>
        </thead>
        <tbody>
          {props.accounts.map((a) => {
            const self = a.username === user?.username;
            return (
              <tr>
                <td>{a.username}</td>
                <td>{roleLabel(a.role)}</td>
                <td>{a.role !== 'clerk' ? <span class="muted">—</span> : a.unitCodes === null ? 'tất cả' : a.unitCodes.join(', ')}</td>
                <td>{a.disabledAt ? `đã khóa lúc ${vietnamTime(a.disabledAt)}` : a.mustChangePassword ? 'chờ người dùng đổi mật khẩu' : 'đang dùng'}</td>
                <td>
                  {self ? (
                    <a href="/tai-khoan/mat-khau">Đổi mật khẩu của tôi</a>
                  ) : (
                    <>
                      <form class="inline" method="post" action={`/admin/accounts/${a.id}/${a.disabledAt ? 'enable' : 'disable'}`}>
                        <TokenField user={user} />
                        <button class="secondary" type="submit" aria-label={`${a.disabledAt ? 'Mở khóa' : 'Khóa'} tài khoản ${a.username}`}>
                          {a.disabledAt ? 'Mở khóa' : 'Khóa'}
                        </button>
                      </form>
                      <form class="inline" method="post" action={`/admin/accounts/${a.id}/reset-password`}>
                        <TokenField user={user} />
                        <button class="secondary" type="submit" aria-label={`Cấp lại mật khẩu cho ${a.username}`}>
                          Cấp lại mật khẩu
                        </button>
                      </form>
                    </>
                  )}
                  {a.role === 'clerk' && unitList ? (
                    <details>
                      <summary>Giới hạn đơn vị</summary>
                      <form method="post" action={`/admin/accounts/${a.id}/units`}>
                        <TokenField user={user} />
                        <p class="muted">Đơn vị của đợt {unitList.year}. Không đánh dấu đơn vị nào: được nhập phiếu của mọi đơn vị.</p>
                        <UnitChoices units={unitList.units} checked={a.unitCodes ?? []} />
                        <button type="submit">Lưu đơn vị của {a.username}</button>
                      </form>
                    </details>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <h2>Thêm tài khoản</h2>
      <form method="post" action="/admin/accounts" style="max-width:48rem">
        <TokenField user={user} />
        <label for="username">Tên đăng nhập</label>
        <input id="username" name="username" value={values.username} autocomplete="off" required maxlength={40} {...invalid(errors, 'username')} />
        <FieldError errors={errors} field="username" />
        <p class="muted">3–40 ký tự: chữ, số, dấu chấm, gạch dưới hoặc gạch ngang, ví dụ buudien.longxuyen.</p>
        <label for="role">Vai trò</label>
        <select id="role" name="role" {...invalid(errors, 'role')}>
          {ROLES.map((role) => (
            <option value={role} selected={values.role === role}>
              {roleLabel(role)}
            </option>
          ))}
        </select>
        <FieldError errors={errors} field="role" />
        {unitList ? (
          <fieldset>
            <legend>Đơn vị được nhập phiếu (chỉ với nhân viên bưu điện; không chọn: mọi đơn vị)</legend>
            <FieldError errors={errors} field="units" />
            <UnitChoices units={unitList.units} checked={values.units} />
          </fieldset>
        ) : null}
        <p class="muted">Hệ thống tạo một mật khẩu dùng một lần và hiện nó một lần ở đầu trang sau khi thêm.</p>
        <button type="submit">Thêm tài khoản</button>
      </form>
    </Layout>
  );
}
