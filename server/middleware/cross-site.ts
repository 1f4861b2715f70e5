import { createHash, timingSafeEqual } from 'node:crypto';
import { createMiddleware } from 'hono/factory';
import type { AppDeps, AppEnv } from '../app-env';
import { UserError } from '../errors';

/** Where a state-changing request carries its form token: a hidden field, the action's query (multipart uploads, which are streamed), or a header (the entry page's script, tests). */
export const FORM_TOKEN_FIELD = '_token';
export const FORM_TOKEN_HEADER = 'x-sipas-token';

/**
 * The form token of a session: one-way from the session id (256 random bits in an httpOnly
 * cookie), so only pages served to that session carry it; it needs no storage and survives a
 * restart. Another site can make a browser send the cookie, never read a page to learn this.
 */
export function formTokenFor(sessionId: string): string {
  return createHash('sha256').update(`sipas-form-token\0${sessionId}`).digest('base64url');
}

/**
 * Citizens' posts act with no session: the QR token, or the questionnaire code with its access
 * key, is itself the secret another site cannot know; and signing in opens a session rather
 * than using one. They need no form token.
 */
const SESSIONLESS_POSTS = /^\/(q\/[^/]+|k|dang-nhap)$/;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

const REFUSED = 'Yêu cầu bị từ chối: biểu mẫu không thuộc phiên đăng nhập này (có thể được gửi từ trang khác). Hãy tải lại trang rồi gửi lại.';

/**
 * Refuses state-changing requests another site could have sent: a foreign Origin (malformed
 * ones included) is refused outright; since browsers may send `Origin: null` or none at all,
 * every post by a signed-in person must also carry the session's form token.
 */
export function crossSitePosts(deps: Pick<AppDeps, 'config'>) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const origin = c.req.header('origin');
    if (origin && origin !== 'null' && !isOwnOrigin(origin, c.req.url, c.req.header('host'), deps.config.publicBaseUrl)) {
      throw new UserError('Yêu cầu gửi từ trang khác bị từ chối', 403);
    }
    const user = c.var.user;
    if (user && !SESSIONLESS_POSTS.test(c.req.path)) {
      const sent = c.req.header(FORM_TOKEN_HEADER) ?? c.req.query(FORM_TOKEN_FIELD) ?? (await tokenField(c.req));
      if (!sent || !sameText(sent, user.formToken)) throw new UserError(REFUSED, 403);
    }
    await next();
  });
}

function isOwnOrigin(origin: string, requestUrl: string, host: string | undefined, publicBaseUrl: string): boolean {
  let sent: URL;
  try {
    sent = new URL(origin);
  } catch {
    return false;
  }
  return sent.origin === new URL(requestUrl).origin || sent.origin === new URL(publicBaseUrl).origin || (host !== undefined && sent.host === host);
}

/** The hidden field of an ordinary (urlencoded) form; the body is cached for the route's validator. */
async function tokenField(req: { header(name: string): string | undefined; parseBody(): Promise<Record<string, unknown>> }): Promise<string | undefined> {
  if (!req.header('content-type')?.toLowerCase().startsWith('application/x-www-form-urlencoded')) return undefined;
  try {
    const value = (await req.parseBody())[FORM_TOKEN_FIELD];
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
