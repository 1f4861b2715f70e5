import { Hono, type Context } from 'hono';
import { validator } from 'hono/validator';
import { byField } from '../../survey-web/field-errors';
import { errorFlash } from '../../survey-web/layout';
import { predecessorsText, UnitEditPage, type UnitEditValues } from '../../survey-web/pages/unit-edit-page';
import { WaveClosePage } from '../../survey-web/pages/wave-close-page';
import { WavePage } from '../../survey-web/pages/wave-page';
import { WavePurgePage } from '../../survey-web/pages/wave-purge-page';
import type { AppDeps, WaveEnv } from '../app-env';
import { writeTransaction } from '../db/unit-of-work';
import { fieldError, UserError } from '../errors';
import { formText, type PostedForm } from '../forms/form-fields';
import { actorOf, requireRole } from '../middleware/auth';
import { listUnits } from '../repositories/units';
import { findWave, type Wave } from '../repositories/waves';
import { confirmsPurge, purgeConfirmationPhrase } from '../services/waves/purge-confirmation';
import { editUnit } from '../services/waves/unit-edit';
import { closeWave, purgePersonalData } from '../services/waves/wave-lifecycle';
import { waveNotFound } from '../services/waves/wave-policy';

/**
 * What only an administrator does to one wave, under /waves/:year: edit a unit and its lineage
 * (while in setup), close the wave, purge its personal data. The same services as `wave close`
 * and `wave purge-personal-data`.
 */

/** Last year's wave and units, which a unit's lineage names; null when the system does not have that wave. */
async function previousWaveUnits(deps: AppDeps, year: number) {
  return (await findWave(deps.db, year - 1)) ? { year: year - 1, units: await listUnits(deps.db, year - 1) } : null;
}

/** The wave as it is after a change (the middleware loaded it before). */
async function reloaded(deps: AppDeps, year: number): Promise<Wave> {
  const wave = await findWave(deps.db, year);
  if (!wave) throw waveNotFound(year);
  return wave;
}

async function renderUnit(c: Context<WaveEnv>, deps: AppDeps, code: string, values: UnitEditValues | null, refusal?: UserError) {
  const { wave } = c.var;
  let shown = values;
  if (!shown) {
    const unit = (await listUnits(deps.db, wave.year)).find((u) => u.code === code);
    if (!unit) throw new UserError(`Đợt ${wave.year} không có đơn vị mã ${code.slice(0, 20)}`, 404);
    shown = { name: unit.name, kind: unit.kind, predecessors: predecessorsText(unit.predecessors) };
  }
  return c.html(
    <UnitEditPage
      wave={wave}
      code={code}
      values={shown}
      previous={await previousWaveUnits(deps, wave.year)}
      errors={byField(refusal?.fields)}
      message={refusal ? errorFlash(refusal) : undefined}
      user={c.var.user}
    />,
    refusal?.status ?? 200,
  );
}

export function waveAdminRoutes(deps: AppDeps) {
  return new Hono<WaveEnv>()
    .get('/units/:code', requireRole('admin'), (c) => renderUnit(c, deps, c.req.param('code'), null))
    .post(
      '/units/:code',
      requireRole('admin'),
      validator('form', (form: PostedForm) => ({ name: formText(form, 'name'), kind: formText(form, 'kind'), predecessors: formText(form, 'predecessors') })),
      async (c) => {
        const { wave, user } = c.var;
        const code = c.req.param('code');
        const values = c.req.valid('form');
        try {
          const unit = await writeTransaction(deps.db, (trx) => editUnit(trx, wave.year, code, values, actorOf(c)));
          return c.html(<WavePage wave={wave} units={await listUnits(deps.db, wave.year)} user={user} message={{ kind: 'ok', text: `Đã lưu đơn vị ${unit.code} — ${unit.name}` }} />);
        } catch (error) {
          if (!(error instanceof UserError)) throw error;
          // A unit that does not exist has no form to show again.
          if (error.status === 404) throw error;
          return renderUnit(c, deps, code, values, error);
        }
      },
    )
    .get('/close', requireRole('admin'), (c) => c.html(<WaveClosePage wave={c.var.wave} user={c.var.user} />))
    .post('/close', requireRole('admin'), validator('form', (form: PostedForm) => ({ confirmed: formText(form, 'confirm') === 'yes' })), async (c) => {
      const { wave, user } = c.var;
      try {
        if (!c.req.valid('form').confirmed) throw new UserError('Hãy đánh dấu ô xác nhận trước khi khóa đợt', 400);
        await writeTransaction(deps.db, (trx) => closeWave(trx, wave.year, actorOf(c)));
        const closed = await reloaded(deps, wave.year);
        return c.html(<WaveClosePage wave={closed} user={user} message={{ kind: 'ok', text: `Đã khóa đợt ${wave.year}: không nhận thêm phiếu; kết quả giữ nguyên` }} />);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return c.html(<WaveClosePage wave={wave} user={user} message={errorFlash(error)} />, error.status);
      }
    })
    .get('/purge', requireRole('admin'), (c) => c.html(<WavePurgePage wave={c.var.wave} phrase={purgeConfirmationPhrase(c.var.wave.year)} user={c.var.user} />))
    .post('/purge', requireRole('admin'), validator('form', (form: PostedForm) => ({ confirmation: formText(form, 'confirmation') })), async (c) => {
      const { wave, user } = c.var;
      const phrase = purgeConfirmationPhrase(wave.year);
      try {
        if (!confirmsPurge(wave.year, c.req.valid('form').confirmation)) {
          throw fieldError('confirmation', `Chưa xóa gì: hãy gõ đúng ${phrase} vào ô xác nhận`);
        }
        const outcome = await writeTransaction(deps.db, (trx, afterCommit) => purgePersonalData(trx, afterCommit, wave.year, deps.config.dataDir, actorOf(c)));
        const text = `Đã xóa dữ liệu cá nhân của đợt ${wave.year}: thông tin liên lạc của ${outcome.contactsDeleted} người được chọn, ${outcome.dossierCodesErased} mã hồ sơ, ${outcome.frameFilesDeleted} tệp khung mẫu và chỉ mục bốc mẫu. Kết quả không đổi.`;
        return c.html(<WavePurgePage wave={await reloaded(deps, wave.year)} phrase={phrase} user={user} message={{ kind: 'ok', text }} />);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        // The purge may have committed before its erasure was refused (another reader): show the wave as it now is.
        return c.html(<WavePurgePage wave={await reloaded(deps, wave.year)} phrase={phrase} user={user} message={errorFlash(error)} errors={byField(error.fields)} />, error.status);
      }
    });
}
