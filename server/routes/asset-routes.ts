import { Hono } from 'hono';
import { pageScripts } from '../../survey-web/page-scripts';
import type { AppEnv } from '../app-env';

/** The pages' scripts as files (the Content-Security-Policy allows no inline script). */
export function assetRoutes() {
  return new Hono<AppEnv>().get('/assets/:name', (c) => {
    const name = c.req.param('name');
    if (!Object.hasOwn(pageScripts, name)) return c.notFound();
    return c.body(pageScripts[name as keyof typeof pageScripts](), 200, {
      'content-type': 'text/javascript; charset=utf-8',
      // Revalidated on every load: a new release's script must never meet an old page.
      'cache-control': 'no-cache',
    });
  });
}
