import { serve, type ServerType } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app';
import type { AppDeps } from '../../server/app-env';
import { keepRequestsOfClosedConnections } from '../../server/http-server';

/**
 * The real HTTP server on loopback, serving the app built from `deps`: on a free port, or on
 * `options.port` when the caller needed the address before building the configuration (a
 * PUBLIC_BASE_URL that is the server's own, so printed QR codes open it).
 */
export async function startLiveServer(deps: AppDeps, options: { port?: number } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: createApp(deps).fetch, port: options.port ?? 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  keepRequestsOfClosedConnections(server);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
