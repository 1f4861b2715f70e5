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

function isDateSeparator(c: number): boolean {
  return c === 47 || c === 46 || c === 45; // '/', '.', '-'
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function dayOf(year: number, month: number, day: number): number {
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return 0;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
  return day > days ? 0 : year * 10000 + month * 100 + day;
}

/**
 * The date as the number yyyymmdd (0 when it is not a date), accepting what parseDate accepts.
 * The frame reader calls this once per row, so the two plain forms, d/m/yyyy and yyyy-mm-dd,
 * are read straight from the character codes without a regular expression or a new string.
 */
export function dayNumber(text: string): number {
  const n = text.length;
  if (n >= 8 && n <= 10) {
    // d/m/yyyy, dd/mm/yyyy (any of / . - as separators)
    let i = 0;
    let day = 0;
    while (i < n && i < 2 && isDigit(text.charCodeAt(i))) day = day * 10 + text.charCodeAt(i++) - 48;
    if (i > 0 && i < n && isDateSeparator(text.charCodeAt(i))) {
      let j = i + 1;
      let month = 0;
      while (j < n && j - i - 1 < 2 && isDigit(text.charCodeAt(j))) month = month * 10 + text.charCodeAt(j++) - 48;
      if (j > i + 1 && j === n - 5 && isDateSeparator(text.charCodeAt(j))) {
        let year = 0;
        for (let k = j + 1; k < n; k++) {
          const c = text.charCodeAt(k);
          if (!isDigit(c)) return fromParsed(text);
          year = year * 10 + c - 48;
        }
        return dayOf(year, month, day);
      }
    }
    // yyyy-mm-dd
    if (text.charCodeAt(4) === 45) {
      let year = 0;
      for (let k = 0; k < 4; k++) {
        const c = text.charCodeAt(k);
        if (!isDigit(c)) return fromParsed(text);
        year = year * 10 + c - 48;
      }
      let j = 5;
      let month = 0;
      while (j < n && j < 7 && isDigit(text.charCodeAt(j))) month = month * 10 + text.charCodeAt(j++) - 48;
      if (j > 5 && j < n && text.charCodeAt(j) === 45) {
        let day2 = 0;
        let k = j + 1;
        while (k < n && k - j - 1 < 2 && isDigit(text.charCodeAt(k))) day2 = day2 * 10 + text.charCodeAt(k++) - 48;
        if (k === n && k > j + 1) return dayOf(year, month, day2);
      }
    }
  }
  return fromParsed(text);
}

function fromParsed(text: string): number {
  const iso = parseDate(text);
  return iso === null ? 0 : Number(iso.slice(0, 4)) * 10000 + Number(iso.slice(5, 7)) * 100 + Number(iso.slice(8, 10));
}

/** yyyy-mm-dd of a dayNumber. */
export function isoOfDay(day: number): string {
  const year = Math.floor(day / 10000);
  const month = Math.floor(day / 100) % 100;
  return `${year}-${String(month).padStart(2, '0')}-${String(day % 100).padStart(2, '0')}`;
}
