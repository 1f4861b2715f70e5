import type { KeyingTiming } from '../../repositories/paper-keyings';

/**
 * How fast each operator keys paper forms and how much they correct (SIPAS.md section 8), from
 * the time each keying took: from when the page opened the form to when the server saved it.
 */

export interface OperatorFigures {
  enteredBy: string;
  forms: number;
  /** Forms saved in the 60 minutes before `now`. */
  lastHour: number;
  /** 3600 / median seconds per form: robust to a form left open over a break. */
  formsPerHour: number | null;
  medianSeconds: number | null;
  corrections: number;
}

function median(sorted: number[]): number {
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** One row per operator, by account name. */
export function operatorFigures(timings: KeyingTiming[], now: Date): OperatorFigures[] {
  const byClerk = new Map<string, KeyingTiming[]>();
  for (const t of timings) byClerk.set(t.enteredBy, [...(byClerk.get(t.enteredBy) ?? []), t]);
  return [...byClerk]
    .map(([enteredBy, rows]) => {
      const seconds = median(rows.map((r) => (Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000).sort((a, b) => a - b));
      return {
        enteredBy,
        forms: rows.length,
        lastHour: rows.filter((r) => now.getTime() - Date.parse(r.endedAt) <= 3_600_000).length,
        formsPerHour: seconds > 0 ? 3600 / seconds : null,
        medianSeconds: seconds,
        corrections: rows.reduce((sum, r) => sum + r.corrections, 0),
      };
    })
    .sort((a, b) => a.enteredBy.localeCompare(b.enteredBy));
}

/**
 * When the keying started: the page reports when it opened the form. A missing value, one after
 * the save, or one more than 12 hours before it (a clock or a page gone wrong) falls back to the
 * save time, so one odd value cannot distort the figures.
 */
export function keyingStart(openedAt: string | null, endedAt: string): string {
  const opened = openedAt ? Date.parse(openedAt) : NaN;
  const ended = Date.parse(endedAt);
  if (!Number.isFinite(opened) || opened > ended || ended - opened > 12 * 3_600_000) return endedAt;
  return new Date(opened).toISOString();
}
