import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { AuditPage } from '../../survey-web/pages/audit-page';
import { WavePage } from '../../survey-web/pages/wave-page';
import { WaveSettingsPage } from '../../survey-web/pages/wave-settings-page';
import type { AppEnv } from '../app-env';
import { UserError } from '../errors';
import { requireRole } from '../middleware/auth';
import { listAudit } from '../repositories/audit';
import { listUnits } from '../repositories/units';
import { updateWaveRules } from '../services/wave-rules';
import { importUnits, requireWave } from '../services/waves';

export function parseYear(value: string): number {
  const year = Number(value);
  if (!Number.isInteger(year)) throw new UserError(`"${value}" không phải là năm`, 404);
  return year;
}

export const waveRoutes = new Hono<AppEnv>()
  .get('/:year', async (c) => {
    const { db } = c.var.deps;
    const wave = await requireWave(db, parseYear(c.req.param('year')));
    return c.html(<WavePage wave={wave} units={await listUnits(db, wave.year)} user={c.var.user} />);
  })
  .get('/:year/audit', requireRole('admin', 'supervisor'), async (c) => {
    const { db } = c.var.deps;
    const wave = await requireWave(db, parseYear(c.req.param('year')));
    return c.html(<AuditPage wave={wave} entries={await listAudit(db, wave.year)} user={c.var.user} />);
  })
  .get('/:year/settings', requireRole('admin'), async (c) => {
    const wave = await requireWave(c.var.deps.db, parseYear(c.req.param('year')));
    return c.html(<WaveSettingsPage wave={wave} settings={wave.settings} user={c.var.user} />);
  })
  .post(
    '/:year/settings',
    requireRole('admin'),
    validator('form', (form) => {
      const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
      // Disabled fieldsets send nothing: those rules stay as they are.
      const eligibilitySent = text('periodFrom') !== undefined;
      return {
        periodFrom: text('periodFrom'),
        periodTo: text('periodTo'),
        excludeOrganisations: eligibilitySent ? (form.excludeOrganisations === 'on' ? 'on' : 'off') : undefined,
        parMax: text('parMax'),
        minRespondents: text('minRespondents'),
        validShare: text('validShare'),
      };
    }),
    async (c) => {
      const { db } = c.var.deps;
      const year = parseYear(c.req.param('year'));
      try {
        const settings = await updateWaveRules(db, year, c.req.valid('form'), c.var.user?.username ?? null);
        const wave = await requireWave(db, year);
        return c.html(<WaveSettingsPage wave={wave} settings={settings} user={c.var.user} message={{ kind: 'ok', text: 'Đã lưu quy tắc của đợt' }} />);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        const wave = await requireWave(db, year);
        const message = { kind: 'error' as const, text: error.message.charAt(0).toUpperCase() + error.message.slice(1) };
        return c.html(<WaveSettingsPage wave={wave} settings={wave.settings} user={c.var.user} message={message} />, error.status);
      }
    },
  )
  .post('/:year/units', requireRole('admin'), async (c) => {
    const { db } = c.var.deps;
    const year = parseYear(c.req.param('year'));
    const body = await c.req.parseBody();
    const file = body.file;
    if (!(file instanceof File) || file.size === 0) throw new UserError('Chưa chọn tệp danh sách đơn vị');
    const wave = await requireWave(db, year);
    try {
      const units = await importUnits(db, year, new Uint8Array(await file.arrayBuffer()), c.var.user?.username ?? null);
      return c.html(<WavePage wave={wave} units={units} user={c.var.user} message={{ kind: 'ok', text: `Đã nhập ${units.length} đơn vị` }} />);
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      const units = await listUnits(db, year);
      return c.html(
        <WavePage wave={wave} units={units} user={c.var.user} message={{ kind: 'error', text: error.message, details: error.details }} />,
        400,
      );
    }
  });
