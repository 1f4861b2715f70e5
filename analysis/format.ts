/**
 * Vietnamese display of numbers: comma decimal, dot thousands ("1.234,56"). Rounding happens
 * here and only here; results stay unrounded.
 */
export function formatNumber(x: number, digits = 2): string {
  if (!Number.isFinite(x)) return '';
  const fixed = Math.abs(x).toFixed(digits);
  // A value that rounds to zero is shown without a sign, never as "-0,00".
  const negative = x < 0 && Number(fixed) !== 0;
  const [whole, fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return (negative ? '-' : '') + grouped + (fraction ? `,${fraction}` : '');
}

export function formatPercent(x: number, digits = 2): string {
  return `${formatNumber(x, digits)} %`;
}

/** Counts zero-padded to two digits, as the provincial report writes them ("05 cơ quan"). */
export function padCount(n: number): string {
  return String(n).padStart(2, '0');
}

/** Limits and maxima such as 90 or 32 print without decimals; others keep two. */
export function formatLimit(x: number): string {
  return Number.isInteger(x) ? String(x) : formatNumber(x, 2);
}
