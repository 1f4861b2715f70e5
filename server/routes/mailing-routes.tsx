import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { MailingPackPage } from '../../survey-web/pages/mailing-pack-page';
import { MailingPage } from '../../survey-web/pages/mailing-page';
import type { AppDeps, WaveEnv } from '../app-env';
import { writeTransaction } from '../db/unit-of-work';
import { actorOf, requireRole } from '../middleware/auth';
import { countMailingByUnit } from '../repositories/mailing';
import { buildMailingPack, exportManifest, markWaveDispatched, shortUrl } from '../services/collection/mailing';

/** Which letters a manifest or pack is for: `?unit=SNV`, `?only=new`. */
const letterFilter = validator('query', (query) => ({
  unitCode: typeof query.unit === 'string' && query.unit !== '' ? query.unit : undefined,
  notYetSent: query.only === 'new',
}));

/** Mailing packs and the post-office manifest: personal data, so administrators only. */
export function mailingRoutes(deps: AppDeps) {
  const { publicBaseUrl } = deps.config;
  return new Hono<WaveEnv>()
    .use('*', requireRole('admin'))
    .get('/', async (c) => {
      const { wave } = c.var;
      const done = c.req.query('marked');
      const message = done === undefined ? undefined : { kind: 'ok' as const, text: `Đã đánh dấu ${Number(done)} phiếu là đã gửi` };
      return c.html(<MailingPage wave={wave} units={await countMailingByUnit(deps.db, wave.year)} shortUrl={shortUrl(publicBaseUrl)} user={c.var.user} message={message} />);
    })
    .get('/manifest.csv', letterFilter, async (c) => {
      const { year } = c.var.wave;
      const { unitCode, notYetSent } = c.req.valid('query');
      const manifest = await writeTransaction(deps.db, (trx) => exportManifest(trx, { year, baseUrl: publicBaseUrl, actor: actorOf(c), unitCode, notYetSent }));
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="manifest-${year}${unitCode ? `-${unitCode}` : ''}${notYetSent ? '-chua-gui' : ''}.csv"`);
      c.header('cache-control', 'no-store');
      return c.body(manifest.csv);
    })
    .get('/print', letterFilter, async (c) => {
      const { wave } = c.var;
      const { unitCode, notYetSent } = c.req.valid('query');
      const pack = await buildMailingPack(deps.db, { year: wave.year, baseUrl: publicBaseUrl, actor: actorOf(c), unitCode, notYetSent });
      c.header('cache-control', 'no-store');
      return c.html(
        <MailingPackPage wave={wave} questionnaire={pack.questionnaire} letters={pack.letters} shortUrl={shortUrl(publicBaseUrl)} user={c.var.user} unitLabel={pack.unitLabel} />,
      );
    })
    .post(
      '/dispatched',
      validator('form', (value) => ({ unit: typeof value.unit === 'string' && value.unit.trim() !== '' ? value.unit.trim() : undefined })),
      async (c) => {
        const { year } = c.var.wave;
        const changed = await writeTransaction(deps.db, (trx) => markWaveDispatched(trx, { year, actor: actorOf(c), unitCode: c.req.valid('form').unit }));
        return c.redirect(`/waves/${year}/mailing?marked=${changed}`, 303);
      },
    );
}
