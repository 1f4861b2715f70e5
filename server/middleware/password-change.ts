import { createMiddleware } from 'hono/factory';
import type { AppEnv } from '../app-env';
import { UserError } from '../errors';

export const PASSWORD_PAGE = '/tai-khoan/mat-khau';

/**
 * What a person whose password an administrator set may still open: the page to replace it,
 * signing in and out, the pages' scripts, and what citizens use (which has no account anyway).
 */
const ALLOWED = /^\/(tai-khoan\/mat-khau|dang-nhap|dang-xuat|healthz|k|assets\/.*|q\/.*)$/;

/**
 * A one-time password (handed out by an administrator, so known to two people) opens nothing
 * but the page to replace it: every other page leads there, and every other post is refused.
 */
export function passwordChangeFirst() {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!c.var.user?.mustChangePassword || ALLOWED.test(c.req.path)) return next();
    if (c.req.method === 'GET') return c.redirect(PASSWORD_PAGE);
    throw new UserError('Hãy đổi mật khẩu dùng một lần trước khi làm việc khác', 403);
  });
}
