import { randomBytes } from 'node:crypto';
import { backupDatabase, restoreDatabase } from '../db/backup';
import type { Role } from '../db/schema';
import { UserError } from '../errors';
import { recordAudit } from '../repositories/audit';
import { insertUser, ROLES } from '../repositories/users';
import { updateWaveSettings, type WaveSettings } from '../repositories/waves';
import { closeWave, purgePersonalData } from '../services/wave-lifecycle';
import { requireWave } from '../services/waves';
import { requireYear, type CliCommand } from './command';

export const userAddCommand: CliCommand = {
  usage: 'user add --role admin|analyst|clerk|supervisor <username>',
  options: { role: { type: 'string' } },
  async run(ctx, values, positionals) {
    const role = values.role as Role | undefined;
    if (!role || !ROLES.includes(role)) throw new UserError(`--role phải là một trong ${ROLES.join(', ')}. Cách dùng: ${this.usage}`);
    const username = positionals[0]?.normalize('NFC').trim();
    if (!username || !/^[\p{L}\p{N}._-]{3,40}$/u.test(username)) {
      throw new UserError(`tên đăng nhập cần 3–40 ký tự chữ, số, ".", "_" hoặc "-". Cách dùng: ${this.usage}`);
    }
    // Generated, never typed on the command line, so it stays out of shell history.
    const password = randomBytes(12).toString('base64url');
    try {
      await insertUser(ctx.db, { username, role, password });
    } catch (error) {
      if (/unique/i.test((error as Error).message)) throw new UserError(`tài khoản "${username}" đã có`, 409);
      throw error;
    }
    await recordAudit(ctx.db, { actor: ctx.actor, action: 'user.add', detail: { username, role } });
    return { text: `Đã tạo tài khoản ${username} (${role}). Mật khẩu (chỉ hiện một lần): ${password}`, json: { username, role, password } };
  },
};

export const waveCloseCommand: CliCommand = {
  usage: 'wave close --wave 2023',
  options: { wave: { type: 'string' } },
  async run(ctx, values) {
    const year = requireYear(values, this.usage);
    await closeWave(ctx.db, year, ctx.actor);
    return { text: `Đã khóa đợt ${year}: không nhận thêm phiếu; kết quả giữ nguyên`, json: { wave: year, status: 'closed' } };
  },
};

export const wavePurgeCommand: CliCommand = {
  usage: 'wave purge-personal-data --wave 2023',
  options: { wave: { type: 'string' } },
  async run(ctx, values) {
    const year = requireYear(values, this.usage);
    const outcome = await purgePersonalData({ db: ctx.db }, year, ctx.actor);
    return {
      text: `Đã xóa dữ liệu cá nhân của đợt ${year}: ${outcome.contactsDeleted} người được chọn, ${outcome.dossierCodesErased} mã hồ sơ, ${outcome.frameFilesDeleted} tệp khung mẫu; kết quả không đổi`,
      json: { wave: year, ...outcome },
    };
  },
};

function parseNumberOption(values: Record<string, string | boolean | undefined>, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const value = Number(String(raw).replace(',', '.'));
  if (!Number.isFinite(value) || value < min || value > max) throw new UserError(`--${name} "${raw}" phải là số từ ${min} đến ${max}`);
  return value;
}

function parseIsoDate(raw: string | boolean | undefined, name: string): string | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T00:00:00Z`))) throw new UserError(`--${name} "${text}" phải là ngày dạng yyyy-mm-dd`);
  return text;
}

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
    const wave = await requireWave(ctx.db, year);
    // A closed wave's results are final: changing a rule would change its published figures.
    if (wave.status === 'closed') throw new UserError(`đợt ${year} đã khóa: không đổi quy tắc được nữa`, 409);
    const settings: WaveSettings = structuredClone(wave.settings);
    const from = parseIsoDate(values['period-from'], 'period-from');
    const to = parseIsoDate(values['period-to'], 'period-to');
    if ((from === undefined) !== (to === undefined)) throw new UserError('cần cả --period-from và --period-to');
    if (from && to) {
      if (from > to) throw new UserError(`--period-from ${from} sau --period-to ${to}`);
      if (wave.status !== 'setup') throw new UserError(`đợt ${year} đã bốc mẫu: không đổi kỳ hồ sơ được nữa`, 409);
      settings.period = { from, to };
    }
    settings.parMaxPoints = parseNumberOption(values, 'par-max', 0, 100) ?? settings.parMaxPoints;
    settings.minRespondents = parseNumberOption(values, 'min-respondents', 0, 10_000) ?? settings.minRespondents;
    settings.validity.minAnsweredShare = parseNumberOption(values, 'valid-share', 0, 1) ?? settings.validity.minAnsweredShare;
    for (const [option, key] of [['double-entry', 'doubleEntry'], ['exclude-organisations', 'excludeOrganisations']] as const) {
      const raw = values[option];
      if (raw === undefined) continue;
      if (raw !== 'on' && raw !== 'off') throw new UserError(`--${option} nhận on hoặc off`);
      settings[key] = raw === 'on';
    }
    await updateWaveSettings(ctx.db, year, settings);
    await recordAudit(ctx.db, { actor: ctx.actor, action: 'wave.settings', waveYear: year, detail: { settings } });
    const period = settings.period ? `${settings.period.from} → ${settings.period.to}` : 'không giới hạn';
    return {
      text: `Đợt ${year}: kỳ hồ sơ ${period}; điểm CCHC tối đa ${settings.parMaxPoints}; tối thiểu ${settings.minRespondents} phiếu/đơn vị; phiếu hợp lệ khi trả lời ≥ ${settings.validity.minAnsweredShare * 100} % tiêu chí; nhập hai lần: ${settings.doubleEntry ? 'bật' : 'tắt'}; loại tổ chức: ${settings.excludeOrganisations ? 'có' : 'không'}`,
      json: { wave: year, settings },
    };
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
