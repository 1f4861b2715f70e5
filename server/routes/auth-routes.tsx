import { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { validator } from 'hono/validator';
import { LoginPage } from '../../survey-web/pages/login-page';
import type { AppEnv } from '../app-env';
import { SESSION_COOKIE } from '../middleware/auth';
import { recordAudit } from '../repositories/audit';
import { authenticate, createSession, deleteSession } from '../repositories/users';

/** Only same-site relative paths, so the sign-in form cannot bounce a person to another site. */
function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export const authRoutes = new Hono<AppEnv>()
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
      const { db } = c.var.deps;
      const user = await authenticate(db, username, password);
      if (!user) {
        await recordAudit(db, { actor: username || null, action: 'auth.failed' });
        return c.html(<LoginPage error="Sai tên đăng nhập hoặc mật khẩu" next={next} />, 401);
      }
      const sessionId = await createSession(db, user.id);
      setCookie(c, SESSION_COOKIE, sessionId, { httpOnly: true, sameSite: 'Lax', path: '/', maxAge: 7 * 86_400 });
      await recordAudit(db, { actor: user.username, action: 'auth.login' });
      return c.redirect(next, 303);
    },
  )
  .post('/dang-xuat', async (c) => {
    const sessionId = getCookie(c, SESSION_COOKIE);
    if (sessionId) await deleteSession(c.var.deps.db, sessionId);
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });
