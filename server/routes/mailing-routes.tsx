import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { MailingPackPage } from '../../survey-web/pages/mailing-pack-page';
import { MailingPage } from '../../survey-web/pages/mailing-page';
import type { AppEnv } from '../app-env';
import { UserError } from '../errors';
import { requireRole } from '../middleware/auth';
import { countMailingByUnit } from '../repositories/mailing';
import { findQuestionnaire } from '../repositories/questionnaire-versions';
import { buildMailingPack, exportManifest, markWaveDispatched, shortUrl } from '../services/mailing';
import { requireWave } from '../services/waves';
import { parseYear } from './wave-routes';

/** Mailing packs and the post-office manifest: personal data, so administrators only. */
export const mailingRoutes = new Hono<AppEnv>()
  .use('/:year/mailing', requireRole('admin'))
  .use('/:year/mailing/*', requireRole('admin'))
  .get('/:year/mailing', async (c) => {
    const { db, config } = c.var.deps;
    const wave = await requireWave(db, parseYear(c.req.param('year')));
    const done = c.req.query('marked');
    const message = done === undefined ? undefined : { kind: 'ok' as const, text: `Đã đánh dấu ${Number(done)} phiếu là đã gửi` };
    return c.html(<MailingPage wave={wave} units={await countMailingByUnit(db, wave.year)} shortUrl={shortUrl(config.publicBaseUrl)} user={c.var.user} message={message} />);
  })
  .get('/:year/mailing/manifest.csv', async (c) => {
    const { db, config } = c.var.deps;
    const year = parseYear(c.req.param('year'));
    const unitCode = c.req.query('unit') || undefined;
    const notYetSent = c.req.query('only') === 'new';
    const manifest = await exportManifest(db, { year, baseUrl: config.publicBaseUrl, actor: c.var.user?.username ?? null, unitCode, notYetSent });
    c.header('content-type', 'text/csv; charset=utf-8');
    c.header('content-disposition', `attachment; filename="manifest-${year}${unitCode ? `-${unitCode}` : ''}${notYetSent ? '-chua-gui' : ''}.csv"`);
    c.header('cache-control', 'no-store');
    return c.body(manifest.csv);
  })
  .get('/:year/mailing/print', async (c) => {
    const { db, config } = c.var.deps;
    const wave = await requireWave(db, parseYear(c.req.param('year')));
    const questionnaire = await findQuestionnaire(db, wave.year);
    if (!questionnaire) throw new UserError(`Đợt ${wave.year} chưa có phiếu khảo sát`, 409);
    const unitCode = c.req.query('unit') || undefined;
    const notYetSent = c.req.query('only') === 'new';
    const letters = await buildMailingPack(db, { year: wave.year, baseUrl: config.publicBaseUrl, actor: c.var.user?.username ?? null, unitCode, notYetSent });
    const unitLabel = unitCode ? (letters[0]?.unitName ?? unitCode) : notYetSent ? 'các phiếu chưa gửi' : 'tất cả đơn vị';
    c.header('cache-control', 'no-store');
    return c.html(<MailingPackPage wave={wave} questionnaire={questionnaire} letters={letters} shortUrl={shortUrl(config.publicBaseUrl)} user={c.var.user} unitLabel={unitLabel} />);
  })
  .post(
    '/:year/mailing/dispatched',
    validator('form', (value) => ({ unit: typeof value.unit === 'string' && value.unit.trim() !== '' ? value.unit.trim() : undefined })),
    async (c) => {
      const { db } = c.var.deps;
      const year = parseYear(c.req.param('year'));
      const changed = await markWaveDispatched(db, { year, actor: c.var.user?.username ?? null, unitCode: c.req.valid('form').unit });
      return c.redirect(`/waves/${year}/mailing?marked=${changed}`, 303);
    },
  );
