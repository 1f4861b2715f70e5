import { getConnInfo } from '@hono/node-server/conninfo';
import { Hono, type Context } from 'hono';
import { compress } from 'hono/compress';
import { validator } from 'hono/validator';
import type { Questionnaire } from '../../analysis/questionnaire';
import { QrFormPage } from '../../survey-web/pages/qr-form-page';
import { AlreadyAnsweredPage, QrNotFoundPage, ShortLinkPage, ThanksPage, WaveClosedPage } from '../../survey-web/pages/qr-status-pages';
import type { AppEnv } from '../app-env';
import type { Db } from '../db/connect';
import type { Executor, QuestionnaireStatus, ResponseState } from '../db/schema';
import { findQuestionnaireByCode, findQuestionnaireByToken, findUnitName, lockQuestionnaireByToken, type CollectionQuestionnaire } from '../repositories/collection';
import { findQuestionnaire } from '../repositories/questionnaire-versions';
import { findWave, type Wave } from '../repositories/waves';
import { accessKeyMatches } from '../services/access-keys';
import { AttemptLimiter } from '../services/attempt-limiter';
import { GroupCommitter } from '../services/group-commit';
import { normaliseQuestionnaireCode } from '../services/questionnaire-codes';
import { checkResponse, criteriaOf, minAnswered, recordResponse, ResponseValidationError, type FieldProblem, type ResponseInput } from '../services/responses';

/**
 * The citizen's side: `/q/<token>` (from the QR code) and `/k` (the short address printed on
 * the letter for people who type). No sign-in; the token is the only key, so every page here
 * is careful to show nothing about the person and nothing about tokens that do not exist.
 */

type FormValues = Record<string, string | string[]>;

const ASCII = /^[\x00-\x7f]*$/;

/** NFC, skipping the work for the radio values and codes that make up most of a form: ASCII is already NFC. */
function nfc(text: string): string {
  return ASCII.test(text) ? text : text.normalize('NFC');
}

const formValues = validator('form', (value): FormValues => {
  const out: FormValues = {};
  for (const key in value) {
    const v = value[key];
    if (typeof v === 'string') out[key] = nfc(v);
    else if (Array.isArray(v)) out[key] = v.filter((s): s is string => typeof s === 'string').map(nfc);
  }
  return out;
});

/** Statuses after which the token is closed: the form gives way to "already answered". */
const ANSWERED: QuestionnaireStatus[] = ['answered-qr', 'returned-paper', 'invalid'];
const WRONG_KEY = 'Mã phiếu hoặc mã truy cập không đúng. Xin kiểm tra lại hai mã in trên thư mời.';
const TOO_MANY = 'Đã nhập sai quá nhiều lần. Xin thử lại sau ít phút, hoặc quét mã QR trên thư mời.';

/** Reads the posted form into the response service's input; radio values outside the form's own are named. */
export function readQrForm(questionnaire: Questionnaire, form: FormValues): { input: Pick<ResponseInput, 'answers' | 'profile' | 'comment'>; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const answers: Record<string, number | null> = {};
  for (const code of criteriaOf(questionnaire)) {
    const raw = form[code];
    if (raw === undefined || raw === '' || raw === '0') answers[code] = null;
    else if (typeof raw === 'string' && raw.length === 1 && raw >= '1' && raw <= '5') answers[code] = raw.charCodeAt(0) - 48;
    else problems.push({ field: code, message: `xin chọn một mức từ 1 đến 5 hoặc «${questionnaire.noOpinionLabel}»` });
  }
  const profile: Record<string, string | string[] | null> = {};
  for (const item of questionnaire.profile) {
    const raw = form[item.code];
    if (item.kind === 'text' || raw === undefined || raw === '') continue;
    profile[item.code] = item.kind === 'multi' ? (Array.isArray(raw) ? raw : [raw]) : raw;
  }
  const comment = typeof form.comment === 'string' ? form.comment : null;
  return { input: { answers, profile, comment }, problems };
}

/**
 * Who is guessing, for the attempt limit. Behind reverse proxies every request comes from the
 * proxy, so with TRUSTED_PROXY_HOPS = n the address is the one the outermost trusted proxy wrote,
 * n entries from the end of X-Forwarded-For; the entries before it are whatever the client sent.
 */
function clientAddress(c: Context<AppEnv>): string {
  const hops = c.var.deps.config.trustedProxyHops;
  if (hops > 0) {
    const forwarded = (c.req.header('x-forwarded-for') ?? '').split(',').map((entry) => entry.trim()).filter(Boolean);
    const address = forwarded[forwarded.length - hops];
    if (address) return address;
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    // app.request() in tests has no socket.
    return 'unknown';
  }
}

function noStore(c: Context<AppEnv>) {
  // Forms and answers must not linger in shared caches, and the token must not leak via Referer.
  c.header('cache-control', 'no-store');
  c.header('referrer-policy', 'no-referrer');
  c.header('x-robots-tag', 'noindex');
}

interface OpenQuestionnaire {
  questionnaire: CollectionQuestionnaire;
  wave: Wave;
  definition: Questionnaire;
}

type WaveContext = { wave: Wave; definition: Questionnaire } | undefined;

async function loadWaveContext(db: Executor, year: number): Promise<WaveContext> {
  const wave = await findWave(db, year);
  const definition = wave && (await findQuestionnaire(db, wave.year));
  return wave && definition ? { wave, definition } : undefined;
}

/**
 * Within one group-commit transaction (which holds the write lock, so nothing else changes the
 * wave meanwhile) the wave and its questionnaire are read once for the whole batch.
 */
const waveContextByTransaction = new WeakMap<Executor, Map<number, Promise<WaveContext>>>();

function waveContextInBatch(trx: Executor, year: number): Promise<WaveContext> {
  let byYear = waveContextByTransaction.get(trx);
  if (!byYear) waveContextByTransaction.set(trx, (byYear = new Map()));
  let context = byYear.get(year);
  if (!context) byYear.set(year, (context = loadWaveContext(trx, year)));
  return context;
}

/** The questionnaire behind a token, or undefined when it does not exist or was never sent. */
async function openByToken(db: Executor, token: string, loadContext = loadWaveContext, find = findQuestionnaireByToken): Promise<OpenQuestionnaire | undefined> {
  const questionnaire = await find(db, token);
  if (!questionnaire || !questionnaire.released) return undefined;
  const context = await loadContext(db, questionnaire.waveYear);
  return context && { questionnaire, ...context };
}

/** Read only for pages that show it: the common path (a 303 after a counted answer) needs no name. */
async function unitNameOf(db: Executor, open: OpenQuestionnaire): Promise<string> {
  return (await findUnitName(db, open.wave.year, open.questionnaire.unitCode)) ?? open.questionnaire.unitCode;
}

type SubmitOutcome =
  | { kind: 'not-found' }
  | { kind: 'closed' }
  | { kind: 'problems'; open: OpenQuestionnaire; problems: FieldProblem[] }
  | { kind: 'too-few'; open: OpenQuestionnaire; answered: number; need: number }
  | { kind: 'recorded'; open: OpenQuestionnaire; state: ResponseState };

async function submit(trx: Executor, token: string, values: FormValues): Promise<SubmitOutcome> {
  // Locked while it is found: recordResponse then needs no second statement to lock it.
  const open = await openByToken(trx, token, waveContextInBatch, lockQuestionnaireByToken);
  if (!open) return { kind: 'not-found' };
  if (open.wave.status === 'closed') return { kind: 'closed' };
  const read = readQrForm(open.definition, values);
  const checked = checkResponse(open.definition, open.wave.settings, read.input);
  const problems = [...read.problems, ...(checked.ok ? [] : checked.problems)];
  if (!checked.ok || problems.length > 0) return { kind: 'problems', open, problems };
  if (!checked.response.valid && values.incomplete_ok !== '1') {
    return { kind: 'too-few', open, answered: checked.response.answered, need: minAnswered(criteriaOf(open.definition).length, open.wave.settings) };
  }
  try {
    const input = { waveYear: open.wave.year, questionnaireId: open.questionnaire.id, unitCode: open.questionnaire.unitCode, channel: 'qr' as const, ...read.input, enteredBy: null };
    const result = await recordResponse(trx, input, { wave: open.wave, questionnaire: open.definition, locked: open.questionnaire, checked: checked.response });
    return { kind: 'recorded', open, state: result.state };
  } catch (error) {
    if (error instanceof ResponseValidationError) return { kind: 'problems', open, problems: error.problems };
    throw error;
  }
}

export function qrRoutes() {
  const failuresByClient = new AttemptLimiter(10, 15 * 60_000);
  const failuresByCode = new AttemptLimiter(10, 60 * 60_000);
  let committer: GroupCommitter | undefined;
  const committerFor = (db: Db) => (committer?.db === db ? committer : (committer = new GroupCommitter(db)));

  const formPage = async (db: Executor, open: OpenQuestionnaire, token: string, extra: { values?: FormValues; problems?: FieldProblem[]; message?: string } = {}) => (
    <QrFormPage
      token={token}
      code={open.questionnaire.code}
      waveName={open.wave.name}
      unitName={await unitNameOf(db, open)}
      questionnaire={open.definition}
      minAnswered={minAnswered(criteriaOf(open.definition).length, open.wave.settings)}
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
      const open = await openByToken(c.var.deps.db, token);
      if (!open) return c.html(<QrNotFoundPage />, 404);
      if (open.wave.status === 'closed') return c.html(<WaveClosedPage />);
      if (ANSWERED.includes(open.questionnaire.status)) return c.html(<AlreadyAnsweredPage unitName={await unitNameOf(c.var.deps.db, open)} />);
      return c.html(await formPage(c.var.deps.db, open, token));
    })
    .post('/q/:token', formValues, async (c) => {
      noStore(c);
      const token = c.req.param('token');
      const values = c.req.valid('form');
      // Every read and the write happen inside one batched job: the reads then see exactly what
      // the write will, and no request holds the connection between batches.
      const outcome = await committerFor(c.var.deps.db).run((trx) => submit(trx, token, values));
      switch (outcome.kind) {
        case 'not-found':
          return c.html(<QrNotFoundPage />, 404);
        case 'closed':
          return c.html(<WaveClosedPage />, 409);
        case 'problems':
          return c.html(await formPage(c.var.deps.db, outcome.open, token, { values, problems: outcome.problems }), 400);
        case 'too-few': {
          // The person is still here: ask once for more answers before storing a response that will not count.
          const message = `Ông/bà mới trả lời ${outcome.answered} tiêu chí; phiếu cần ít nhất ${outcome.need} tiêu chí có câu trả lời để được tính. Xin trả lời thêm, hoặc bấm «Gửi phiếu trả lời» lần nữa để gửi như hiện tại.`;
          return c.html(await formPage(c.var.deps.db, outcome.open, token, { values: { ...values, incomplete_ok: '1' }, message }), 400);
        }
        case 'recorded':
          if (outcome.state === 'review') return c.html(<AlreadyAnsweredPage unitName={await unitNameOf(c.var.deps.db, outcome.open)} laterSubmissionKept />);
          return c.redirect(`/q/${token}/cam-on`, 303);
      }
    })
    .get('/q/:token/cam-on', async (c) => {
      noStore(c);
      const token = c.req.param('token');
      const open = await openByToken(c.var.deps.db, token);
      if (!open) return c.html(<QrNotFoundPage />, 404);
      if (!ANSWERED.includes(open.questionnaire.status)) return c.redirect(`/q/${token}`, 303);
      return c.html(<ThanksPage unitName={await unitNameOf(c.var.deps.db, open)} />);
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
      const client = clientAddress(c);
      const code = normaliseQuestionnaireCode(typedCode);
      if (failuresByClient.isBlocked(client) || (code && failuresByCode.isBlocked(code))) {
        return c.html(<ShortLinkPage code={typedCode} error={TOO_MANY} />, 429);
      }
      const questionnaire = code ? await findQuestionnaireByCode(c.var.deps.db, code) : undefined;
      // Compare even when the code is unknown, so timing does not tell which codes exist.
      const keyMatches = accessKeyMatches(questionnaire?.token ?? 'no-such-questionnaire', typedKey);
      if (!questionnaire || !questionnaire.released || !keyMatches) {
        failuresByClient.recordFailure(client);
        if (code) failuresByCode.recordFailure(code);
        return c.html(<ShortLinkPage code={typedCode} error={WRONG_KEY} />, 400);
      }
      return c.redirect(`/q/${questionnaire.token}`, 303);
    });
}
