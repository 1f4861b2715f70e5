import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { MailingPackPage } from '../../survey-web/pages/mailing-pack-page';
import { MailingPage } from '../../survey-web/pages/mailing-page';
import { PAGES } from '../../survey-web/navigation';
import type { AppDeps, WaveEnv } from '../app-env';
import { writeTransaction } from '../db/unit-of-work';
import { actorOf, requireRole } from '../middleware/auth';
import { listView, readListQuery } from '../forms/list-query';
import { findQuestionnairesByCode } from '../repositories/list-page';
import { mailingTotals, pageMailingUnits } from '../repositories/mailing';
import { listUnits } from '../repositories/units';
import { questionnaireStatusLabel } from '../services/entry/questionnaire-status-labels';
import { buildMailingPack, exportManifest, markWaveDispatched, PACK_BATCH_SIZE, shortUrl } from '../services/collection/mailing';
import { publicAddressProblem } from '../services/collection/public-address';
import { UserError } from '../errors';

/** Which letters a manifest or pack is for: `?unit=SNV`, `?only=new`. */
function letterFilter(query: Record<string, string | string[]>) {
  return { unitCode: typeof query.unit === 'string' && query.unit !== '' ? query.unit : undefined, notYetSent: query.only === 'new' };
}

/** `?headers=vi`: Vietnamese column names for the post office's mail merge; scripts get the machine names. */
const manifestQuery = validator('query', (query) => ({ ...letterFilter(query), headers: query.headers === 'vi' ? ('vi' as const) : ('machine' as const) }));

/** `?batch=N`: which batch of the pack to print (the first when absent). */
const packQuery = validator('query', (query) => {
  const batch = query.batch;
  if (batch === undefined || batch === '') return { ...letterFilter(query), batch: undefined };
  if (typeof batch !== 'string' || !/^[1-9]\d{0,5}$/.test(batch)) throw new UserError('Số lô phải là một số nguyên từ 1 trở lên', 400);
  return { ...letterFilter(query), batch: Number(batch) };
});

/** Questionnaires a code search lists on the mailing page: enough to find one letter. */
const FOUND_LIMIT = 20;

/** Mailing packs and the post-office manifest: personal data, so administrators only. */
export function mailingRoutes(deps: AppDeps) {
  const { publicBaseUrl } = deps.config;
  const addressProblem = publicAddressProblem(publicBaseUrl);
  const addressWarning = addressProblem ? { url: publicBaseUrl, problem: addressProblem } : null;
  return new Hono<WaveEnv>()
    .use('*', requireRole(...PAGES.mailing.roles))
    .get('/', validator('query', readListQuery), async (c) => {
      const { wave } = c.var;
      const query = c.req.valid('query');
      const units = await pageMailingUnits(deps.db, wave.year, query.filter, query.page);
      const found = query.filter.code ? await findQuestionnairesByCode(deps.db, wave.year, query.filter.code, FOUND_LIMIT) : [];
      const done = c.req.query('marked');
      const message = done === undefined ? undefined : { kind: 'ok' as const, text: `Đã đánh dấu ${Number(done)} phiếu là đã gửi` };
      return c.html(
        <MailingPage
          wave={wave}
          units={units.rows}
          totals={await mailingTotals(deps.db, wave.year)}
          list={listView(`/waves/${wave.year}/mailing`, query, units, 'don-vi')}
          unitOptions={(await listUnits(deps.db, wave.year)).map((u) => ({ code: u.code, name: u.name }))}
          found={found.map((f) => ({ ...f, statusLabel: questionnaireStatusLabel[f.status] }))}
          foundLimit={FOUND_LIMIT}
          shortUrl={shortUrl(publicBaseUrl)}
          user={c.var.user}
          message={message}
          addressWarning={addressWarning}
          batchSize={PACK_BATCH_SIZE}
        />,
      );
    })
    .get('/manifest.csv', manifestQuery, async (c) => {
      const { year } = c.var.wave;
      const { unitCode, notYetSent, headers } = c.req.valid('query');
      const manifest = await writeTransaction(deps.db, (trx) => exportManifest(trx, { year, baseUrl: publicBaseUrl, actor: actorOf(c), unitCode, notYetSent, headers }));
      c.header('content-type', 'text/csv; charset=utf-8');
      c.header('content-disposition', `attachment; filename="manifest-${year}${unitCode ? `-${unitCode}` : ''}${notYetSent ? '-chua-gui' : ''}.csv"`);
      c.header('cache-control', 'no-store');
      return c.body(manifest.csv);
    })
    .get('/print', packQuery, async (c) => {
      const { wave } = c.var;
      const { unitCode, notYetSent, batch } = c.req.valid('query');
      const pack = await buildMailingPack(deps.db, { year: wave.year, baseUrl: publicBaseUrl, actor: actorOf(c), unitCode, notYetSent, batch });
      c.header('cache-control', 'no-store');
      return c.html(
        <MailingPackPage
          wave={wave}
          questionnaire={pack.questionnaire}
          letters={pack.letters}
          shortUrl={shortUrl(publicBaseUrl)}
          user={c.var.user}
          unitLabel={pack.unitLabel}
          filter={{ unitCode, notYetSent }}
          batch={pack.batch}
          addressWarning={addressWarning}
        />,
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
