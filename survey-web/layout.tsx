import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import { mayOpen, SITE_PAGES } from './navigation';
import { WaveNav, type WaveNavTarget } from './wave-nav';

/**
 * One small stylesheet, inlined: citizens open pages on slow phones, so no extra request and
 * no framework. Large touch targets and high contrast by default.
 */
export const baseCss = `
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1a1a1a;background:#fff}
header.top{background:#0b4f8a;color:#fff;padding:.5rem 1rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header.top a{color:#fff}
nav.wave-nav{background:#e8f0f8;border-bottom:1px solid #c5d5e6;padding:.25rem 0}
nav.wave-nav ul{list-style:none;margin:0 auto;padding:0 1rem;max-width:72rem;display:flex;flex-wrap:wrap;gap:.25rem 1.25rem}
nav.wave-nav a{display:inline-block;padding:.35rem 0}
nav.wave-nav a[aria-current]{font-weight:700;color:#1a1a1a;text-decoration:none}
main{padding:1rem;max-width:72rem;margin:0 auto}
h1{font-size:1.4rem;margin:.5rem 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #bbb;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#eef3f8}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.error{background:#fde8e8;border:1px solid #b91c1c;color:#7f1d1d;padding:.75rem;margin:1rem 0}
.ok{background:#e7f6ec;border:1px solid #15803d;color:#14532d;padding:.75rem;margin:1rem 0}
.muted{color:#555}
button,.button{font:inherit;padding:.5rem 1rem;min-height:44px;border:1px solid #0b4f8a;background:#0b4f8a;color:#fff;border-radius:4px;cursor:pointer;text-decoration:none;display:inline-block}
button.secondary,.button.secondary{background:#fff;color:#0b4f8a}
input,select,textarea{font:inherit;padding:.4rem;min-height:44px;border:1px solid #666;border-radius:4px}
label{display:block;margin:.5rem 0 .25rem;font-weight:600}
form.inline{display:inline}
fieldset{border:1px solid #bbb;margin:.75rem 0;padding:.5rem .75rem}
legend{font-weight:600}
:focus-visible{outline:3px solid #f59e0b;outline-offset:2px}
@media print{header.top,nav,.no-print{display:none}main{max-width:none;padding:0}}
`;

/** The signed-in person as pages see them; `formToken` goes into every form that changes something. */
export interface PageUser {
  username: string;
  role: string;
  formToken?: string;
}

/** Name of the form token's hidden field and query parameter (checked by server/middleware/cross-site.ts). */
const FORM_TOKEN_FIELD = '_token';

/** The session's form token as a hidden field, for every form that posts (urlencoded). */
export function TokenField({ user }: { user?: PageUser | null }) {
  return user?.formToken ? <input type="hidden" name={FORM_TOKEN_FIELD} value={user.formToken} /> : null;
}

/**
 * A file upload's action with the form token in its query: uploads are read as they arrive (a
 * frame may be 2 GB), so the token must be known before the body is.
 */
export function withFormToken(action: string, user?: PageUser | null): string {
  return user?.formToken ? `${action}${action.includes('?') ? '&' : '?'}${FORM_TOKEN_FIELD}=${encodeURIComponent(user.formToken)}` : action;
}

export interface LayoutProps {
  title: string;
  user?: PageUser | null;
  children?: Child;
  /** Extra CSS for one page (kept inline for the same reason as the base). */
  css?: string;
  /** Citizen pages drop the staff header to stay light and free of staff links. */
  bare?: boolean;
  /** A wave's staff page: the header links to that wave's pages the person's role may open. */
  nav?: WaveNavTarget;
  /** A page following a task on the server reloads itself (`url`) every `seconds`, without script. */
  refresh?: { seconds: number; url: string };
}

export function Layout({ title, user, children, css, bare, nav, refresh }: LayoutProps) {
  return (
    <>
      {raw('<!DOCTYPE html>')}
      <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {refresh ? <meta http-equiv="refresh" content={`${refresh.seconds};url=${refresh.url}`} /> : null}
        <title>{title}</title>
        <style>{raw(baseCss + (css ?? ''))}</style>
      </head>
      <body>
        {bare ? null : (
          <header class="top">
            <strong>
              <a href="/">SIPAS</a>
            </strong>
            <span>Khảo sát sự hài lòng về sự phục vụ hành chính</span>
            {mayOpen(SITE_PAGES.admin, user?.role) ? <a href={SITE_PAGES.admin.path}>{SITE_PAGES.admin.label}</a> : null}
            <span style="margin-left:auto">
              {user ? (
                <>
                  {user.username} ({roleLabel(user.role)}) <a href="/tai-khoan/mat-khau">Đổi mật khẩu</a>{' '}
                  <form class="inline" method="post" action="/dang-xuat">
                    <TokenField user={user} />
                    <button class="secondary" type="submit">
                      Đăng xuất
                    </button>
                  </form>
                </>
              ) : (
                <a href="/dang-nhap">Đăng nhập</a>
              )}
            </span>
          </header>
        )}
        {bare || !nav ? null : <WaveNav {...nav} role={user?.role} />}
        <main>{children}</main>
      </body>
      </html>
    </>
  );
}

export function roleLabel(role: string): string {
  return (
    { admin: 'quản trị', analyst: 'phân tích', clerk: 'bưu điện', supervisor: 'giám sát' } as Record<string, string>
  )[role] ?? role;
}

/** The outcome of what the person just did, shown at the top of the page it lands on. */
export interface FlashMessage {
  kind: 'ok' | 'error';
  text: string;
  /** Row-by-row problems, listed under an error. */
  details?: string[];
}

/** A refusal (bad input, wrong state) as the flash shown on the page the person stays on. */
export function errorFlash(error: { message: string; details?: string[] }): FlashMessage {
  return { kind: 'error', text: error.message, details: error.details };
}

export function Flash({ message }: { message?: FlashMessage | null }) {
  if (!message) return null;
  if (message.kind === 'error') return <ErrorBox message={message.text} details={message.details} />;
  return (
    <div class="ok" role="status">
      {message.text}
    </div>
  );
}

export function ErrorBox({ message, details }: { message: string; details?: string[] }) {
  return (
    <div class="error" role="alert">
      <p style="margin:0">{message}</p>
      {details && details.length > 0 ? (
        <ul>
          {details.slice(0, 1000).map((d) => (
            <li>{d}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
