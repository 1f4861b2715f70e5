import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import { HTTPException } from 'hono/http-exception';
import type { AppEnv } from '../app-env';
import type { Role } from '../db/schema';
import { findSessionUser } from '../repositories/users';

export const SESSION_COOKIE = 'sipas_session';

export const loadUser = createMiddleware<AppEnv>(async (c, next) => {
  const sessionId = getCookie(c, SESSION_COOKIE);
  c.set('user', sessionId ? ((await findSessionUser(c.var.deps.db, sessionId)) ?? null) : null);
  await next();
});

/** Pages send a person who is not signed in to the sign-in form; other roles get 403. */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const user = c.var.user;
    if (!user) {
      if (c.req.method === 'GET') return c.redirect(`/dang-nhap?next=${encodeURIComponent(c.req.path)}`);
      throw new HTTPException(401, { message: 'Cần đăng nhập' });
    }
    if (!roles.includes(user.role)) {
      throw new HTTPException(403, { message: `Tài khoản ${user.username} không có quyền truy cập trang này` });
    }
    await next();
  });
}

/**
 * Rejects form posts sent from another site. Browsers always send Origin on POST; clients
 * without it (scripts, curl) cannot be driven by a hostile page, so they pass.
 */
export const sameOriginPosts = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
    const origin = c.req.header('origin');
    if (origin && origin !== 'null') {
      const allowed = [new URL(c.req.url).origin, c.var.deps.config.publicBaseUrl];
      const host = c.req.header('host');
      if (!allowed.includes(origin) && !(host && new URL(origin).host === host)) {
        throw new HTTPException(403, { message: 'Yêu cầu gửi từ trang khác bị từ chối' });
      }
    }
  }
  await next();
});
