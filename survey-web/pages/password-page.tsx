import { FieldError, fieldErrorCss, invalid, type FieldErrors } from '../field-errors';
import { Flash, Layout, TokenField, type FlashMessage, type PageUser } from '../layout';

/** Changing one's own password; the only page open to someone signed in with a one-time password. */
export function PasswordPage(props: { user: PageUser | null; forced: boolean; minLength: number; errors?: FieldErrors; message?: FlashMessage }) {
  const { errors } = props;
  return (
    <Layout title="Đổi mật khẩu — SIPAS" user={props.user} css={fieldErrorCss}>
      <h1>Đổi mật khẩu</h1>
      <Flash message={props.message} />
      {props.forced ? (
        <p>
          Bạn đang dùng mật khẩu dùng một lần do quản trị viên cấp. Hãy đặt mật khẩu của riêng mình để tiếp tục làm việc; chỉ bạn biết mật khẩu mới.
        </p>
      ) : null}
      <form method="post" action="/tai-khoan/mat-khau" style="max-width:30rem">
        <TokenField user={props.user} />
        <label for="current">{props.forced ? 'Mật khẩu dùng một lần' : 'Mật khẩu hiện tại'}</label>
        <input id="current" name="current" type="password" autocomplete="current-password" required {...invalid(errors, 'current')} />
        <FieldError errors={errors} field="current" />
        <label for="password">Mật khẩu mới</label>
        <input
          id="password"
          name="password"
          type="password"
          autocomplete="new-password"
          minlength={props.minLength}
          required
          aria-describedby={errors?.password ? 'password-error password-hint' : 'password-hint'}
          aria-invalid={errors?.password ? 'true' : undefined}
        />
        <p class="muted" id="password-hint">
          Ít nhất {props.minLength} ký tự, khác tên đăng nhập. Một câu ngắn dễ nhớ (ví dụ ba bốn từ) vừa an toàn vừa dễ gõ.
        </p>
        <FieldError errors={errors} field="password" />
        <label for="repeat">Nhập lại mật khẩu mới</label>
        <input id="repeat" name="repeat" type="password" autocomplete="new-password" required {...invalid(errors, 'repeat')} />
        <FieldError errors={errors} field="repeat" />
        <p>
          <button type="submit">Đổi mật khẩu</button>
        </p>
      </form>
    </Layout>
  );
}
