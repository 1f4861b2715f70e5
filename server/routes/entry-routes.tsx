import { Hono, type Context } from 'hono';
import { validator } from 'hono/validator';
import { EntryPage, figuresSummary, type EntryPageProps } from '../../survey-web/pages/entry-page';
import { EntrySettingsPage, MismatchesPage } from '../../survey-web/pages/mismatches-page';
import { PAGES } from '../../survey-web/navigation';
import { errorFlash, type FlashMessage } from '../../survey-web/layout';
import type { AppDeps, WaveEnv } from '../app-env';
import type { Db } from '../db/connect';
import { writeTransaction } from '../db/unit-of-work';
import { UserError, type ErrorStatus } from '../errors';
import type { FormBody } from '../forms/keyed-form';
import { requireRole, signedInUser } from '../middleware/auth';
import type { Wave } from '../repositories/waves';
import type { FieldChoice } from '../services/entry/double-entry';
import { setDoubleEntry } from '../services/entry/double-entry-switch';
import { listMismatches, settleMismatch } from '../services/entry/mismatches';
import { listView, readListQuery } from '../forms/list-query';
import { listUnits } from '../repositories/units';
import { labelledProblems } from '../services/entry/entry-messages';
import { EntryRefusal } from '../services/entry/entry-refusal';
import { confirmNoForm, recordNoForm, undoNoForm, type NoFormOutcome } from '../services/entry/no-form-outcomes';
import { keyingFigures, keyingUnits, openForKeying, submitKeying, type OpenedForm } from '../services/entry/paper-keying';
import { questionnaireStatusLabel } from '../services/entry/questionnaire-status-labels';
import { requireQuestionnaire } from '../services/waves/wave-questionnaire';

/**
 * Post-office data entry under /waves/:year/entry: the keying page (clerks and administrators),
 * statuses without a form, double-entry settlement (supervisors and administrators) and the
 * double-entry switch (administrators). Pages answer JSON when the entry page's script asks.
 */

type Ctx = Context<WaveEnv>;

function wantsJson(c: Ctx): boolean {
  return c.req.header('accept')?.includes('application/json') ?? false;
}

function one(value: string | string[] | undefined): string {
  return (Array.isArray(value) ? value[0] : value) ?? '';
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

/** A keyed form: its answers as posted, the code, when the page opened it and the corrections counted by the page. */
const keyedForm = validator('form', (form) => {
  const body = textFields(form);
  const raw = one(body.corrections);
  const corrections = Number(raw || '0');
  if (!Number.isInteger(corrections) || corrections < 0 || corrections > 100_000) throw new UserError(`Số lần sửa "${raw}" không hợp lệ`);
  return { body, code: one(body.code), openedAt: one(body.opened_at) || null, corrections };
});

/** `confirm=1` comes from the confirmation step: without it nothing is marked yet. */
const noFormOutcome = validator('form', (form): { code: string; outcome: NoFormOutcome; confirmed: boolean } => {
  const body = textFields(form);
  const outcome = one(body.outcome);
  if (outcome !== 'undeliverable' && outcome !== 'refused') {
    throw new UserError(`Trạng thái "${outcome}" không hợp lệ: chỉ "${questionnaireStatusLabel.undeliverable}" hoặc "${questionnaireStatusLabel.refused}"`);
  }
  return { code: one(body.code), outcome, confirmed: one(body.confirm) === '1' };
});

const typedCode = validator('form', (form) => ({ code: one(textFields(form).code) }));

const questionnaireId = validator('param', (params) => {
  const id = Number(params.id);
  if (!Number.isInteger(id)) throw new UserError(`Không có phiếu số "${params.id}"`, 404);
  return { id };
});

/** `choice_<field>` = pass1 | pass2 | other, with the supervisor's own value in `other_<field>`. */
const settlementChoices = validator('form', (form) => {
  const body = textFields(form);
  const choices: Record<string, FieldChoice> = {};
  for (const [key, value] of Object.entries(body)) {
    const pick = one(value);
    if (!key.startsWith('choice_') || (pick !== 'pass1' && pick !== 'pass2' && pick !== 'other')) continue;
    const field = key.slice('choice_'.length);
    choices[field] = { pick, other: one(body[`other_${field}`]) };
  }
  return { choices };
});

/** The checkbox follows a hidden "0", so a ticked box posts both values. */
const doubleEntrySwitch = validator('form', (form) => {
  const raw = textFields(form).double_entry;
  return { on: (Array.isArray(raw) ? raw : [raw]).includes('1') };
});

function pageWave(wave: Wave) {
  return { year: wave.year, name: wave.name, doubleEntry: wave.settings.doubleEntry };
}

function pageForm(opened: OpenedForm) {
  return { code: opened.code, unitCode: opened.unitCode, unitName: opened.unitName, pass: opened.pass, openedAt: opened.openedAt, warning: opened.warning };
}

async function renderEntry(db: Db, c: Ctx, extra: Partial<EntryPageProps>, status: 200 | ErrorStatus = 200) {
  const { wave } = c.var;
  const user = signedInUser(c);
  const figures = await keyingFigures(db, wave.year, new Date());
  return c.html(
    <EntryPage
      wave={pageWave(wave)}
      user={user}
      questionnaire={await requireQuestionnaire(db, wave.year)}
      opened={null}
      {...await keyingUnits(db, wave.year, user)}
      mine={figures.find((f) => f.enteredBy === user.username) ?? null}
      everyone={user.role === 'admin' ? figures : undefined}
      {...extra}
    />,
    status,
  );
}

/**
 * A refusal as the entry page's script reads it: the message, why the code cannot be keyed
 * (EntryRefusal's state) and a save's problems by field, each with its item's label.
 */
async function refusalJson(db: Db, c: Ctx, error: UserError) {
  const fields = error.fields.length > 0 ? labelledProblems(await requireQuestionnaire(db, c.var.wave.year), error.fields) : undefined;
  const state = error instanceof EntryRefusal ? error.state : undefined;
  return c.json({ error: error.message, details: error.details, state, fields }, error.status);
}

/** The list's query comes with a settlement too (the form posts to its own page's address), so the supervisor stays on that page. */
async function renderMismatches(db: Db, c: Ctx, message?: FlashMessage, status: 200 | ErrorStatus = 200) {
  const { wave } = c.var;
  const query = readListQuery(c.req.query());
  const mismatches = await listMismatches(db, wave.year, query.filter, query.page);
  return c.html(
    <MismatchesPage
      wave={pageWave(wave)}
      user={signedInUser(c)}
      mismatches={mismatches.rows}
      list={listView(`/waves/${wave.year}/entry/mismatches`, query, mismatches)}
      units={await listUnits(db, wave.year)}
      figures={await keyingFigures(db, wave.year, new Date())}
      message={message}
    />,
    status,
  );
}

export function entryRoutes(deps: AppDeps) {
  const { db } = deps;
  return new Hono<WaveEnv>()
    .get('/', requireRole(...PAGES.entry.roles), async (c) => {
      const typed = c.req.query('code');
      if (typed === undefined || typed.trim() === '') return renderEntry(db, c, {});
      try {
        const opened = await openForKeying(db, c.var.wave, typed, signedInUser(c), new Date());
        return renderEntry(db, c, { opened: pageForm(opened) });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return renderEntry(db, c, { typedCode: typed, codeError: error.message }, error.status);
      }
    })
    .get('/lookup', requireRole(...PAGES.entry.roles), async (c) => {
      try {
        return c.json(await openForKeying(db, c.var.wave, c.req.query('code') ?? '', signedInUser(c), new Date()));
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return refusalJson(db, c, error);
      }
    })
    .post('/forms', requireRole(...PAGES.entry.roles), keyedForm, async (c) => {
      const { body, code, openedAt, corrections } = c.req.valid('form');
      const { wave } = c.var;
      const user = signedInUser(c);
      try {
        const result = await writeTransaction(db, (trx) =>
          submitKeying(trx, { year: wave.year, typedCode: code, user: user.username, unitCodes: user.unitCodes, body, corrections, openedAt, now: new Date() }),
        );
        if (!wantsJson(c)) return renderEntry(db, c, { message: { kind: 'ok', text: result.message } });
        const [mine = null] = await keyingFigures(db, wave.year, new Date(), user.username);
        return c.json({ code: result.code, outcome: result.outcome, message: result.message, figures: { ...mine, summary: figuresSummary(mine) } });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        if (wantsJson(c)) return refusalJson(db, c, error);
        // Show the form again with what was keyed, so nothing has to be keyed twice.
        const opened = await openForKeying(db, wave, code, user, new Date()).catch(() => null);
        const fieldProblems = labelledProblems(await requireQuestionnaire(db, wave.year), error.fields);
        return renderEntry(db, c, { opened: opened && pageForm(opened), values: body, typedCode: code, message: errorFlash(error), fieldProblems }, error.status);
      }
    })
    .post('/outcome', requireRole(...PAGES.entry.roles), noFormOutcome, async (c) => {
      const { code, outcome, confirmed } = c.req.valid('form');
      const user = signedInUser(c);
      try {
        if (!confirmed) {
          const confirm = await confirmNoForm(db, c.var.wave, { typedCode: code, outcome, unitCodes: user.unitCodes });
          return wantsJson(c) ? c.json(confirm) : renderEntry(db, c, { confirm });
        }
        const result = await writeTransaction(db, (trx) =>
          recordNoForm(trx, { year: c.var.wave.year, typedCode: code, outcome, actor: user.username, unitCodes: user.unitCodes }),
        );
        if (wantsJson(c)) return c.json(result);
        return renderEntry(db, c, { message: { kind: 'ok', text: result.message }, undo: result.code });
      } catch (error) {
        if (!(error instanceof UserError) || wantsJson(c)) throw error;
        return renderEntry(db, c, { typedCode: code, message: errorFlash(error) }, error.status);
      }
    })
    .post('/outcome/undo', requireRole(...PAGES.entry.roles), typedCode, async (c) => {
      const { code } = c.req.valid('form');
      const user = signedInUser(c);
      try {
        const result = await writeTransaction(db, (trx) => undoNoForm(trx, { year: c.var.wave.year, typedCode: code, actor: user.username, unitCodes: user.unitCodes }));
        if (wantsJson(c)) return c.json(result);
        return renderEntry(db, c, { message: { kind: 'ok', text: result.message } });
      } catch (error) {
        if (!(error instanceof UserError) || wantsJson(c)) throw error;
        return renderEntry(db, c, { typedCode: code, message: errorFlash(error) }, error.status);
      }
    })
    .get('/mismatches', requireRole(...PAGES.mismatches.roles), async (c) => renderMismatches(db, c))
    .post('/mismatches/:id', requireRole(...PAGES.mismatches.roles), questionnaireId, settlementChoices, async (c) => {
      const { id } = c.req.valid('param');
      const { choices } = c.req.valid('form');
      try {
        const actor = signedInUser(c).username;
        const result = await writeTransaction(db, (trx) => settleMismatch(trx, { year: c.var.wave.year, questionnaireId: id, choices, actor }));
        if (wantsJson(c)) return c.json(result);
        return renderMismatches(db, c, { kind: 'ok', text: result.message });
      } catch (error) {
        if (!(error instanceof UserError) || wantsJson(c)) throw error;
        return renderMismatches(db, c, errorFlash(error), error.status);
      }
    })
    .get('/settings', requireRole(...PAGES.entrySettings.roles), async (c) => c.html(<EntrySettingsPage wave={pageWave(c.var.wave)} user={signedInUser(c)} />))
    .post('/settings', requireRole(...PAGES.entrySettings.roles), doubleEntrySwitch, async (c) => {
      const { on } = c.req.valid('form');
      const user = signedInUser(c);
      const { wave, message } = await writeTransaction(db, (trx) => setDoubleEntry(trx, c.var.wave.year, on, user.username));
      return c.html(<EntrySettingsPage wave={pageWave(wave)} user={user} message={{ kind: 'ok', text: message }} />);
    });
}
