import type { Context } from 'hono';
import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { DrawPage, type VerifyView } from '../../survey-web/pages/draw-page';
import { FramePage } from '../../survey-web/pages/frame-page';
import type { ImportReport } from '../../sampling';
import type { AppEnv } from '../app-env';
import { UserError } from '../errors';
import { requireRole } from '../middleware/auth';
import { findCurrentDraw, listDrawnLines, listDraws } from '../repositories/draws';
import { findLatestFrameImport } from '../repositories/frame-imports';
import { listUnits } from '../repositories/units';
import { allocationFrom, describeAllocation, exportDrawCsv, parseReservePercent, publishDraw, runDraw, verifyUploadedDraw } from '../services/draw';
import { FrameImportRefused, importFrame } from '../services/frame-import';
import { MultipartReader, multipartBoundary } from '../services/multipart-stream';
import { requireWave } from '../services/waves';
import { parseYear } from './wave-routes';

type Message = { kind: 'ok' | 'error'; text: string; details?: string[] };
type Ctx = Context<AppEnv>;

function actorOf(c: Ctx): string | null {
  return c.var.user?.username ?? null;
}

async function unitNames(c: Ctx, year: number): Promise<Record<string, string>> {
  return Object.fromEntries((await listUnits(c.var.deps.db, year)).map((u) => [u.code, u.name]));
}

async function renderFramePage(c: Ctx, year: number, extra: { message?: Message; refusedReport?: ImportReport } = {}, status: 200 | 400 | 409 = 200) {
  const { db } = c.var.deps;
  const wave = await requireWave(db, year);
  const frameImport = await findLatestFrameImport(db, year);
  return c.html(
    <FramePage
      wave={{ year: wave.year, name: wave.name, status: wave.status, period: wave.settings.period }}
      frameImport={frameImport}
      unitNames={await unitNames(c, year)}
      user={c.var.user}
      {...extra}
    />,
    status,
  );
}

function suggestedSeed(): string {
  const today = new Date().toLocaleDateString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
  return `${today} XSKT An Giang giải đặc biệt 123456`;
}

async function renderDrawPage(c: Ctx, year: number, extra: { message?: Message; verify?: VerifyView } = {}, status: 200 | 400 | 404 | 409 = 200) {
  const { db } = c.var.deps;
  const wave = await requireWave(db, year);
  const frame = await findLatestFrameImport(db, year);
  const draw = await findCurrentDraw(db, year);
  const lines = draw ? await listDrawnLines(db, draw.id) : [];
  const history = await listDraws(db, year);
  return c.html(
    <DrawPage
      wave={wave}
      frame={frame && { fileName: frame.fileName, fileSha256: frame.fileSha256, stored: frame.storedPath !== null }}
      draw={draw && { ...draw, allocationText: describeAllocation(draw.allocation) }}
      lines={lines}
      history={history}
      unitNames={await unitNames(c, year)}
      suggestedSeed={suggestedSeed()}
      user={c.var.user}
      {...extra}
    />,
    status,
  );
}

/**
 * Reads a multipart upload as it arrives: the small fields before the file part, then hands
 * the file's bytes on as a stream. Whatever follows the file is read and ignored, so the
 * browser's upload completes before the reply.
 */
async function withUploadedFile<T>(c: Ctx, use: (file: { name: string; bytes: AsyncIterable<Uint8Array> }, fields: Record<string, string>) => Promise<T>): Promise<T> {
  const body = c.req.raw.body;
  if (!body) throw new UserError('Chưa chọn tệp');
  const reader = new MultipartReader(body as unknown as AsyncIterable<Uint8Array>, multipartBoundary(c.req.header('content-type')));
  const fields: Record<string, string> = {};
  try {
    for (let part = await reader.nextPart(); part !== null; part = await reader.nextPart()) {
      if (part.filename === undefined) {
        fields[part.name] = await reader.text();
        continue;
      }
      if (part.name !== 'file') continue;
      if (part.filename === '') throw new UserError('Chưa chọn tệp');
      return await use({ name: part.filename, bytes: reader.body() }, fields);
    }
    throw new UserError('Chưa chọn tệp');
  } finally {
    await reader.drain().catch(() => undefined);
  }
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

const publishForm = validator('form', (form) => ({ confirm: form.confirm === '1', drawId: Number(form.drawId) }));

export const samplingRoutes = new Hono<AppEnv>()
  .get('/:year/frame', requireRole('admin', 'supervisor'), async (c) => renderFramePage(c, parseYear(c.req.param('year'))))
  .post('/:year/frame', requireRole('admin'), async (c) => {
    const year = parseYear(c.req.param('year'));
    try {
      const frameImport = await withUploadedFile(c, (file, fields) =>
        importFrame({ db: c.var.deps.db, dataDir: c.var.deps.config.dataDir }, year, { fileName: file.name, bytes: file.bytes, strict: fields.strict === '1' }, actorOf(c)),
      );
      const r = frameImport.report;
      return renderFramePage(c, year, {
        message: { kind: 'ok', text: `Đã nhập khung mẫu ${frameImport.fileName}: ${r.rowsAccepted.toLocaleString('vi-VN')} dòng hợp lệ, ${r.rowsRejected.toLocaleString('vi-VN')} dòng bị từ chối` },
      });
    } catch (error) {
      if (error instanceof FrameImportRefused) {
        return renderFramePage(c, year, { message: { kind: 'error', text: error.message }, refusedReport: error.report }, 400);
      }
      if (error instanceof UserError) return renderFramePage(c, year, { message: { kind: 'error', text: error.message } }, error.status === 409 ? 409 : 400);
      throw error;
    }
  })
  .get('/:year/draw', requireRole('admin', 'supervisor'), async (c) => renderDrawPage(c, parseYear(c.req.param('year'))))
  .post('/:year/draw', requireRole('admin'), drawForm, async (c) => {
    const year = parseYear(c.req.param('year'));
    const form = c.req.valid('form');
    try {
      const published = (await findCurrentDraw(c.var.deps.db, year))?.status === 'published';
      if (published && (!form.redraw || form.reason === '')) {
        throw new UserError('Mẫu đã công bố: muốn bốc lại phải đánh dấu xác nhận và ghi lý do', 409);
      }
      const draw = await runDraw(
        c.var.deps.db,
        year,
        { seed: form.seed, allocation: allocationFrom(form.allocation), reservePercent: parseReservePercent(form.reserve), ...(published ? { redrawReason: form.reason } : {}) },
        actorOf(c),
      );
      const drawn = draw.units.reduce((s, u) => s + u.drawn, 0);
      return renderDrawPage(c, year, { message: { kind: 'ok', text: `Đã bốc mẫu (bản nháp số ${draw.id}): ${drawn} người chính thức. Kiểm tra rồi công bố.` } });
    } catch (error) {
      if (error instanceof UserError) return renderDrawPage(c, year, { message: { kind: 'error', text: error.message, details: error.details } }, error.status === 409 ? 409 : 400);
      throw error;
    }
  })
  .post('/:year/draw/publish', requireRole('admin'), publishForm, async (c) => {
    const year = parseYear(c.req.param('year'));
    const form = c.req.valid('form');
    try {
      if (!form.confirm) throw new UserError('Hãy đánh dấu ô xác nhận trước khi công bố');
      const current = await findCurrentDraw(c.var.deps.db, year);
      // The page showed one draw; if another was drawn since, publishing it unseen would be wrong.
      if (current && current.id !== form.drawId) throw new UserError(`Lần bốc đang xem (số ${form.drawId}) không còn là bản nháp hiện tại; hãy xem lại trang`, 409);
      const { draw, questionnaires } = await publishDraw(c.var.deps.db, year, actorOf(c));
      return renderDrawPage(c, year, { message: { kind: 'ok', text: `Đã công bố lần bốc số ${draw.id}: cấp ${questionnaires} mã phiếu; tệp khung mẫu đã được xóa.` } });
    } catch (error) {
      if (error instanceof UserError) return renderDrawPage(c, year, { message: { kind: 'error', text: error.message } }, error.status === 409 ? 409 : 400);
      throw error;
    }
  })
  .get('/:year/draw/export.csv', requireRole('admin', 'supervisor'), async (c) => {
    const year = parseYear(c.req.param('year'));
    const { csv } = await exportDrawCsv(c.var.deps.db, year);
    return c.body(csv, 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="mau-boc-${year}.csv"`,
    });
  })
  .post('/:year/draw/verify', requireRole('admin', 'supervisor'), async (c) => {
    const year = parseYear(c.req.param('year'));
    try {
      const outcome = await withUploadedFile(c, (file) =>
        verifyUploadedDraw({ db: c.var.deps.db, dataDir: c.var.deps.config.dataDir }, year, file.bytes, actorOf(c)),
      );
      return renderDrawPage(c, year, { verify: outcome });
    } catch (error) {
      if (error instanceof UserError) return renderDrawPage(c, year, { message: { kind: 'error', text: error.message } }, error.status === 404 ? 404 : 400);
      throw error;
    }
  });
