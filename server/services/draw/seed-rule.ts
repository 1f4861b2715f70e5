/**
 * Commit–reveal: the rule a seed must follow, fixed (and signed) before the seed exists. The
 * seed is the named public source, the date of its drawing and the number it gives, e.g.
 * "Xổ số kiến thiết An Giang, giải đặc biệt 24/08/2023 123456". Pure: dates are passed in.
 */

export interface SeedRule {
  /** The public source named in advance, e.g. "Xổ số kiến thiết An Giang, giải đặc biệt". */
  source: string;
  /** ISO yyyy-mm-dd of the public drawing. */
  date: string;
  /** How many digits the public number has. */
  digits: number;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** dd/mm/yyyy of an ISO date. */
export function vietnameseDate(iso: string): string {
  const [, y, m, d] = ISO_DATE.exec(iso)!;
  return `${d}/${m}/${y}`;
}

/** The calendar day (yyyy-mm-dd) of an instant in Vietnam, where the lottery is drawn. */
export function dayInVietnam(instant: Date): string {
  return instant.toLocaleDateString('sv-SE', { timeZone: 'Asia/Ho_Chi_Minh' });
}

export function isCalendarDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** The rule in words, as printed in the commitment record. */
export function describeSeedRule(rule: SeedRule): string {
  return `hạt giống = "${rule.source}" + dấu cách + ngày quay ${vietnameseDate(rule.date)} + dấu cách + số kết quả gồm ${rule.digits} chữ số, viết liền (ví dụ "${seedOf(rule, '0'.repeat(rule.digits))}")`;
}

export function seedOf(rule: SeedRule, value: string): string {
  return `${rule.source} ${vietnameseDate(rule.date)} ${value}`;
}

/**
 * The seed a person typed, completed from the rule when only the public number was typed;
 * null when it does not follow the rule.
 */
export function seedFollowingRule(rule: SeedRule, typed: string): string | null {
  const text = typed.normalize('NFC').trim().replace(/\s+/g, ' ');
  const digits = new RegExp(`^\\d{${rule.digits}}$`);
  if (digits.test(text)) return seedOf(rule, text);
  const prefix = `${rule.source} ${vietnameseDate(rule.date)} `;
  return text.startsWith(prefix) && digits.test(text.slice(prefix.length)) ? text : null;
}

/** Why a commitment made at `committedAt` for this rule is not a commitment before the seed, or null. */
export function commitmentTooLate(rule: SeedRule, committedAt: Date): string | null {
  const day = dayInVietnam(committedAt);
  return day < rule.date
    ? null
    : `Ngày quay ${vietnameseDate(rule.date)} phải sau ngày lập biên bản cam kết (${vietnameseDate(day)}): kết quả phải là điều chưa ai biết khi cam kết`;
}

/** Why a seed cannot be used at `now` (the public drawing has not taken place yet), or null. */
export function seedTooEarly(rule: SeedRule, now: Date): string | null {
  const today = dayInVietnam(now);
  return today >= rule.date ? null : `Chưa đến ngày quay ${vietnameseDate(rule.date)}: chưa thể có kết quả để làm hạt giống`;
}
