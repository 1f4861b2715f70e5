import type { Executor } from '../../db/schema';
import { UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { updateWaveSettings, type Wave, type WaveSettings } from '../../repositories/waves';
import { assertAllowed, waveFor } from './wave-policy';

/**
 * The rules of a wave that SIPAS.md calls configurable, as typed by a person (command line
 * flags or a web form): an absent field keeps its value. Double entry has its own switch
 * (setDoubleEntry in double-entry-switch.ts) because turning it off also records forms keyed once.
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

/**
 * Applies the rules typed in and returns the wave as it now is. The settings are read inside the
 * caller's transaction, so a switch changed meanwhile (double entry) is kept, not overwritten.
 */
export async function updateWaveRules(trx: Executor, year: number, fields: WaveRuleFields, actor: string | null): Promise<Wave> {
  const wave = await waveFor(trx, year, 'change-rules');
  const settings: WaveSettings = structuredClone(wave.settings);
  const from = fields.periodFrom?.trim();
  const to = fields.periodTo?.trim();
  if (from !== undefined || to !== undefined) {
    const period =
      !from && !to
        ? null
        : from && to
          ? { from: parseIsoDate(from, 'Ngày bắt đầu kỳ hồ sơ'), to: parseIsoDate(to, 'Ngày kết thúc kỳ hồ sơ') }
          : undefined;
    if (period === undefined) throw new UserError('Cần cả ngày bắt đầu và ngày kết thúc kỳ hồ sơ');
    if (period && period.from > period.to) throw new UserError(`Ngày bắt đầu ${period.from} sau ngày kết thúc ${period.to}`);
    if (JSON.stringify(period) !== JSON.stringify(settings.period)) {
      assertAllowed(wave, 'change-eligibility');
      settings.period = period;
    }
  }
  settings.parMaxPoints = parseNumber(fields.parMax, 'Điểm CCHC tối đa', 0, 100) ?? settings.parMaxPoints;
  settings.minRespondents = parseNumber(fields.minRespondents, 'Số phiếu tối thiểu mỗi đơn vị', 0, 10_000) ?? settings.minRespondents;
  settings.validity.minAnsweredShare = parseNumber(fields.validShare, 'Tỉ lệ tiêu chí phải trả lời', 0, 1) ?? settings.validity.minAnsweredShare;
  if (fields.excludeOrganisations !== undefined) {
    if (fields.excludeOrganisations !== 'on' && fields.excludeOrganisations !== 'off') throw new UserError('Loại tổ chức nhận on hoặc off');
    const exclude = fields.excludeOrganisations === 'on';
    if (exclude !== settings.excludeOrganisations) assertAllowed(wave, 'change-eligibility');
    settings.excludeOrganisations = exclude;
  }
  await updateWaveSettings(trx, year, settings);
  await recordAudit(trx, { actor, action: 'wave.settings', waveYear: year, detail: { settings } });
  return { ...wave, settings };
}

export function describeWaveRules(settings: WaveSettings): string {
  const period = settings.period ? `${settings.period.from} → ${settings.period.to}` : 'không giới hạn';
  const share = String(settings.validity.minAnsweredShare * 100).replace('.', ',');
  return `kỳ hồ sơ ${period}; điểm CCHC tối đa ${settings.parMaxPoints}; tối thiểu ${settings.minRespondents} phiếu/đơn vị; phiếu hợp lệ khi trả lời ≥ ${share} % tiêu chí; nhập hai lần: ${settings.doubleEntry ? 'bật' : 'tắt'}; loại tổ chức: ${settings.excludeOrganisations ? 'có' : 'không'}`;
}
