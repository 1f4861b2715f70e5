import { Hono } from 'hono';
import { HomePage } from '../../survey-web/pages/home-page';
import type { AppDeps, AppEnv } from '../app-env';
import { listWaves } from '../repositories/waves';

export function homeRoutes(deps: AppDeps) {
  return new Hono<AppEnv>().get('/', async (c) => c.html(<HomePage waves={await listWaves(deps.db)} user={c.var.user} />));
}
