import { Hono } from 'hono';
import { TrackingPage } from '../../survey-web/pages/tracking-page';
import type { AppEnv } from '../app-env';
import { requireRole } from '../middleware/auth';
import { sumTracking, trackingByUnit } from '../repositories/tracking';
import { requireWave } from '../services/waves';
import { parseYear } from './wave-routes';

/** Response tracking per unit: counts only, so analysts may see it too. JSON on request. */
export const trackingRoutes = new Hono<AppEnv>().get('/:year/tracking', requireRole('admin', 'supervisor', 'analyst'), async (c) => {
  const { db } = c.var.deps;
  const wave = await requireWave(db, parseYear(c.req.param('year')));
  const rows = await trackingByUnit(db, wave.year);
  const total = sumTracking(rows);
  if (c.req.header('accept')?.includes('application/json')) return c.json({ wave: wave.year, units: rows, total });
  return c.html(<TrackingPage wave={wave} user={c.var.user} rows={rows} total={total} />);
});
