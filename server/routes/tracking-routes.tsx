import { Hono } from 'hono';
import { TrackingPage } from '../../survey-web/pages/tracking-page';
import type { AppDeps, WaveEnv } from '../app-env';
import { requireRole } from '../middleware/auth';
import { sumTracking, trackingByUnit } from '../repositories/tracking';

/** Response tracking per unit: counts only, so analysts may see it too. JSON on request. */
export function trackingRoutes(deps: AppDeps) {
  return new Hono<WaveEnv>().get('/', requireRole('admin', 'supervisor', 'analyst'), async (c) => {
    const { wave } = c.var;
    const rows = await trackingByUnit(deps.db, wave.year);
    const total = sumTracking(rows);
    if (c.req.header('accept')?.includes('application/json')) return c.json({ wave: wave.year, units: rows, total });
    return c.html(<TrackingPage wave={wave} user={c.var.user} rows={rows} total={total} />);
  });
}
