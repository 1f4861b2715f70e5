import { describe, expect, it } from 'vitest';
import { createTestDeps } from '../test/support/test-deps';
import { createApp } from './app';
import { createWave } from './services/waves/waves';

/** Pages, downloads, citizens' links and a form post: every route group of the app. */
const REQUESTS: [method: 'GET' | 'POST', path: string][] = [
  ['GET', '/healthz'],
  ['GET', '/'],
  ['GET', '/dang-nhap'],
  ['GET', '/waves/2023'],
  ['GET', '/waves/2023/analysis'],
  ['GET', '/waves/2023/analysis/units.csv'],
  ['GET', '/waves/2023/analysis/tables.xlsx'],
  ['GET', '/waves/2023/draw/export.csv'],
  ['GET', '/waves/2023/entry/lookup?code=x'],
  ['GET', '/waves/2023/mailing/manifest.csv'],
  ['GET', '/waves/2023/tracking'],
  ['GET', '/q/x'],
  ['GET', '/k'],
  ['POST', '/q/x'],
];

describe('createApp', () => {
  it('has only routes that Hono’s fastest router can hold', async () => {
    // A pattern such as `/:year/analysis/:file{[a-z]+\.csv}` beside static siblings makes Hono fall
    // back to its trie router, which every request (citizens' QR submissions included) then pays for.
    // The app therefore uses RegExpRouter alone, which refuses such a route by throwing (when the
    // route is added or at the first request): so creating the real app and requesting its pages is
    // enough to keep every route holdable, without looking inside Hono.
    const deps = await createTestDeps();
    try {
      await createWave(deps.db, { year: 2023, actor: 'test' });
      const app = createApp(deps);
      const failed: string[] = [];
      for (const [method, path] of REQUESTS) {
        try {
          const { status } = await app.request(path, { method });
          if (status >= 500) failed.push(`${method} ${path}: ${status}`);
        } catch (error) {
          failed.push(`${method} ${path}: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      expect(failed).toEqual([]);
      expect((await app.request('/healthz')).status).toBe(200);
    } finally {
      await deps.cleanup();
    }
  });
});
