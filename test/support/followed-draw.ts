import { expect } from 'vitest';

/**
 * A draw POSTed from the page answers 303 to the page that follows it (draw-task.ts); this
 * reads that page with `get` until the draw has ended, and returns it.
 */
export async function pageAfterDraw(response: Response, get: (path: string) => Response | Promise<Response>): Promise<string> {
  expect(response.status).toBe(303);
  const location = response.headers.get('location') ?? '';
  expect(location).toMatch(/^\/waves\/\d+\/draw\?task=\d+$/);
  let page = '';
  await expect
    .poll(
      async () => {
        page = await (await get(location)).text();
        return page.includes('id="task-progress"');
      },
      { timeout: 60_000, interval: 50 },
    )
    .toBe(false);
  return page;
}
