import { createMiddleware } from 'hono/factory';

/**
 * Scripts only from our own files (/assets/), never inline: an injected <script> does not run.
 * Inline styles stay allowed (the one stylesheet is inlined for citizens' slow phones, and a
 * style cannot run code). No page may be framed, so the one-button admin forms cannot be
 * clicked through a hostile page; forms post only to us.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * The headers every response gets. Staff pages and downloads (drawn lists, manifests, keyed
 * forms) must not stay in a shared or browser cache, so anything that does not say otherwise is
 * `no-store`; the few files that may be cached (the scripts) set their own Cache-Control.
 */
export function securityHeaders() {
  return createMiddleware(async (c, next) => {
    // Set before the route runs, so the response is built with them: changing the headers of a
    // finished response makes the Node adapter rebuild it, which costs every QR submission.
    // A route that needs another value (the citizen's no-referrer, the scripts' caching) sets
    // its own, which replaces these.
    c.header('content-security-policy', CONTENT_SECURITY_POLICY);
    c.header('x-frame-options', 'DENY');
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'same-origin');
    c.header('cache-control', 'no-store');
    await next();
  });
}
