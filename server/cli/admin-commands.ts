import { backupDatabase, restoreDatabase } from '../db/backup';
import type { Role } from '../db/schema';
import { writeTransaction } from '../db/unit-of-work';
import { UserError } from '../errors';
import { ROLES } from '../repositories/users';
import { addAccount, checkUsername, newOneTimePassword } from '../services/accounts/accounts';
import { setDoubleEntry } from '../services/entry/double-entry-switch';
import { closeWave, purgePersonalData } from '../services/waves/wave-lifecycle';
import { describeWaveRules, updateWaveRules } from '../services/waves/wave-rules';
import { requireYear, type CliCommand } from './command';

export const userAddCommand: CliCommand = {
  usage: 'user add --role admin|analyst|clerk|supervisor <username>',
  options: { role: { type: 'string' } },
  async run(ctx, values, positionals) {
    const role = values.role as Role | undefined;
    if (!role || !ROLES.includes(role)) throw new UserError(`--role phải là một trong ${ROLES.join(', ')}. Cách dùng: ${this.usage}`);
    const username = checkUsername(positionals[0] ?? '');
    // Generated, never typed on the command line, so it stays out of shell history; the person replaces it at first sign-in.
    const { password, hash } = await newOneTimePassword();
    await writeTransaction(ctx.db, (trx) => addAccount(trx, { username, role, unitCodes: [] }, hash, { id: null, username: ctx.actor }));
    return {
      text: `Đã tạo tài khoản ${username} (${role}). Mật khẩu dùng một lần (chỉ hiện một lần, phải đổi khi đăng nhập lần đầu): ${password}`,
      json: { username, role, password },
    };
  },
};

export const waveCloseCommand: CliCommand = {
  usage: 'wave close --wave 2023',
  options: { wave: { type: 'string' } },
  async run(ctx, values) {
    const year = requireYear(values, this.usage);
    await writeTransaction(ctx.db, (trx) => closeWave(trx, year, ctx.actor));
    return { text: `Đã khóa đợt ${year}: không nhận thêm phiếu; kết quả giữ nguyên`, json: { wave: year, status: 'closed' } };
  },
};

export const wavePurgeCommand: CliCommand = {
  usage: 'wave purge-personal-data --wave 2023',
  options: { wave: { type: 'string' } },
  async run(ctx, values) {
    const year = requireYear(values, this.usage);
    const outcome = await writeTransaction(ctx.db, (trx, afterCommit) => purgePersonalData(trx, afterCommit, year, ctx.config.dataDir, ctx.actor));
    return {
      text: `Đã xóa dữ liệu cá nhân của đợt ${year}: ${outcome.contactsDeleted} người được chọn, ${outcome.dossierCodesErased} mã hồ sơ, ${outcome.frameFilesDeleted} tệp khung mẫu và chỉ mục bốc mẫu; kết quả không đổi`,
      json: { wave: year, ...outcome },
    };
  },
};

export const waveSettingsCommand: CliCommand = {
  usage:
    'wave settings --wave 2023 [--period-from yyyy-mm-dd --period-to yyyy-mm-dd] [--par-max 32] [--min-respondents 10] [--valid-share 0.5] [--double-entry on|off] [--exclude-organisations on|off]',
  options: {
    wave: { type: 'string' },
    'period-from': { type: 'string' },
    'period-to': { type: 'string' },
    'par-max': { type: 'string' },
    'min-respondents': { type: 'string' },
    'valid-share': { type: 'string' },
    'double-entry': { type: 'string' },
    'exclude-organisations': { type: 'string' },
  },
  async run(ctx, values) {
    const year = requireYear(values, this.usage);
    const text = (name: string) => (values[name] === undefined ? undefined : String(values[name]));
    const doubleEntry = text('double-entry');
    if (doubleEntry !== undefined && doubleEntry !== 'on' && doubleEntry !== 'off') throw new UserError('--double-entry nhận on hoặc off');
    const fields = {
      periodFrom: text('period-from'),
      periodTo: text('period-to'),
      parMax: text('par-max'),
      minRespondents: text('min-respondents'),
      validShare: text('valid-share'),
      excludeOrganisations: text('exclude-organisations'),
    };
    const { settings } = await writeTransaction(ctx.db, async (trx) => {
      const wave = await updateWaveRules(trx, year, fields, ctx.actor);
      return doubleEntry === undefined ? wave : (await setDoubleEntry(trx, year, doubleEntry === 'on', ctx.actor)).wave;
    });
    return { text: `Đợt ${year}: ${describeWaveRules(settings)}`, json: { wave: year, settings } };
  },
};

export const backupCommand: CliCommand = {
  usage: 'backup <file>',
  options: {},
  async run(ctx, _values, positionals) {
    if (!positionals[0]) throw new UserError(`thiếu tệp đích. Cách dùng: ${this.usage}`);
    const { bytes } = await backupDatabase(ctx.config.database, positionals[0]);
    return { text: `Đã sao lưu cơ sở dữ liệu vào ${positionals[0]} (${(bytes / 1_048_576).toFixed(1).replace('.', ',')} MB)`, json: { file: positionals[0], bytes } };
  },
};

export const restoreCommand: CliCommand = {
  usage: 'restore <file>   (dừng máy chủ SIPAS trước khi khôi phục)',
  options: {},
  async run(ctx, _values, positionals) {
    if (!positionals[0]) throw new UserError(`thiếu tệp sao lưu. Cách dùng: ${this.usage}`);
    // The command's own connection must be closed before the file under it is replaced.
    await ctx.db.destroy();
    const { waves } = await restoreDatabase(ctx.config.database, positionals[0]);
    return { text: `Đã khôi phục cơ sở dữ liệu từ ${positionals[0]} (${waves} đợt khảo sát)`, json: { file: positionals[0], waves } };
  },
};
