import type { Role } from '../../server/db/schema';

export type Who = 'anonymous' | Role;
export const WHO: Who[] = ['anonymous', 'admin', 'analyst', 'clerk', 'supervisor'];

/**
 * Who may use each route (README and the routes' requireRole), and the status those who may
 * get for the request test/route-access.test.ts sends (an empty form for POSTs: refused with a
 * message, never 500).
 * A route open to everyone has `who: 'everyone'`. Anyone else gets the sign-in page (GET: 302
 * to /dang-nhap) or 401 when not signed in, 403 when signed in with another role.
 */
export const ACCESS: Record<string, { who: Role[] | 'everyone'; status: number }> = {
  'GET /healthz': { who: 'everyone', status: 200 },
  'GET /assets/:name': { who: 'everyone', status: 200 },
  'GET /dang-nhap': { who: 'everyone', status: 200 },
  'POST /dang-nhap': { who: 'everyone', status: 401 },
  'POST /dang-xuat': { who: 'everyone', status: 303 },
  'GET /': { who: 'everyone', status: 200 },
  'GET /q/:token': { who: 'everyone', status: 200 },
  'POST /q/:token': { who: 'everyone', status: 400 },
  'GET /q/:token/cam-on': { who: 'everyone', status: 200 },
  'GET /k': { who: 'everyone', status: 200 },
  'POST /k': { who: 'everyone', status: 400 },
  'GET /waves/:year': { who: 'everyone', status: 200 },
  'GET /waves/:year/audit': { who: ['admin', 'supervisor'], status: 200 },
  'GET /waves/:year/settings': { who: ['admin'], status: 200 },
  'POST /waves/:year/settings': { who: ['admin'], status: 200 },
  'POST /waves/:year/units': { who: ['admin'], status: 400 },
  'GET /waves/:year/frame': { who: ['admin', 'supervisor'], status: 200 },
  'POST /waves/:year/frame': { who: ['admin'], status: 400 },
  'GET /waves/:year/draw': { who: ['admin', 'supervisor'], status: 200 },
  'POST /waves/:year/draw': { who: ['admin'], status: 409 },
  'POST /waves/:year/draw/commit': { who: ['admin'], status: 400 },
  'GET /waves/:year/draw/commitments/:id': { who: ['admin', 'supervisor'], status: 404 },
  'GET /waves/:year/draw/record.csv': { who: ['admin', 'supervisor'], status: 200 },
  'POST /waves/:year/draw/publish': { who: ['admin'], status: 400 },
  'GET /waves/:year/draw/export.csv': { who: ['admin', 'supervisor'], status: 200 },
  'POST /waves/:year/draw/verify': { who: ['admin', 'supervisor'], status: 400 },
  'GET /waves/:year/analysis': { who: ['admin', 'analyst', 'supervisor'], status: 200 },
  'GET /waves/:year/analysis/units.json': { who: ['admin', 'analyst', 'supervisor'], status: 200 },
  'GET /waves/:year/analysis/tables.xlsx': { who: ['admin', 'analyst', 'supervisor'], status: 200 },
  'GET /waves/:year/analysis/report.html': { who: ['admin', 'analyst', 'supervisor'], status: 200 },
  'POST /waves/:year/analysis/previous': { who: ['admin', 'analyst'], status: 400 },
  'GET /waves/:year/analysis/units.csv': { who: ['admin', 'analyst', 'supervisor'], status: 200 },
  'GET /waves/:year/analysis/groups.csv': { who: ['admin', 'analyst', 'supervisor'], status: 200 },
  'GET /waves/:year/analysis/criteria.csv': { who: ['admin', 'analyst', 'supervisor'], status: 200 },
  'GET /waves/:year/analysis/tracking.csv': { who: ['admin', 'analyst', 'supervisor'], status: 200 },
  'GET /waves/:year/analysis/profile.csv': { who: ['admin', 'analyst', 'supervisor'], status: 200 },
  'GET /waves/:year/entry': { who: ['admin', 'clerk'], status: 200 },
  'GET /waves/:year/entry/lookup': { who: ['admin', 'clerk'], status: 200 },
  'POST /waves/:year/entry/forms': { who: ['admin', 'clerk'], status: 400 },
  'POST /waves/:year/entry/outcome': { who: ['admin', 'clerk'], status: 400 },
  'GET /waves/:year/entry/mismatches': { who: ['admin', 'supervisor'], status: 200 },
  'POST /waves/:year/entry/mismatches/:id': { who: ['admin', 'supervisor'], status: 409 },
  'GET /waves/:year/entry/settings': { who: ['admin'], status: 200 },
  'POST /waves/:year/entry/settings': { who: ['admin'], status: 200 },
  'GET /waves/:year/tracking': { who: ['admin', 'analyst', 'supervisor'], status: 200 },
  'GET /waves/:year/mailing': { who: ['admin'], status: 200 },
  'GET /waves/:year/mailing/manifest.csv': { who: ['admin'], status: 200 },
  'GET /waves/:year/mailing/print': { who: ['admin'], status: 200 },
  'POST /waves/:year/mailing/dispatched': { who: ['admin'], status: 303 },
  'GET /waves/:year/responses/import': { who: ['admin'], status: 200 },
  'POST /waves/:year/responses/import': { who: ['admin'], status: 400 },
};
