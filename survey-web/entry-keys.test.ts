import { describe, expect, it } from 'vitest';
import { createKeying, type KeyItem } from './entry-keys';

const scale = (code: string): KeyItem => ({ code, kind: 'scale', choices: 5, maxChoices: 1 });
const items: KeyItem[] = [
  scale('A1'),
  scale('A2'),
  scale('A3'),
  { code: 'gender', kind: 'single', choices: 2, maxChoices: 1 },
  { code: 'priorities', kind: 'multi', choices: 8, maxChoices: 3 },
  { code: 'comment', kind: 'comment', choices: 0, maxChoices: 0 },
];

function pressAll(keying: ReturnType<typeof createKeying>, keys: string[]) {
  return keys.map((k) => keying.press(k).kind);
}

describe('keying model', () => {
  it('takes one key per answer and advances; 0 and space leave an item blank', () => {
    const keying = createKeying(items);
    expect(pressAll(keying, ['4', '0', ' ', '2'])).toEqual(['keyed', 'keyed', 'keyed', 'keyed']);
    expect(keying.values().slice(0, 4)).toEqual([4, null, null, 2]);
    expect(keying.index()).toBe(4);
  });

  it('rejects keys outside the item with a hint naming the item and the keys allowed', () => {
    const keying = createKeying(items);
    expect(keying.press('6')).toEqual({ kind: 'reject', hint: '"6" không có: câu A1: chỉ nhận phím 1–5, hoặc 0 / phím cách để bỏ trống' });
    expect(keying.press('a')).toMatchObject({ kind: 'reject', hint: expect.stringContaining('Phím "a" không dùng được') });
    pressAll(keying, ['1', '1', '1']);
    expect(keying.press('3')).toMatchObject({ kind: 'reject', hint: expect.stringContaining('câu gender: chỉ nhận phím 1–2') });
    expect(keying.index()).toBe(3);
    expect(keying.values()[3]).toBeNull();
  });

  it('Backspace steps back, clears the previous item and counts a correction', () => {
    const keying = createKeying(items);
    pressAll(keying, ['5', '4']);
    expect(keying.press('Backspace')).toEqual({ kind: 'back' });
    expect(keying.index()).toBe(1);
    expect(keying.values().slice(0, 2)).toEqual([5, null]);
    keying.press('3');
    expect(keying.values().slice(0, 2)).toEqual([5, 3]);
    expect(keying.corrections()).toBe(1);
    pressAll(keying, ['Backspace', 'Backspace']);
    expect(keying.index()).toBe(0);
    expect(keying.press('Backspace')).toEqual({ kind: 'reject', hint: 'Đang ở câu đầu tiên' });
    expect(keying.corrections()).toBe(3);
  });

  it('a multi-choice item takes up to its maximum, then moves on; 0 ends it early; repeats are refused', () => {
    const full = createKeying(items);
    pressAll(full, ['4', '4', '4', '1']);
    expect(pressAll(full, ['2', '2', '7', '5'])).toEqual(['keyed', 'reject', 'keyed', 'keyed']);
    expect(full.values()[4]).toEqual([2, 7, 5]);
    expect(full.index()).toBe(5);

    const early = createKeying(items);
    pressAll(early, ['4', '4', '4', '1', '3', '0']);
    expect(early.values()[4]).toEqual([3]);
    expect(early.index()).toBe(5);
    // Backspace on the text item with nothing typed goes back into the choices, one at a time.
    expect(early.press('Backspace', 0)).toEqual({ kind: 'back' });
    expect(early.index()).toBe(4);
    expect(early.values()[4]).toEqual([]);
  });

  it('Enter before anything is keyed does nothing (a scanner ends the code with Enter); afterwards it saves', () => {
    const keying = createKeying(items);
    expect(keying.press('Enter')).toEqual({ kind: 'ignore' });
    keying.press('5');
    expect(keying.press('Enter')).toEqual({ kind: 'save' });
  });

  it('on the free-text item keys are typed into it; Backspace there is a correction', () => {
    const keying = createKeying(items);
    pressAll(keying, ['5', '5', '5', '2', '0']);
    expect(keying.press('x')).toEqual({ kind: 'type' });
    expect(keying.press('Backspace', 1)).toEqual({ kind: 'type' });
    expect(keying.corrections()).toBe(1);
    expect(keying.press('Enter')).toEqual({ kind: 'save' });
  });

  it('options numbered above 9 take two digits, and a digit that cannot grow is taken at once', () => {
    const keying = createKeying([{ code: 'occupation', kind: 'single', choices: 12, maxChoices: 1 }, scale('A1')]);
    expect(keying.press('1')).toEqual({ kind: 'keyed' });
    expect(keying.pending()).toBe('1');
    expect(keying.index()).toBe(0);
    keying.press('2');
    expect(keying.values()[0]).toBe(12);
    expect(keying.index()).toBe(1);
    keying.press('Backspace');
    keying.press('7');
    expect(keying.values()[0]).toBe(7);
    keying.press('Backspace');
    keying.press('1');
    expect(keying.press('3')).toMatchObject({ kind: 'reject' });
    keying.press(' ');
    expect(keying.values()[0]).toBe(1);
  });

  it('keys a whole form in one key per answered item plus Enter', () => {
    const keying = createKeying(items);
    const keys = ['5', '4', '3', '2', '1', '6', '8', 'Enter'];
    const outcomes = pressAll(keying, keys);
    expect(outcomes.at(-1)).toBe('save');
    expect(outcomes.filter((o) => o === 'reject')).toEqual([]);
    expect(keying.values()).toEqual([5, 4, 3, 2, [1, 6, 8], null]);
    const answered = 3 + 1 + 3;
    expect(keys.length).toBeLessThanOrEqual(answered + 1);
  });

  it('runs from its own source text, as the page ships it to the browser', () => {
    // The page prepends this shim for the name-keeping helper some transpilers insert.
    const rebuilt = new Function(`var __name = (f) => f; return (${createKeying.toString()});`)() as typeof createKeying;
    const keying = rebuilt(items);
    keying.press('3');
    expect(keying.values()[0]).toBe(3);
  });
});
