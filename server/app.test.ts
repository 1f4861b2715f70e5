import { describe, expect, it } from 'vitest';
import { createTestDeps } from '../test/support/test-deps';
import { createApp } from './app';

describe('createApp', () => {
  it('has only routes that Hono’s fastest router can hold', async () => {
    // A pattern such as `/:year/analysis/:file{[a-z]+\.csv}` beside static siblings makes Hono fall
    // back to its trie router, which every request (citizens' QR submissions included) then pays for.
    const deps = await createTestDeps();
    try {
      const app = createApp(deps);
      expect((await app.request('/healthz')).status).toBe(200);
      expect((app.router as unknown as { activeRouter: { name: string } }).activeRouter.name).toBe('RegExpRouter');
    } finally {
      await deps.cleanup();
    }
  });
});
