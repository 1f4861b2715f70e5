import { createMiddleware } from 'hono/factory';
import type { AppDeps, WaveEnv } from '../app-env';
import { findWave } from '../repositories/waves';
import { waveNotFound } from '../services/waves/wave-policy';

/**
 * Loads the wave named by `:year` once per request for every route under /waves/:year; a year
 * that is not a number or has no wave gets the 404 page before any route runs.
 */
export function loadWave(deps: Pick<AppDeps, 'db'>) {
  return createMiddleware<WaveEnv>(async (c, next) => {
    const raw = c.req.param('year') ?? '';
    const wave = /^\d{1,4}$/.test(raw) ? await findWave(deps.db, Number(raw)) : undefined;
    if (!wave) throw waveNotFound(raw);
    c.set('wave', wave);
    await next();
  });
}
