import { Hono } from 'hono';
import { HomePage } from '../../survey-web/pages/home-page';
import type { AppEnv } from '../app-env';
import { listWaves } from '../repositories/waves';

export const homeRoutes = new Hono<AppEnv>().get('/', async (c) => {
  const waves = await listWaves(c.var.deps.db);
  return c.html(<HomePage waves={waves} user={c.var.user} />);
});
