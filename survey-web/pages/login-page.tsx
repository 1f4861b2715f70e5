import { Flash, Layout, type FlashMessage } from '../layout';

export function LoginPage(props: { message?: FlashMessage; next?: string }) {
  return (
    <Layout title="Đăng nhập — SIPAS">
      <h1>Đăng nhập</h1>
      <Flash message={props.message} />
      <form method="post" action="/dang-nhap" style="max-width:24rem">
        <input type="hidden" name="next" value={props.next ?? '/'} />
        <label for="username">Tên đăng nhập</label>
        <input id="username" name="username" autocomplete="username" required style="width:100%" />
        <label for="password">Mật khẩu</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required style="width:100%" />
        <p>
          <button type="submit">Đăng nhập</button>
        </p>
      </form>
    </Layout>
  );
}
