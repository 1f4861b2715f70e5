import { Hono, type Context } from 'hono';
import type { ImportReport } from '../../sampling';
import { errorFlash, type FlashMessage } from '../../survey-web/layout';
import { PAGES } from '../../survey-web/navigation';
import { FramePage } from '../../survey-web/pages/frame-page';
import type { AppDeps, WaveEnv } from '../app-env';
import { UserError, type ErrorStatus } from '../errors';
import { actorOf, requireRole } from '../middleware/auth';
import { importFrame } from '../services/draw/frame-import';
import { withUploadedFile } from '../services/draw/multipart-stream';
import { frameOverview } from '../services/draw/sampling-overview';

/** The wave's sampling frame under /waves/:year/frame: its import report, and the upload (administrators). */

async function renderFramePage(c: Context<WaveEnv>, deps: AppDeps, extra: { message?: FlashMessage; refusedReport?: ImportReport } = {}, status: 200 | ErrorStatus = 200) {
  const wave = c.var.wave;
  const { frameImport, unitNames } = await frameOverview(deps.db, wave.year);
  return c.html(
    <FramePage
      wave={{ year: wave.year, name: wave.name, status: wave.status, period: wave.settings.period }}
      frameImport={frameImport}
      unitNames={unitNames}
      user={c.var.user}
      {...extra}
    />,
    status,
  );
}

export function frameRoutes(deps: AppDeps) {
  return new Hono<WaveEnv>()
    .get('/', requireRole(...PAGES.frame.roles), async (c) => renderFramePage(c, deps))
    .post('/', requireRole('admin'), async (c) => {
      try {
        // A frame may be 2 GB: read as it arrives, never through a validator that would buffer it.
        const outcome = await withUploadedFile(c.req.raw, (file, fields) =>
          importFrame({ db: deps.db, dataDir: deps.config.dataDir }, c.var.wave.year, { fileName: file.name, bytes: file.bytes, strict: fields.strict === '1' }, actorOf(c)),
        );
        if (!outcome.ok) return renderFramePage(c, deps, { message: { kind: 'error', text: outcome.error.message }, refusedReport: outcome.report }, 400);
        const { fileName, report } = outcome.frameImport;
        return renderFramePage(c, deps, {
          message: { kind: 'ok', text: `Đã nhập khung mẫu ${fileName}: ${report.rowsAccepted.toLocaleString('vi-VN')} dòng hợp lệ, ${report.rowsRejected.toLocaleString('vi-VN')} dòng bị từ chối` },
        });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return renderFramePage(c, deps, { message: errorFlash(error) }, error.status);
      }
    });
}
