import { Hono, type Context } from 'hono';
import type { ImportReport } from '../../sampling';
import { errorFlash, type FlashMessage } from '../../survey-web/layout';
import { PAGES } from '../../survey-web/navigation';
import { endedFlash } from '../../survey-web/task-progress';
import { FramePage } from '../../survey-web/pages/frame-page';
import type { AppDeps, WaveEnv } from '../app-env';
import { UserError, type ErrorStatus } from '../errors';
import { actorOf, requireRole } from '../middleware/auth';
import { importedMessage, importFrameFollowed } from '../services/draw/frame-import-task';
import { withUploadedFile } from '../services/draw/multipart-stream';
import { frameOverview } from '../services/draw/sampling-overview';
import { pageTask } from '../services/tasks/long-tasks';

/** The wave's sampling frame under /waves/:year/frame: its import report, and the upload (administrators). */

async function renderFramePage(c: Context<WaveEnv>, deps: AppDeps, extra: { message?: FlashMessage; refusedReport?: ImportReport } = {}, status: 200 | ErrorStatus = 200) {
  const wave = c.var.wave;
  // An import of this wave running on the server (perhaps started from another browser), or the
  // latest one's failure. Read before the frame: an import ends only after it is committed, so a
  // page that no longer sees it running sees the frame it recorded.
  const task = await pageTask(deps.db, wave.year, 'frame-import', undefined, new Date());
  const { frameImport, unitNames } = await frameOverview(deps.db, wave.year);
  return c.html(
    <FramePage
      wave={{ year: wave.year, name: wave.name, status: wave.status, period: wave.settings.period }}
      frameImport={frameImport}
      unitNames={unitNames}
      user={c.var.user}
      importing={task.running ? { task: task.running, url: `/waves/${wave.year}/frame` } : undefined}
      message={endedFlash(task.ended)}
      {...extra}
    />,
    status,
  );
}

export function frameRoutes(deps: AppDeps) {
  return new Hono<WaveEnv>()
    .get('/', requireRole(...PAGES.frame.roles), async (c) => renderFramePage(c, deps))
    // For the upload's script: the server's side of the progress while the file is sent and read.
    .get('/progress', requireRole(...PAGES.frame.roles), async (c) => {
      const task = await pageTask(deps.db, c.var.wave.year, 'frame-import', undefined, new Date());
      return c.json({ running: task.running });
    })
    .post('/', requireRole('admin'), async (c) => {
      try {
        const announced = Number(c.req.header('content-length'));
        // A frame may be 2 GB: read as it arrives, never through a validator that would buffer it.
        const outcome = await withUploadedFile(c.req.raw, (file, fields) =>
          importFrameFollowed(
            { db: deps.db, dataDir: deps.config.dataDir },
            c.var.wave.year,
            { fileName: file.name, bytes: file.bytes, strict: fields.strict === '1' },
            actorOf(c),
            announced > 0 ? announced : null,
          ),
        );
        if (!outcome.ok) return renderFramePage(c, deps, { message: { kind: 'error', text: outcome.error.message }, refusedReport: outcome.report }, 400);
        return renderFramePage(c, deps, { message: { kind: 'ok', text: importedMessage(outcome.frameImport) } });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return renderFramePage(c, deps, { message: errorFlash(error) }, error.status);
      }
    });
}
