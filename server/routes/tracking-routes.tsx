import { Hono } from 'hono';
import { UNIT_KINDS } from '../../analysis/types';
import { unitSearch } from '../../analysis/unit-search';
import { validator } from 'hono/validator';
import { PAGES } from '../../survey-web/navigation';
import { TrackingPage } from '../../survey-web/pages/tracking-page';
import type { AppDeps, WaveEnv } from '../app-env';
import { listView, readListQuery } from '../forms/list-query';
import { requireRole } from '../middleware/auth';
import { findQuestionnairesByCode } from '../repositories/list-page';
import { pageTrackingUnits, sumTracking, trackingByUnit } from '../repositories/tracking';
import { questionnaireStatusLabel } from '../services/entry/questionnaire-status-labels';

/** Questionnaires a code search lists above the table: enough to find one, never a whole unit's. */
const FOUND_LIMIT = 20;

/**
 * Response tracking per unit: counts only, so analysts may see it too. JSON on request (every
 * unit); the page shows 100 units at a time, found by unit or by one of their questionnaires'
 * codes, under the whole wave's totals.
 */
export function trackingRoutes(deps: AppDeps) {
  return new Hono<WaveEnv>().get('/', requireRole(...PAGES.tracking.roles), validator('query', readListQuery), async (c) => {
    const { wave } = c.var;
    // Every unit is counted for the totals anyway: one pass over the wave, the page taken from it.
    const rows = await trackingByUnit(deps.db, wave.year);
    const total = sumTracking(rows);
    if (c.req.header('accept')?.includes('application/json')) return c.json({ wave: wave.year, units: rows, total });
    const query = c.req.valid('query');
    // ?kind= one group of units (a merged province has 13 departments and 102 communes); ?q= also finds units by name or code.
    const kinds = UNIT_KINDS.filter((k) => rows.some((r) => r.unitKind === k));
    const kind = kinds.find((k) => k === c.req.query('kind')) ?? null;
    const matches = unitSearch(query.q);
    const named = matches ? rows.filter((r) => matches({ code: r.unitCode, name: r.unitName })).map((r) => r.unitCode) : undefined;
    const units = await pageTrackingUnits(deps.db, wave.year, query.filter, query.page, { ...(kind ? { kind } : {}), ...(named ? { named } : {}) });
    const byCode = new Map(rows.map((r) => [r.unitCode, r]));
    const found = query.filter.code ? await findQuestionnairesByCode(deps.db, wave.year, query.filter.code, FOUND_LIMIT) : [];
    return c.html(
      <TrackingPage
        wave={wave}
        user={c.var.user}
        rows={units.rows.flatMap((code) => byCode.get(code) ?? [])}
        total={total}
        unitCount={rows.length}
        list={{ ...listView(`/waves/${wave.year}/tracking`, query, units, 'bang'), ...(kind ? { params: { kind } } : {}) }}
        kinds={kinds}
        units={rows.map((r) => ({ code: r.unitCode, name: r.unitName }))}
        found={found.map((f) => ({ ...f, statusLabel: questionnaireStatusLabel[f.status] }))}
        foundLimit={FOUND_LIMIT}
      />,
    );
  });
}
