const DAY_FIRST = /^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$/;
const ISO = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
const SERIAL = /^\d{4,6}(?:[.,]\d+)?$/;

// Excel's day 0 is 1899-12-30 once its fictitious 29 Feb 1900 is accounted for; every date
// a one-stop export can hold is far past that point.
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const DAY_MS = 86_400_000;

function iso(year: number, month: number, day: number): string | null {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return null;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > daysInMonth) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * ISO yyyy-mm-dd of a date written as dd/mm/yyyy (also d/m, '-' or '.'), ISO with an optional
 * time, or an Excel serial day number; null when it is not a real calendar date. Day-first is
 * the Vietnamese convention, so 03/04/2023 is 3 April.
 */
export function parseDate(text: string): string | null {
  let m = DAY_FIRST.exec(text);
  if (m) return iso(+m[3], +m[2], +m[1]);
  m = ISO.exec(text);
  if (m) return iso(+m[1], +m[2], +m[3]);
  if (SERIAL.test(text)) {
    const days = Math.floor(Number(text.replace(',', '.')));
    const d = new Date(EXCEL_EPOCH_MS + days * DAY_MS);
    return iso(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  }
  return null;
}
