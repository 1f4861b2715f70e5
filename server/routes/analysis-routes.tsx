import { Hono, type Context } from 'hono';
import { AnalysisPage, parseAnalysisView } from '../../survey-web/pages/analysis-page';
import type { AppEnv } from '../app-env';
import { UserError } from '../errors';
import { requireRole } from '../middleware/auth';
import { listPreviousIndexes } from '../repositories/previous-indexes';
import {
  buildExport,
  contentDisposition,
  TABLE_NAMES,
  unitTableJson,
  type ExportFile,
  type ExportRequest,
} from '../services/analysis-exports';
import { analyseWave, importPreviousIndexes } from '../services/wave-results';
import { parseYear } from './wave-routes';

/** Results hold no personal data, but they are the wave's unpublished figures: staff only, not clerks. */
const canView = requireRole('admin', 'analyst', 'supervisor');
const canImport = requireRole('admin', 'analyst');

function download(c: Context<AppEnv>, file: ExportFile, disposition: 'attachment' | 'inline' = 'attachment') {
  return c.body(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), 200, {
    'content-type': file.contentType,
    'content-disposition': contentDisposition(file.fileName, disposition),
    'cache-control': 'no-store',
  });
}

async function exportOf(c: Context<AppEnv>, request: Omit<ExportRequest, 'subtitle'>) {
  const { wave, results } = await analyseWave(c.var.deps.db, parseYear(c.req.param('year') ?? ''));
  return buildExport(results, { ...request, subtitle: `${wave.name} — lập ngày ${new Date().toLocaleDateString('vi-VN')}` });
}

async function renderPage(c: Context<AppEnv>, year: number, message?: Parameters<typeof AnalysisPage>[0]['message']) {
  const { db } = c.var.deps;
  const { wave, results } = await analyseWave(db, year);
  const publishedRows = (await listPreviousIndexes(db, year)).length;
  const view = parseAnalysisView(c.req.query(), results);
  return (
    <AnalysisPage wave={wave} results={results} view={view} user={c.var.user} publishedRows={publishedRows} message={message} />
  );
}

export const analysisRoutes = new Hono<AppEnv>()
  .get('/:year/analysis', canView, async (c) => c.html(await renderPage(c, parseYear(c.req.param('year')))))
  .get('/:year/analysis/units.json', canView, async (c) => {
    const { results } = await analyseWave(c.var.deps.db, parseYear(c.req.param('year')));
    return c.json(unitTableJson(results), 200, { 'cache-control': 'no-store' });
  })
  .get('/:year/analysis/tables.xlsx', canView, async (c) => download(c, await exportOf(c, { format: 'xlsx' })))
  // Opened in the browser to read and print, so inline; the name is kept for "Save as".
  .get('/:year/analysis/report.html', canView, async (c) => download(c, await exportOf(c, { format: 'html' }), 'inline'))
  .post('/:year/analysis/previous', canImport, async (c) => {
    const year = parseYear(c.req.param('year'));
    const body = await c.req.parseBody();
    const file = body.file;
    try {
      if (!(file instanceof File) || file.size === 0) throw new UserError('Chưa chọn tệp chỉ số đã công bố');
      const imported = await importPreviousIndexes(c.var.deps.db, year, new Uint8Array(await file.arrayBuffer()), c.var.user?.username ?? null);
      const note =
        imported.rawPreviousYear !== null
          ? ` Lưu ý: hệ thống có phiếu gốc của đợt ${imported.rawPreviousYear}, nên so sánh vẫn dùng phiếu gốc.`
          : '';
      return c.html(await renderPage(c, year, { kind: 'ok', text: `Đã nhập chỉ số đã công bố năm ${year - 1} của ${imported.rows.length} đơn vị.${note}` }));
    } catch (error) {
      if (!(error instanceof UserError) || error.status === 404) throw error;
      return c.html(await renderPage(c, year, { kind: 'error', text: error.message, details: error.details }), 400);
    }
  });

// One static path per table rather than a pattern, so Hono can use its fastest router for the whole app.
for (const table of TABLE_NAMES) {
  analysisRoutes.get(`/:year/analysis/${table}.csv`, canView, async (c) => download(c, await exportOf(c, { format: 'csv', table })));
}
