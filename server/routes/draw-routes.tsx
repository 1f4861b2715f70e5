import { Hono, type Context } from 'hono';
import { validator } from 'hono/validator';
import { errorFlash, type FlashMessage } from '../../survey-web/layout';
import { DrawCommitmentPage } from '../../survey-web/pages/draw-commitment-page';
import { DrawPage, type VerifyView } from '../../survey-web/pages/draw-page';
import { PAGES } from '../../survey-web/navigation';
import { endedFlash } from '../../survey-web/task-progress';
import type { AppDeps, WaveEnv } from '../app-env';
import { writeTransaction } from '../db/unit-of-work';
import { UserError, type ErrorStatus } from '../errors';
import { listView, readListQuery } from '../forms/list-query';
import { actorOf, requireRole } from '../middleware/auth';
import { allocationFrom, parseReservePercent } from '../services/draw/allocation-input';
import { commitDraw } from '../services/draw/commitment';
import { startDraw } from '../services/draw/draw-task';
import { exportDrawRecordCsv } from '../services/draw/draw-record';
import { exportDrawCsv } from '../services/draw/draw-export';
import { publishDraw } from '../services/draw/draw-publish';
import { verifyUploadedDraw } from '../services/draw/draw-verify';
import { withUploadedFile } from '../services/draw/multipart-stream';
import { commitmentRecord, drawOverview } from '../services/draw/sampling-overview';
import { pageTask } from '../services/tasks/long-tasks';

/**
 * The wave's draw under /waves/:year/draw: the drawn list and its record (administrators and
 * supervisors), drawing and publishing (administrators), the CSV export and the re-check
 * against a frame file someone holds.
 */

type Ctx = Context<WaveEnv>;

/** An example of a public seed nobody knows before the frame is fixed: today's lottery result. */
function suggestedSeed(now: Date): string {
  const today = now.toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
  return `${today} XSKT An Giang giải đặc biệt 123456`;
}

async function renderDrawPage(c: Ctx, deps: AppDeps, extra: { message?: FlashMessage; verify?: VerifyView } = {}, status: 200 | ErrorStatus = 200) {
  const year = c.var.wave.year;
  // After a draw, publish or verify (POST) the query is empty: the list's first page.
  const query = readListQuery(c.req.query());
  // The draw started from this page runs on the server (draw-task.ts): its progress, or how it ended.
  // Read before the draw itself: a draw ends (its task marked done) only after it is committed,
  // so a page that saw it done also sees the draw it recorded, never "done" beside "not drawn".
  const followed = Number(c.req.query('task')) || undefined;
  const task = await pageTask(deps.db, year, 'draw', followed, new Date());
  const { lines, ...overview } = await drawOverview(deps.db, year, query);
  const list = listView(`/waves/${year}/draw`, query, lines, 'danh-sach');
  const drawing = task.running ? { task: task.running, url: `/waves/${year}/draw${followed ? `?task=${followed}` : ''}` } : undefined;
  return c.html(
    <DrawPage wave={c.var.wave} {...overview} lines={lines.rows} list={list} suggestedSeed={suggestedSeed(deps.clock())} user={c.var.user} drawing={drawing} message={endedFlash(task.ended)} {...extra} />,
    status,
  );
}

const drawForm = validator('form', (form) => {
  const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).normalize('NFC').trim() : '');
  const kind = text('allocation');
  return {
    seed: text('seed'),
    allocation: {
      kind,
      perUnit: text('perUnit'),
      total: text('total'),
      min: text('min'),
      max: kind === 'margin' ? text('marginMax') : text('max'),
      margin: text('margin'),
    },
    reserve: text('reserve'),
    redraw: text('redraw') === '1',
    reason: text('reason'),
  };
});

const commitForm = validator('form', (form) => {
  const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string).normalize('NFC').trim() : '');
  const kind = text('allocation');
  const digits = text('seedDigits') || '6';
  return {
    seedSource: text('seedSource'),
    seedDate: text('seedDate'),
    seedDigits: /^\d+$/.test(digits) ? Number(digits) : NaN,
    allocation: { kind, perUnit: text('perUnit'), total: text('total'), min: text('min'), max: kind === 'margin' ? text('marginMax') : text('max'), margin: text('margin') },
    reserve: text('reserve'),
  };
});

const publishForm = validator('form', (form) => ({ confirm: form.confirm === '1', drawId: Number(form.drawId) }));

export function drawRoutes(deps: AppDeps) {
  return new Hono<WaveEnv>()
    .get('/', requireRole(...PAGES.draw.roles), async (c) => renderDrawPage(c, deps))
    .post('/', requireRole('admin'), drawForm, async (c) => {
      const form = c.req.valid('form');
      try {
        // Under a commitment the form sends only the public number: the allocation is the committed one.
        const free = form.allocation.kind !== '';
        const request = {
          seed: form.seed,
          allocation: free ? allocationFrom(form.allocation) : undefined,
          reservePercent: free ? parseReservePercent(form.reserve) : undefined,
          redraw: form.redraw,
          reason: form.reason,
        };
        // Refusals come back at once; the draw itself goes on without the browser (draw-task.ts).
        const task = await startDraw({ db: deps.db, dataDir: deps.config.dataDir }, c.var.wave.year, request, actorOf(c), deps.clock());
        return c.redirect(`/waves/${c.var.wave.year}/draw?task=${task}`, 303);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return renderDrawPage(c, deps, { message: errorFlash(error) }, error.status);
      }
    })
    .post('/commit', requireRole('admin'), commitForm, async (c) => {
      const form = c.req.valid('form');
      try {
        const request = { seedSource: form.seedSource, seedDate: form.seedDate, seedDigits: form.seedDigits, allocation: allocationFrom(form.allocation), reservePercent: parseReservePercent(form.reserve) };
        const commitment = await writeTransaction(deps.db, (trx) => commitDraw(trx, c.var.wave.year, request, actorOf(c), deps.clock()));
        return renderDrawPage(c, deps, {
          message: { kind: 'ok', text: `Đã lập biên bản cam kết số ${commitment.id}: in biên bản để ký (mục "Các biên bản cam kết"), rồi sau ngày quay nhập số kết quả để bốc.` },
        });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return renderDrawPage(c, deps, { message: errorFlash(error) }, error.status);
      }
    })
    .get('/commitments/:id', requireRole(...PAGES.draw.roles), async (c) => {
      const record = await commitmentRecord(deps.db, c.var.wave.year, Number(c.req.param('id')));
      return c.html(<DrawCommitmentPage wave={c.var.wave} {...record} user={c.var.user} />);
    })
    .get('/record.csv', requireRole(...PAGES.drawRecord.roles), async (c) => {
      const year = c.var.wave.year;
      const { csv } = await exportDrawRecordCsv(deps.db, year);
      return c.body(csv, 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="bien-ban-boc-mau-${year}.csv"` });
    })
    .post('/publish', requireRole('admin'), publishForm, async (c) => {
      const form = c.req.valid('form');
      try {
        if (!form.confirm) throw new UserError('Hãy đánh dấu ô xác nhận trước khi công bố');
        const { draw, questionnaires } = await writeTransaction(deps.db, (trx, afterCommit) =>
          publishDraw(trx, afterCommit, c.var.wave.year, { drawId: form.drawId }, actorOf(c)),
        );
        return renderDrawPage(c, deps, { message: { kind: 'ok', text: `Đã công bố lần bốc số ${draw.id}: cấp ${questionnaires} mã phiếu; tệp khung mẫu đã được xóa.` } });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return renderDrawPage(c, deps, { message: errorFlash(error) }, error.status);
      }
    })
    .get('/export.csv', requireRole(...PAGES.draw.roles), async (c) => {
      const year = c.var.wave.year;
      const { csv } = await exportDrawCsv(deps.db, year);
      return c.body(csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="mau-boc-${year}.csv"`,
      });
    })
    .post('/verify', requireRole(...PAGES.draw.roles), async (c) => {
      try {
        // The file may be as big as the frame: read as it arrives.
        const outcome = await withUploadedFile(c.req.raw, (file) =>
          verifyUploadedDraw({ db: deps.db, dataDir: deps.config.dataDir }, c.var.wave, file.bytes, actorOf(c)),
        );
        return renderDrawPage(c, deps, { verify: outcome });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return renderDrawPage(c, deps, { message: errorFlash(error) }, error.status);
      }
    });
}
