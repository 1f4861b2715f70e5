import { getCookie } from 'hono/cookie';
import { createMiddleware } from 'hono/factory';
import type { AppDeps, AppEnv } from '../app-env';
import type { Role } from '../db/schema';
import { UserError } from '../errors';
import { findSessionUser, type User } from '../repositories/users';
import { formTokenFor } from './cross-site';

export const SESSION_COOKIE = 'sipas_session';

export function loadUser(deps: Pick<AppDeps, 'db'>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const sessionId = getCookie(c, SESSION_COOKIE);
    const user = sessionId ? await findSessionUser(deps.db, sessionId) : undefined;
    c.set('user', user && sessionId ? { ...user, formToken: formTokenFor(sessionId) } : null);
    await next();
  });
}

/** Pages send a person who is not signed in to the sign-in form; other requests get 401, other roles 403. */
export function requireRole(...roles: Role[]) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const user = c.var.user;
    if (!user) {
      if (c.req.method === 'GET') return c.redirect(`/dang-nhap?next=${encodeURIComponent(c.req.path)}`);
      throw notSignedIn();
    }
    if (!roles.includes(user.role)) throw new UserError(`Tài khoản ${user.username} không có quyền truy cập trang này`, 403);
    await next();
  });
}

export function notSignedIn(): UserError {
  return new UserError('Cần đăng nhập', 401);
}

/** The signed-in account, for handlers behind requireRole. */
export function signedInUser(c: { var: { user: User | null } }): User {
  if (!c.var.user) throw notSignedIn();
  return c.var.user;
}

/** The account name written to the audit log for this request. */
export function actorOf(c: { var: { user: User | null } }): string | null {
  return c.var.user?.username ?? null;
}
