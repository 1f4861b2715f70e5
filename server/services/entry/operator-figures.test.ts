import { describe, expect, it } from 'vitest';
import type { KeyingTiming } from '../../repositories/paper-keyings';
import { keyingStart, operatorFigures } from './operator-figures';

const now = new Date('2023-10-02T10:00:00.000Z');

/** A keying that ended `minutesAgo` before `now` and took `seconds`. */
function keying(enteredBy: string, minutesAgo: number, seconds: number, corrections = 0): KeyingTiming {
  const ended = now.getTime() - minutesAgo * 60_000;
  return { enteredBy, corrections, startedAt: new Date(ended - seconds * 1000).toISOString(), endedAt: new Date(ended).toISOString() };
}

describe('operator figures', () => {
  it('counts forms, forms of the last hour and corrections per operator, sorted by name', () => {
    const figures = operatorFigures(
      [keying('buudien2', 5, 40, 1), keying('buudien1', 90, 30, 2), keying('buudien1', 60, 30), keying('buudien1', 10, 30, 3)],
      now,
    );
    expect(figures.map((f) => [f.enteredBy, f.forms, f.lastHour, f.corrections])).toEqual([
      ['buudien1', 3, 2, 5],
      ['buudien2', 1, 1, 1],
    ]);
  });

  it('takes the speed from the median time, so a form left open over a break does not distort it', () => {
    const [odd] = operatorFigures([keying('a', 1, 30), keying('a', 2, 45), keying('a', 3, 3600)], now);
    expect(odd.medianSeconds).toBe(45);
    expect(odd.formsPerHour).toBe(80);
    const [even] = operatorFigures([keying('a', 1, 30), keying('a', 2, 60), keying('a', 3, 90), keying('a', 4, 7200)], now);
    expect(even.medianSeconds).toBe(75);
    expect(even.formsPerHour).toBe(48);
  });

  it('gives no speed when the median keying took no time', () => {
    const [instant] = operatorFigures([keying('a', 1, 0)], now);
    expect(instant.formsPerHour).toBeNull();
  });

  it('has no rows without keyings', () => {
    expect(operatorFigures([], now)).toEqual([]);
  });
});

describe('keying start', () => {
  const ended = '2023-10-02T10:00:00.000Z';

  it('is when the page opened the form', () => {
    expect(keyingStart('2023-10-02T09:59:20.000Z', ended)).toBe('2023-10-02T09:59:20.000Z');
    expect(keyingStart('2023-10-02T16:59:20+07:00', ended)).toBe('2023-10-02T09:59:20.000Z');
  });

  it('falls back to the save time when the page sent nothing, nonsense, a later time or one over 12 hours before', () => {
    for (const opened of [null, '', 'hôm qua', '2023-10-02T10:00:01.000Z', '2023-10-01T21:59:59.000Z']) expect(keyingStart(opened, ended)).toBe(ended);
    expect(keyingStart('2023-10-01T22:00:00.000Z', ended)).toBe('2023-10-01T22:00:00.000Z');
  });
});
