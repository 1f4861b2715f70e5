import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { validator } from 'hono/validator';
import { byField, type FieldErrors } from '../../survey-web/field-errors';
import { errorFlash, type FlashMessage } from '../../survey-web/layout';
import { AccountsPage, type AccountAddValues } from '../../survey-web/pages/accounts-page';
import { AdminPage } from '../../survey-web/pages/admin-page';
import { SITE_PAGES } from '../../survey-web/navigation';
import { WaveCreatePage, type WaveCreateValues } from '../../survey-web/pages/wave-create-page';
import type { AppDeps, AppEnv } from '../app-env';
import { backupDatabase, backupFileKind } from '../db/backup';
import { writeTransaction } from '../db/unit-of-work';
import { UserError, type ErrorStatus } from '../errors';
import { formList, formText, typedYear, type PostedForm } from '../forms/form-fields';
import { actorOf, requireRole, signedInUser } from '../middleware/auth';
import { recordAudit } from '../repositories/audit';
import { listAccounts, type Account } from '../repositories/users';
import { listWaves } from '../repositories/waves';
import { dayInVietnam } from '../services/draw/seed-rule';
import { addAccount, disableAccount, enableAccount, latestWaveUnits, newOneTimePassword, resetPassword, setClerkUnits, type Actor } from '../services/accounts/accounts';
import { createWave } from '../services/waves/waves';

/**
 * Administration in the browser, at /admin: creating waves, accounts and backups (what the
 * command line did alone before). Closing and purging a wave live with the wave
 * (wave-admin-routes.tsx). Every handler calls the same service as the command line.
 */

async function renderAccounts(
  c: Context<AppEnv>,
  deps: AppDeps,
  extra: { message?: FlashMessage; oneTimePassword?: { username: string; password: string }; values?: AccountAddValues; errors?: FieldErrors } = {},
  status: 200 | ErrorStatus = 200,
) {
  const [accounts, units] = await Promise.all([listAccounts(deps.db), latestWaveUnits(deps.db)]);
  return c.html(<AccountsPage accounts={accounts} units={units} user={c.var.user} {...extra} />, status);
}

async function renderWaveCreate(c: Context<AppEnv>, deps: AppDeps, values: WaveCreateValues | null, refusal?: UserError) {
  const waves = await listWaves(deps.db);
  // The usual case: next year's wave, starting from the latest one's units and questionnaire.
  const latest = waves[0];
  const shown = values ?? { year: String(latest ? latest.year + 1 : dayInVietnam(deps.clock()).slice(0, 4)), name: '', copyFrom: latest ? String(latest.year) : '' };
  return c.html(
    <WaveCreatePage waves={waves} values={shown} errors={byField(refusal?.fields)} message={refusal ? errorFlash(refusal) : undefined} user={c.var.user} />,
    refusal?.status ?? 200,
  );
}

function actor(c: Context<AppEnv>): Actor {
  const user = signedInUser(c);
  return { id: user.id, username: user.username };
}

/** The account's id in the path: a positive whole number, else no account matches. */
function accountId(c: Context<AppEnv>): number {
  const raw = c.req.param('id') ?? '';
  return /^\d{1,9}$/.test(raw) ? Number(raw) : Number.NaN;
}

/** Runs one account action and shows the list again with its outcome. */
async function accountAction(c: Context<AppEnv>, deps: AppDeps, work: () => Promise<FlashMessage>) {
  try {
    return await renderAccounts(c, deps, { message: await work() });
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return renderAccounts(c, deps, { message: errorFlash(error) }, error.status);
  }
}

const readWaveForm = validator('form', (form: PostedForm) => ({ year: formText(form, 'year'), name: formText(form, 'name'), copyFrom: formText(form, 'copyFrom') }));
const readAccountForm = validator('form', (form: PostedForm) => ({ username: formText(form, 'username'), role: formText(form, 'role'), units: formList(form, 'units') }));
const readUnitsForm = validator('form', (form: PostedForm) => ({ units: formList(form, 'units') }));

export function adminRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .get('/', requireRole(...SITE_PAGES.admin.roles), async (c) => c.html(<AdminPage waves={await listWaves(deps.db)} user={c.var.user} />))
    .get('/waves/new', requireRole('admin'), (c) => renderWaveCreate(c, deps, null))
    .post('/waves/new', requireRole('admin'), readWaveForm, async (c) => {
      const values = c.req.valid('form');
      try {
        const wave = await writeTransaction(deps.db, (trx) =>
          createWave(trx, {
            year: typedYear(values.year),
            name: values.name,
            copyFrom: values.copyFrom === '' ? undefined : typedYear(values.copyFrom),
            actor: actorOf(c),
          }),
        );
        return c.redirect(`/waves/${wave.year}`, 303);
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return renderWaveCreate(c, deps, values, error);
      }
    })
    .get('/accounts', requireRole('admin'), (c) => renderAccounts(c, deps))
    .post('/accounts', requireRole('admin'), readAccountForm, async (c) => {
      const values = c.req.valid('form');
      try {
        const { password, hash } = await newOneTimePassword();
        const account = await writeTransaction(deps.db, (trx) => addAccount(trx, { username: values.username, role: values.role, unitCodes: values.units }, hash, actor(c)));
        return await renderAccounts(c, deps, { message: { kind: 'ok', text: `Đã thêm tài khoản ${account.username}` }, oneTimePassword: { username: account.username, password } });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return renderAccounts(c, deps, { message: errorFlash(error), values, errors: byField(error.fields) }, error.status);
      }
    })
    .post('/accounts/:id/disable', requireRole('admin'), (c) =>
      accountAction(c, deps, async () => {
        const account = await writeTransaction(deps.db, (trx) => disableAccount(trx, accountId(c), actor(c)));
        return { kind: 'ok', text: `Đã khóa tài khoản ${account.username}: không đăng nhập được nữa, các phiên đang mở đã kết thúc` };
      }),
    )
    .post('/accounts/:id/enable', requireRole('admin'), (c) =>
      accountAction(c, deps, async () => {
        const account = await writeTransaction(deps.db, (trx) => enableAccount(trx, accountId(c), actor(c)));
        return { kind: 'ok', text: `Đã mở khóa tài khoản ${account.username}` };
      }),
    )
    .post('/accounts/:id/reset-password', requireRole('admin'), async (c) => {
      try {
        const { password, hash } = await newOneTimePassword();
        const account: Account = await writeTransaction(deps.db, (trx) => resetPassword(trx, accountId(c), hash, actor(c)));
        return await renderAccounts(c, deps, {
          message: { kind: 'ok', text: `Đã cấp lại mật khẩu cho ${account.username}; các phiên đăng nhập của tài khoản này đã kết thúc` },
          oneTimePassword: { username: account.username, password },
        });
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        return renderAccounts(c, deps, { message: errorFlash(error) }, error.status);
      }
    })
    .post('/accounts/:id/units', requireRole('admin'), readUnitsForm, (c) =>
      accountAction(c, deps, async () => {
        const account = await writeTransaction(deps.db, (trx) => setClerkUnits(trx, accountId(c), c.req.valid('form').units, actor(c)));
        const units = account.unitCodes === null ? 'mọi đơn vị' : `${account.unitCodes.length} đơn vị (${account.unitCodes.join(', ')})`;
        return { kind: 'ok', text: `${account.username} được nhập phiếu của ${units}` };
      }),
    )
    .get('/backup', requireRole('admin'), async (c) => {
      // Written beside the database (same disk, owner-only), opened, then unlinked at once: the
      // download reads the open file, and no copy of personal data outlives the request, even
      // if the server dies during it.
      const kind = backupFileKind(deps.config.database);
      const file = path.join(deps.config.dataDir, `.backup-${process.pid}-${randomBytes(6).toString('hex')}${kind.extension}`);
      let fd: number;
      let bytes: number;
      try {
        ({ bytes } = await backupDatabase(deps.config.database, file));
        await writeTransaction(deps.db, (trx) => recordAudit(trx, { actor: actorOf(c), action: 'backup.download', detail: { bytes } }));
        fd = fs.openSync(file, 'r');
      } finally {
        fs.rmSync(file, { force: true });
      }
      const body = Readable.toWeb(fs.createReadStream('', { fd, autoClose: true })) as ReadableStream;
      return c.body(body, 200, {
        'content-type': kind.contentType,
        'content-length': String(bytes),
        'content-disposition': `attachment; filename="sipas-backup-${dayInVietnam(deps.clock())}${kind.extension}"`,
      });
    });
}
