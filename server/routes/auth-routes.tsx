import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { validator } from 'hono/validator';
import { LoginPage } from '../../survey-web/pages/login-page';
import type { AppDeps, AppEnv } from '../app-env';
import { writeTransaction } from '../db/unit-of-work';
import { SESSION_COOKIE } from '../middleware/auth';
import { clientAddress } from '../middleware/client-address';
import { deleteSession } from '../repositories/users';
import { landingPath } from '../services/accounts/landing';
import { signIn } from '../services/accounts/sign-in';

/** Longer than any account name (`user add` allows 40 characters): more is never a name, and must not reach the audit log. */
const MAX_USERNAME = 64;
const ORIGIN = 'http://sipas.invalid';

/**
 * Only paths on this site, so the sign-in form cannot bounce a person to another one. Read the
 * way a browser reads it (`/\evil.example` and `/\t/evil.example` are other sites) and sent back
 * as the parsed path, never as typed.
 */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/')) return '/';
  try {
    const url = new URL(next, ORIGIN);
    return url.origin === ORIGIN ? url.pathname + url.search + url.hash : '/';
  } catch {
    return '/';
  }
}

export function authRoutes(deps: AppDeps) {
  // Behind HTTPS the session cookie must never travel over plain HTTP.
  const secure = deps.config.publicBaseUrl.startsWith('https://');
  return new Hono<AppEnv>()
    .get('/dang-nhap', (c) => c.html(<LoginPage next={safeNext(c.req.query('next'))} />))
    .post(
      '/dang-nhap',
      validator('form', (form) => ({
        username: (typeof form.username === 'string' ? form.username : '').slice(0, MAX_USERNAME).trim(),
        password: typeof form.password === 'string' ? form.password : '',
        next: safeNext(form.next),
      })),
      async (c) => {
        const { username, password, next } = c.req.valid('form');
        const outcome = await signIn(deps.db, deps.signInLimits, { username, password, client: clientAddress(c, deps.config.trustedProxyHops) });
        switch (outcome.kind) {
          case 'too-many':
            return c.html(<LoginPage message={{ kind: 'error', text: 'Đã đăng nhập sai quá nhiều lần với tài khoản này hoặc từ máy này. Xin thử lại sau 15 phút.' }} next={next} />, 429);
          case 'wrong':
            return c.html(<LoginPage message={{ kind: 'error', text: 'Sai tên đăng nhập hoặc mật khẩu' }} next={next} />, 401);
          case 'signed-in':
            setCookie(c, SESSION_COOKIE, outcome.sessionId, { httpOnly: true, sameSite: 'Lax', secure, path: '/', maxAge: 7 * 86_400 });
            // The form's default next ('/') means no page was asked for: land where the role's work is.
            return c.redirect(next === '/' ? await landingPath(deps.db, outcome.user.role) : next, 303);
        }
      },
    )
    .post('/dang-xuat', async (c) => {
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (sessionId) await writeTransaction(deps.db, (trx) => deleteSession(trx, sessionId));
      deleteCookie(c, SESSION_COOKIE, { path: '/', secure });
      return c.redirect('/', 303);
    });
}
