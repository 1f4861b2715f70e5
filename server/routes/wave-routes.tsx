import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { errorFlash } from '../../survey-web/layout';
import { PAGES } from '../../survey-web/navigation';
import { AuditPage } from '../../survey-web/pages/audit-page';
import { WavePage } from '../../survey-web/pages/wave-page';
import { WaveSettingsPage } from '../../survey-web/pages/wave-settings-page';
import type { AppDeps, WaveEnv } from '../app-env';
import { writeTransaction } from '../db/unit-of-work';
import { UserError } from '../errors';
import { actorOf, requireRole } from '../middleware/auth';
import { listAudit } from '../repositories/audit';
import { listUnits } from '../repositories/units';
import { updateWaveRules } from '../services/waves/wave-rules';
import { importUnits } from '../services/waves/waves';

/** A wave's own page (its units), its rules and its audit log, at /waves/:year. */
export function waveRoutes(deps: AppDeps) {
  return new Hono<WaveEnv>()
    .get('/', async (c) => {
      const { wave } = c.var;
      return c.html(<WavePage wave={wave} units={await listUnits(deps.db, wave.year)} user={c.var.user} />);
    })
    .get('/audit', requireRole(...PAGES.audit.roles), async (c) => {
      const { wave } = c.var;
      return c.html(<AuditPage wave={wave} entries={await listAudit(deps.db, wave.year)} user={c.var.user} />);
    })
    .get('/settings', requireRole(...PAGES.settings.roles), (c) => c.html(<WaveSettingsPage wave={c.var.wave} settings={c.var.wave.settings} user={c.var.user} />))
    .post(
      '/settings',
      requireRole(...PAGES.settings.roles),
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
        const { wave, user } = c.var;
        try {
          const saved = await writeTransaction(deps.db, (trx) => updateWaveRules(trx, wave.year, c.req.valid('form'), actorOf(c)));
          return c.html(<WaveSettingsPage wave={saved} settings={saved.settings} user={user} message={{ kind: 'ok', text: 'Đã lưu quy tắc của đợt' }} />);
        } catch (error) {
          // Nothing was saved: the form comes back with the rules as they are and what was wrong.
          if (!(error instanceof UserError)) throw error;
          return c.html(<WaveSettingsPage wave={wave} settings={wave.settings} user={user} message={errorFlash(error)} />, error.status);
        }
      },
    )
    .post(
      '/units',
      requireRole('admin'),
      validator('form', (form) => {
        const file = form.file;
        if (!(file instanceof File) || file.size === 0) throw new UserError('Chưa chọn tệp danh sách đơn vị');
        return { file };
      }),
      async (c) => {
        const { wave, user } = c.var;
        const bytes = new Uint8Array(await c.req.valid('form').file.arrayBuffer());
        try {
          const units = await writeTransaction(deps.db, (trx) => importUnits(trx, wave.year, bytes, actorOf(c)));
          return c.html(<WavePage wave={wave} units={units} user={user} message={{ kind: 'ok', text: `Đã nhập ${units.length} đơn vị` }} />);
        } catch (error) {
          // Nothing was imported: the page shows the list as it is, with every problem of the file.
          if (!(error instanceof UserError)) throw error;
          const units = await listUnits(deps.db, wave.year);
          return c.html(<WavePage wave={wave} units={units} user={user} message={errorFlash(error)} />, error.status);
        }
      },
    );
}
