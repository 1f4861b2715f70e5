import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/**
 * Who is asking, for the attempt limits (`/k`, sign-in). Behind reverse proxies every request
 * comes from the proxy, so with TRUSTED_PROXY_HOPS = n the address is the one the outermost
 * trusted proxy wrote, n entries from the end of X-Forwarded-For; the entries before it are
 * whatever the client sent.
 */
export function clientAddress(c: Context, hops: number): string {
  if (hops > 0) {
    const forwarded = (c.req.header('x-forwarded-for') ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
    const address = forwarded[forwarded.length - hops];
    if (address) return address;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'unknown';
  }
}
