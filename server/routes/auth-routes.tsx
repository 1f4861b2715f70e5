import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { validator } from 'hono/validator';
import { LoginPage } from '../../survey-web/pages/login-page';
import type { AppDeps, AppEnv } from '../app-env';
import { writeTransaction } from '../db/unit-of-work';
import { SESSION_COOKIE } from '../middleware/auth';
import { deleteSession } from '../repositories/users';
import { signIn } from '../services/accounts/sign-in';

/** Only same-site relative paths, so the sign-in form cannot bounce a person to another site. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function authRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/dang-nhap', (c) => c.html(<LoginPage next={safeNext(c.req.query('next'))} />))
    .post(
      '/dang-nhap',
      validator('form', (form) => ({
        username: String(form.username ?? '').trim(),
        password: String(form.password ?? ''),
        next: safeNext(form.next),
      })),
      async (c) => {
        const { username, password, next } = c.req.valid('form');
        const signedIn = await signIn(deps.db, username, password);
        if (!signedIn) return c.html(<LoginPage message={{ kind: 'error', text: 'Sai tên đăng nhập hoặc mật khẩu' }} next={next} />, 401);
        setCookie(c, SESSION_COOKIE, signedIn.sessionId, { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 7 * 86_400 });
        return c.redirect(next, 303);
      },
    )
    .post('/dang-xuat', async (c) => {
      const sessionId = getCookie(c, SESSION_COOKIE);
      if (sessionId) await writeTransaction(deps.db, (trx) => deleteSession(trx, sessionId));
      deleteCookie(c, SESSION_COOKIE, { path: '/' });
      return c.redirect('/', 303);
    });
}
