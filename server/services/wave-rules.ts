import type { Db } from '../db/connect';
import { UserError } from '../errors';
import { recordAudit } from '../repositories/audit';
import { updateWaveSettings, type WaveSettings } from '../repositories/waves';
import { requireWave } from './waves';

/**
 * The rules of a wave that SIPAS.md calls configurable, as typed by a person (command line
 * flags or a web form): an absent field keeps its value. Double entry has its own switch
 * (paper-entry's setDoubleEntry) because turning it off also records forms keyed once.
 */
export interface WaveRuleFields {
  periodFrom?: string;
  periodTo?: string;
  parMax?: string;
  minRespondents?: string;
  validShare?: string;
  excludeOrganisations?: 'on' | 'off' | string;
}

function parseNumber(raw: string | undefined, label: string, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw.trim().replace(',', '.'));
  if (raw.trim() === '' || !Number.isFinite(value) || value < min || value > max) throw new UserError(`${label} "${raw}" phải là số từ ${min} đến ${max}`);
  return value;
}

function parseIsoDate(raw: string, label: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(raw) || Number.isNaN(Date.parse(`${raw}T00:00:00Z`))) throw new UserError(`${label} "${raw}" phải là ngày dạng yyyy-mm-dd`);
  return raw;
}

export async function updateWaveRules(db: Db, year: number, fields: WaveRuleFields, actor: string | null): Promise<WaveSettings> {
  const wave = await requireWave(db, year);
  // A closed wave's results are final: changing a rule would change its published figures.
  if (wave.status === 'closed') throw new UserError(`đợt ${year} đã khóa: không đổi quy tắc được nữa`, 409);
  const settings: WaveSettings = structuredClone(wave.settings);
  const from = fields.periodFrom?.trim();
  const to = fields.periodTo?.trim();
  if (from !== undefined || to !== undefined) {
    const period =
      !from && !to
        ? null
        : from && to
          ? { from: parseIsoDate(from, 'ngày bắt đầu kỳ hồ sơ'), to: parseIsoDate(to, 'ngày kết thúc kỳ hồ sơ') }
          : undefined;
    if (period === undefined) throw new UserError('cần cả ngày bắt đầu và ngày kết thúc kỳ hồ sơ');
    if (period && period.from > period.to) throw new UserError(`ngày bắt đầu ${period.from} sau ngày kết thúc ${period.to}`);
    if (JSON.stringify(period) !== JSON.stringify(settings.period)) {
      if (wave.status !== 'setup') throw new UserError(`đợt ${year} đã bốc mẫu: không đổi kỳ hồ sơ được nữa`, 409);
      settings.period = period;
    }
  }
  settings.parMaxPoints = parseNumber(fields.parMax, 'điểm CCHC tối đa', 0, 100) ?? settings.parMaxPoints;
  settings.minRespondents = parseNumber(fields.minRespondents, 'số phiếu tối thiểu mỗi đơn vị', 0, 10_000) ?? settings.minRespondents;
  settings.validity.minAnsweredShare = parseNumber(fields.validShare, 'tỉ lệ tiêu chí phải trả lời', 0, 1) ?? settings.validity.minAnsweredShare;
  if (fields.excludeOrganisations !== undefined) {
    if (fields.excludeOrganisations !== 'on' && fields.excludeOrganisations !== 'off') throw new UserError('loại tổ chức nhận on hoặc off');
    const exclude = fields.excludeOrganisations === 'on';
    if (exclude !== settings.excludeOrganisations && wave.status !== 'setup') throw new UserError(`đợt ${year} đã bốc mẫu: không đổi quy tắc chọn tổ chức được nữa`, 409);
    settings.excludeOrganisations = exclude;
  }
  await db.transaction().execute(async (trx) => {
    await updateWaveSettings(trx, year, settings);
    await recordAudit(trx, { actor, action: 'wave.settings', waveYear: year, detail: { settings } });
  });
  return settings;
}

export function describeWaveRules(settings: WaveSettings): string {
  const period = settings.period ? `${settings.period.from} → ${settings.period.to}` : 'không giới hạn';
  const share = String(settings.validity.minAnsweredShare * 100).replace('.', ',');
  return `kỳ hồ sơ ${period}; điểm CCHC tối đa ${settings.parMaxPoints}; tối thiểu ${settings.minRespondents} phiếu/đơn vị; phiếu hợp lệ khi trả lời ≥ ${share} % tiêu chí; nhập hai lần: ${settings.doubleEntry ? 'bật' : 'tắt'}; loại tổ chức: ${settings.excludeOrganisations ? 'có' : 'không'}`;
}
