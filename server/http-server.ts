import type { ServerType } from '@hono/node-server';

/**
 * Lets a request be read to its end after its client has closed the connection. A browser
 * closed (or a tab left) right after the last byte of a large upload half-closes the connection
 * while the server is still reading the body it has received; by default Node then destroys the
 * request and the bytes it holds, and the frame import fails with "aborted". With this the
 * import reads them all and is recorded; only the reply has no one to go to. A body that really
 * stopped short still fails (its length is not met).
 */
export function keepRequestsOfClosedConnections(server: ServerType): void {
  // Node's http.Server option, not in its typings.
  (server as unknown as { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
}
