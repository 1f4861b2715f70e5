import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import { validator } from 'hono/validator';
import { QrFormPage } from '../../survey-web/pages/qr-form-page';
import { AlreadyAnsweredPage, QrNotFoundPage, ShortLinkPage, ThanksPage, WaveClosedPage } from '../../survey-web/pages/qr-status-pages';
import type { AppDeps, AppEnv } from '../app-env';
import { countsAsTooManyFields, tooManyFields } from '../middleware/body-limits';
import type { FieldProblem } from '../errors';
import { clientAddress } from '../middleware/client-address';
import type { QrFormValues } from '../forms/qr-form';
import { isAnswered, isOpenToken, openByToken, submitQrForm, takesAnswers, unitNameOf, type OpenQuestionnaire } from '../services/collection/qr-submission';
import { criterionCodes } from '../../analysis/questionnaire';
import { minAnswered } from '../services/collection/responses';
import { openByShortLink } from '../services/collection/short-link';

/**
 * The citizen's side: `/q/<token>` (from the QR code) and `/k` (the short address printed on
 * the letter for people who type). No sign-in; the token is the only key, so every page here
 * is careful to show nothing about the person and nothing about tokens that do not exist.
 */

const ASCII = /^[\x00-\x7f]*$/;

/** NFC, skipping the work for the radio values and codes that make up most of a form: ASCII is already NFC. */
function nfc(text: string): string {
  return ASCII.test(text) ? text : text.normalize('NFC');
}

const formValues = validator('form', (value): QrFormValues => {
  if (countsAsTooManyFields(value)) throw tooManyFields();
  const out: QrFormValues = {};
  for (const key in value) {
    const v = value[key];
    if (typeof v === 'string') out[key] = nfc(v);
    else if (Array.isArray(v)) out[key] = v.filter((s): s is string => typeof s === 'string').map(nfc);
  }
  return out;
});

const WRONG_KEY = 'Mã phiếu hoặc mã truy cập không đúng. Xin kiểm tra lại hai mã in trên thư mời.';
const TOO_MANY = 'Đã nhập sai quá nhiều lần. Xin thử lại sau ít phút, hoặc quét mã QR trên thư mời.';

function noStore(c: Context<AppEnv>) {
  // Forms and answers must not linger in shared caches, and the token must not leak via Referer.
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'no-referrer');
  c.header('x-robots-tag', 'noindex');
}

export function qrRoutes(deps: AppDeps) {
  const { db, committer, config, shortLinkLimits } = deps;

  const formPage = async (open: OpenQuestionnaire, token: string, extra: { values?: QrFormValues; problems?: FieldProblem[]; message?: string } = {}) => (
    <QrFormPage
      token={token}
      code={open.questionnaire.code}
      waveName={open.wave.name}
      unitName={await unitNameOf(db, open)}
      questionnaire={open.definition}
      minAnswered={minAnswered(criterionCodes(open.definition).length, open.wave.settings)}
      values={extra.values}
      problems={Object.fromEntries((extra.problems ?? []).map((p) => [p.field, p.message]))}
      message={extra.message}
    />
  );

  return new Hono<AppEnv>()
    .use('/q/*', compress())
    .use('/k', compress())
    .get('/q/:token', async (c) => {
      noStore(c);
      const token = c.req.param('token');
      const open = await openByToken(db, token);
      if (!open) return c.html(<QrNotFoundPage />, 404);
      if (!takesAnswers(open)) return c.html(<WaveClosedPage />);
      if (isAnswered(open)) return c.html(<AlreadyAnsweredPage unitName={await unitNameOf(db, open)} />);
      return c.html(await formPage(open, token));
    })
    .post(
      '/q/:token',
      async (c, next) => {
        // Before the body is read: a post to a token that does not exist (or was never sent) costs
        // one look-up, never the parsing of whatever was sent. The job below checks everything
        // again, locked, closed waves included.
        noStore(c);
        if (!(await isOpenToken(db, c.req.param('token')))) return c.html(<QrNotFoundPage />, 404);
        await next();
      },
      formValues,
      async (c) => {
        noStore(c);
        const token = c.req.param('token');
        const values = c.req.valid('form');
        // Every read and the write happen inside one batched job: the reads then see exactly what
        // the write will, and no request holds the connection between batches.
        const outcome = await committer.run((trx, batch) => submitQrForm(trx, batch, token, values));
        switch (outcome.kind) {
          case 'not-found':
            return c.html(<QrNotFoundPage />, 404);
          case 'closed':
            return c.html(<WaveClosedPage />, 409);
          case 'problems':
            return c.html(await formPage(outcome.open, token, { values, problems: outcome.problems }), 400);
          case 'too-few': {
            // The person is still here: ask once for more answers before storing a response that will not count.
            const message = `Ông/bà mới trả lời ${outcome.answered} tiêu chí; phiếu cần ít nhất ${outcome.need} tiêu chí có câu trả lời để được tính. Xin trả lời thêm, hoặc bấm «Gửi phiếu trả lời» lần nữa để gửi như hiện tại.`;
            return c.html(await formPage(outcome.open, token, { values: { ...values, incomplete_ok: '1' }, message }), 400);
          }
          case 'recorded':
            if (outcome.state === 'review') return c.html(<AlreadyAnsweredPage unitName={await unitNameOf(db, outcome.open)} laterSubmissionKept />);
            return c.redirect(`/q/${token}/cam-on`, 303);
          case 'full':
            return c.html(<AlreadyAnsweredPage unitName={await unitNameOf(db, outcome.open)} />, 409);
        }
      },
    )
    .get('/q/:token/cam-on', async (c) => {
      noStore(c);
      const token = c.req.param('token');
      const open = await openByToken(db, token);
      if (!open) return c.html(<QrNotFoundPage />, 404);
      if (!isAnswered(open)) return c.redirect(`/q/${token}`, 303);
      return c.html(<ThanksPage unitName={await unitNameOf(db, open)} />);
    })
    .get('/k', (c) => {
      noStore(c);
      return c.html(<ShortLinkPage />);
    })
    .post('/k', formValues, async (c) => {
      noStore(c);
      const form = c.req.valid('form');
      const typedCode = typeof form.code === 'string' ? form.code : '';
      const typedKey = typeof form.key === 'string' ? form.key : '';
      const outcome = await openByShortLink(db, shortLinkLimits, { client: clientAddress(c, config.trustedProxyHops), typedCode, typedKey });
      switch (outcome.kind) {
        case 'too-many':
          return c.html(<ShortLinkPage code={typedCode} error={TOO_MANY} />, 429);
        case 'wrong-key':
          return c.html(<ShortLinkPage code={typedCode} error={WRONG_KEY} />, 400);
        case 'open':
          return c.redirect(`/q/${outcome.token}`, 303);
      }
    });
}
