import { Hono, type Context } from 'hono';
import { validator } from 'hono/validator';
import { EntryPage, figuresSummary, type EntryPageProps } from '../../survey-web/pages/entry-page';
import { EntrySettingsPage, MismatchesPage } from '../../survey-web/pages/mismatches-page';
import type { AppEnv } from '../app-env';
import { UserError, type ErrorStatus } from '../errors';
import { requireRole } from '../middleware/auth';
import { listKeyingTimings } from '../repositories/paper-keyings';
import { findQuestionnaire } from '../repositories/questionnaire-versions';
import type { User } from '../repositories/users';
import {
  listMismatches,
  openForKeying,
  operatorFigures,
  recordNoForm,
  setDoubleEntry,
  settleMismatch,
  submitKeying,
  type FieldChoice,
  type FormBody,
  type OpenedForm,
} from '../services/paper-entry';
import { requireWave } from '../services/waves';
import { parseYear } from './wave-routes';

/**
 * Post-office data entry under /waves/:year/entry: the keying page (clerks and administrators),
 * statuses without a form, double-entry settlement (supervisors and administrators) and the
 * double-entry switch (administrators). Pages answer JSON when the entry page's script asks.
 */

type Ctx = Context<AppEnv>;

function wantsJson(c: Ctx): boolean {
  return c.req.header('accept')?.includes('application/json') ?? false;
}

function signedIn(c: Ctx): User {
  const user = c.var.user;
  if (!user) throw new UserError('Cần đăng nhập', 403);
  return user;
}

/** Text fields only: the entry forms carry no files. */
function textFields(form: Record<string, string | File | (string | File)[]>): FormBody {
  const body: FormBody = {};
  for (const [key, value] of Object.entries(form)) {
    const texts = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
    body[key] = texts.length === 1 ? texts[0] : texts;
  }
  return body;
}

const formFields = validator('form', (form) => textFields(form));

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
}

async function renderEntry(c: Ctx, year: number, extra: Partial<EntryPageProps>, status: 200 | ErrorStatus = 200) {
  const { db } = c.var.deps;
  const user = signedIn(c);
  const wave = await requireWave(db, year);
  const questionnaire = await findQuestionnaire(db, year);
  if (!questionnaire) throw new UserError(`Đợt ${year} chưa có phiếu khảo sát`, 409);
  const figures = operatorFigures(await listKeyingTimings(db, year), new Date());
  return c.html(
    <EntryPage
      wave={{ year, name: wave.name, doubleEntry: wave.settings.doubleEntry }}
      user={user}
      questionnaire={questionnaire}
      opened={null}
      mine={figures.find((f) => f.enteredBy === user.username) ?? null}
      everyone={user.role === 'admin' ? figures : undefined}
      {...extra}
    />,
    status,
  );
}

function pageForm(opened: OpenedForm) {
  return { code: opened.code, unitCode: opened.unitCode, unitName: opened.unitName, pass: opened.pass, openedAt: opened.openedAt, warning: opened.warning };
}

async function myFigures(c: Ctx, year: number, username: string) {
  const figures = operatorFigures(await listKeyingTimings(c.var.deps.db, year, username), new Date())[0] ?? null;
  return { ...figures, summary: figuresSummary(figures) };
}

async function renderMismatches(c: Ctx, year: number, message?: { kind: 'ok' | 'error'; text: string; details?: string[] }, status: 200 | 400 | 409 = 200) {
  const { db } = c.var.deps;
  const wave = await requireWave(db, year);
  return c.html(
    <MismatchesPage
      wave={{ year, name: wave.name, doubleEntry: wave.settings.doubleEntry }}
      user={signedIn(c)}
      mismatches={await listMismatches(db, year)}
      figures={operatorFigures(await listKeyingTimings(db, year), new Date())}
      message={message}
    />,
    status,
  );
}

export const entryRoutes = new Hono<AppEnv>()
  .get('/:year/entry', requireRole('clerk', 'admin'), async (c) => {
    const year = parseYear(c.req.param('year'));
    const typed = c.req.query('code');
    if (typed === undefined || typed.trim() === '') return renderEntry(c, year, {});
    try {
      const opened = await openForKeying(c.var.deps.db, year, typed, signedIn(c).username);
      return renderEntry(c, year, { opened: pageForm(opened) });
    } catch (error) {
      if (!(error instanceof UserError)) throw error;
      return renderEntry(c, year, { typedCode: typed, message: { kind: 'error', text: error.message, details: error.details } }, error.status);
    }
  })
  .get('/:year/entry/lookup', requireRole('clerk', 'admin'), async (c) => {
    const year = parseYear(c.req.param('year'));
    const opened = await openForKeying(c.var.deps.db, year, c.req.query('code') ?? '', signedIn(c).username);
    return c.json(opened);
  })
  .post('/:year/entry/forms', requireRole('clerk', 'admin'), formFields, async (c) => {
    const year = parseYear(c.req.param('year'));
    const body = c.req.valid('form');
    const user = signedIn(c);
    const corrections = Number(one(body.corrections) || '0');
    if (!Number.isInteger(corrections) || corrections < 0 || corrections > 100_000) {
      throw new UserError(`Số lần sửa "${one(body.corrections)}" không hợp lệ`);
    }
    try {
      const result = await submitKeying(c.var.deps.db, {
        year,
        typedCode: one(body.code),
        user: user.username,
        body,
        corrections,
        openedAt: one(body.opened_at) || null,
      });
      if (wantsJson(c)) return c.json({ code: result.code, outcome: result.outcome, message: result.message, figures: await myFigures(c, year, user.username) });
      return renderEntry(c, year, { message: { kind: 'ok', text: result.message } });
    } catch (error) {
      if (!(error instanceof UserError) || wantsJson(c)) throw error;
      // Show the form again with what was keyed, so nothing has to be keyed twice.
      let opened: OpenedForm | null = null;
      try {
        opened = await openForKeying(c.var.deps.db, year, one(body.code), user.username);
      } catch {
        opened = null;
      }
      return renderEntry(c, year, { opened: opened && pageForm(opened), values: body, typedCode: one(body.code), message: { kind: 'error', text: error.message, details: error.details } }, error.status);
    }
  })
  .post('/:year/entry/outcome', requireRole('clerk', 'admin'), formFields, async (c) => {
    const year = parseYear(c.req.param('year'));
    const body = c.req.valid('form');
    const outcome = one(body.outcome);
    if (outcome !== 'undeliverable' && outcome !== 'refused') throw new UserError(`Trạng thái "${outcome}" không hợp lệ: chỉ "không phát được" hoặc "từ chối"`);
    try {
      const result = await recordNoForm(c.var.deps.db, { year, typedCode: one(body.code), outcome, actor: signedIn(c).username });
      if (wantsJson(c)) return c.json(result);
      return renderEntry(c, year, { message: { kind: 'ok', text: result.message } });
    } catch (error) {
      if (!(error instanceof UserError) || wantsJson(c)) throw error;
      return renderEntry(c, year, { typedCode: one(body.code), message: { kind: 'error', text: error.message, details: error.details } }, error.status);
    }
  })
  .get('/:year/entry/mismatches', requireRole('supervisor', 'admin'), async (c) => renderMismatches(c, parseYear(c.req.param('year'))))
  .post('/:year/entry/mismatches/:id', requireRole('supervisor', 'admin'), formFields, async (c) => {
    const year = parseYear(c.req.param('year'));
    const questionnaireId = Number(c.req.param('id'));
    if (!Number.isInteger(questionnaireId)) throw new UserError(`Không có phiếu số "${c.req.param('id')}"`, 404);
    const body = c.req.valid('form');
    const choices: Record<string, FieldChoice> = {};
    for (const [key, value] of Object.entries(body)) {
      const pick = one(value);
      if (!key.startsWith('choice_') || (pick !== 'pass1' && pick !== 'pass2' && pick !== 'other')) continue;
      const field = key.slice('choice_'.length);
      choices[field] = { pick, other: one(body[`other_${field}`]) };
    }
    try {
      const result = await settleMismatch(c.var.deps.db, { year, questionnaireId, choices, actor: signedIn(c).username });
      if (wantsJson(c)) return c.json(result);
      return renderMismatches(c, year, { kind: 'ok', text: result.message });
    } catch (error) {
      if (!(error instanceof UserError) || wantsJson(c)) throw error;
      return renderMismatches(c, year, { kind: 'error', text: error.message, details: error.details }, error.status === 409 ? 409 : 400);
    }
  })
  .get('/:year/entry/settings', requireRole('admin'), async (c) => {
    const wave = await requireWave(c.var.deps.db, parseYear(c.req.param('year')));
    return c.html(<EntrySettingsPage wave={{ year: wave.year, name: wave.name, doubleEntry: wave.settings.doubleEntry }} user={signedIn(c)} />);
  })
  .post('/:year/entry/settings', requireRole('admin'), formFields, async (c) => {
    const year = parseYear(c.req.param('year'));
    const raw = c.req.valid('form').double_entry;
    const on = (Array.isArray(raw) ? raw : [raw]).includes('1');
    const { recorded } = await setDoubleEntry(c.var.deps.db, year, on, signedIn(c).username);
    const wave = await requireWave(c.var.deps.db, year);
    const message = on
      ? 'Đã bật nhập hai lần: từ nay mỗi phiếu giấy cần hai lần nhập độc lập.'
      : `Đã tắt nhập hai lần${recorded > 0 ? `; ${recorded} phiếu đã nhập một lần được ghi nhận` : ''}.`;
    return c.html(<EntrySettingsPage wave={{ year, name: wave.name, doubleEntry: wave.settings.doubleEntry }} user={signedIn(c)} message={message} />);
  });
