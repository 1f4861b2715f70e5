import { Hono, type Context } from 'hono';
import { validator } from 'hono/validator';
import { waveMap } from '../../analysis/wave-map';
import { PAGES } from '../../survey-web/navigation';
import { AnalysisPage } from '../../survey-web/pages/analysis-page';
import { errorFlash, type FlashMessage } from '../../survey-web/layout';
import type { AppDeps, WaveEnv } from '../app-env';
import type { Role } from '../db/schema';
import { writeTransaction } from '../db/unit-of-work';
import { UserError } from '../errors';
import { readListQuery } from '../forms/list-query';
import { actorOf, requireRole } from '../middleware/auth';
import {
  contentDisposition,
  TABLE_NAMES,
  unitTableJson,
  vietnameseUnitCsvFile,
  type ExportFile,
  type ExportRequest,
} from '../services/results/analysis-exports';
import { importBoundaries } from '../services/results/boundaries-import';
import { importPreviousIndexes } from '../services/results/previous-import';

/** Results hold no personal data, but they are the wave's unpublished figures: staff only, not clerks. */
const canView = requireRole(...PAGES.analysis.roles);
const IMPORT_ROLES: Role[] = ['admin', 'analyst'];
/** The map's outlines are set up with the wave, by whoever sets up waves. */
const BOUNDARY_ROLES: Role[] = ['admin'];

const uploadedFile = validator('form', (form) => ({ file: form.file instanceof File && form.file.size > 0 ? form.file : null }));

function download(c: Context<WaveEnv>, file: ExportFile, disposition: 'attachment' | 'inline' = 'attachment') {
  return c.body(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), 200, {
    'content-type': file.contentType,
    'content-disposition': contentDisposition(file.fileName, disposition),
    'cache-control': 'no-store',
  });
}

async function exportOf(deps: AppDeps, c: Context<WaveEnv>, request: Omit<ExportRequest, 'subtitle' | 'boundaries'>) {
  const snapshot = await deps.results.get(c.var.wave.year);
  const subtitle = `${snapshot.wave.name} — lập ngày ${new Date().toLocaleDateString('vi-VN')}`;
  return deps.results.exportOf(snapshot, { ...request, subtitle, boundaries: snapshot.boundaries?.file.shapes });
}

async function renderPage(deps: AppDeps, c: Context<WaveEnv>, message?: FlashMessage) {
  const { wave, results, publishedRows, boundaries, computedAt } = await deps.results.get(c.var.wave.year);
  const user = c.var.user;
  const canImport = user !== null && IMPORT_ROLES.includes(user.role);
  const map = boundaries ? waveMap(results, boundaries.file.shapes) : null;
  const boundaryPanel = user !== null && BOUNDARY_ROLES.includes(user.role) ? { last: boundaries?.report ?? null } : null;
  return (
    <AnalysisPage
      wave={wave}
      results={results}
      computedAt={computedAt}
      query={c.req.query()}
      list={readListQuery(c.req.query())}
      user={user}
      canImport={canImport}
      publishedRows={publishedRows}
      message={message}
      map={map}
      boundaries={boundaryPanel}
    />
  );
}

/**
 * An upload on the results page: the file's import, then the page again with what it did, or
 * with why nothing was imported (the service refused and wrote nothing).
 */
async function afterUpload(
  deps: AppDeps,
  c: Context<WaveEnv, string, { out: { form: { file: File | null } } }>,
  noFile: string,
  work: (year: number, file: File, bytes: Uint8Array) => Promise<string>,
) {
  const { file } = c.req.valid('form');
  try {
    if (!file) throw new UserError(noFile);
    const text = await work(c.var.wave.year, file, new Uint8Array(await file.arrayBuffer()));
    return c.html(await renderPage(deps, c, { kind: 'ok', text }));
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return c.html(await renderPage(deps, c, errorFlash(error)), error.status);
  }
}

export function analysisRoutes(deps: AppDeps) {
  const routes = new Hono<WaveEnv>()
    .get('/', canView, async (c) => c.html(await renderPage(deps, c)))
    .get('/units.json', canView, async (c) => {
      const { results } = await deps.results.get(c.var.wave.year);
      return c.json(unitTableJson(results), 200, { 'cache-control': 'no-store' });
    })
    .get('/units-vi.csv', canView, async (c) => {
      const { results } = await deps.results.get(c.var.wave.year);
      return download(c, vietnameseUnitCsvFile(results));
    })
    .get('/tables.xlsx', canView, async (c) => download(c, await exportOf(deps, c, { format: 'xlsx' })))
    // Opened in the browser to read and print, so inline; the name is kept for "Save as".
    .get('/report.html', canView, async (c) => download(c, await exportOf(deps, c, { format: 'html' }), 'inline'))
    .post('/boundaries', requireRole(...BOUNDARY_ROLES), uploadedFile, async (c) =>
      afterUpload(deps, c, 'Chưa chọn tệp ranh giới (GeoJSON)', async (year, file, bytes) => {
        const imported = await writeTransaction(deps.db, (trx) => importBoundaries(trx, year, { bytes, fileName: file.name }, actorOf(c), deps.clock()));
        const undrawn = imported.unitsWithoutShape.length > 0 ? `; ${imported.unitsWithoutShape.length} đơn vị chưa có ranh giới (xem danh sách ở cuối trang)` : '';
        return `Đã nhập ranh giới: ${imported.shapesRead} vùng${undrawn}.`;
      }),
    )
    .post('/previous', requireRole(...IMPORT_ROLES), uploadedFile, async (c) =>
      afterUpload(deps, c, 'Chưa chọn tệp chỉ số đã công bố', async (year, _file, bytes) => {
        const imported = await writeTransaction(deps.db, (trx) => importPreviousIndexes(trx, year, bytes, actorOf(c)));
        const note =
          imported.rawPreviousYear !== null
            ? ` Lưu ý: hệ thống có phiếu gốc của đợt ${imported.rawPreviousYear}, nên so sánh vẫn dùng phiếu gốc.`
            : '';
        return `Đã nhập chỉ số đã công bố năm ${year - 1} của ${imported.rows.length} đơn vị.${note}`;
      }),
    );
  // One static path per table, not a pattern: the app's RegExpRouter cannot hold a pattern beside static siblings.
  for (const table of TABLE_NAMES) {
    routes.get(`/${table}.csv`, canView, async (c) => download(c, await exportOf(deps, c, { format: 'csv', table })));
  }
  return routes;
}
