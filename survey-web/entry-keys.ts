/**
 * The keying model of post-office data entry: what each key does while a clerk keys a returned
 * paper form. It is pure (no DOM) so it can be unit-tested, and self-contained (no imports, no
 * helpers outside its body) because the entry page ships it to the browser as its source text.
 *
 * One key per answer: an item with k options takes the option number; numbers that cannot
 * grow into a larger valid one (any digit when k ≤ 9) are taken at once and the cursor moves
 * on, so keying a form costs one key per answered item plus the final Enter. 0 or space leaves
 * an item blank; a multi-choice item takes up to its maximum numbers, then moves on (0, space
 * or Enter end it early). Backspace steps back and clears, and is counted as a correction.
 */

export interface KeyItem {
  code: string;
  /** scale: the 1–5 criteria; single/multi: profile items keyed by option number; comment: free text. */
  kind: 'scale' | 'single' | 'multi' | 'comment';
  /** Number of options (5 for the scale, 0 for the comment). */
  choices: number;
  /** For multi: the most options that may be chosen. */
  maxChoices: number;
}

/** null = blank; a number = option chosen; a list = options of a multi item, in keying order. */
export type KeyValue = number | null | number[];

export type KeyOutcome =
  /** The state changed: an answer taken, a digit held, or the cursor moved. */
  | { kind: 'keyed' }
  /** Stepped back one item and cleared it (or took back the last digit or choice). */
  | { kind: 'back' }
  | { kind: 'save' }
  /** Nothing happens: Enter before anything is keyed (a barcode scanner's Enter), or a key the page leaves alone. */
  | { kind: 'ignore' }
  /** A key that is not valid here; the hint says which keys are. */
  | { kind: 'reject'; hint: string }
  /** The cursor is on the free-text item: let the browser type the key into it. */
  | { kind: 'type' };

export interface Keying {
  readonly items: KeyItem[];
  /** The item the next key goes to; items.length once past the last one. */
  index(): number;
  values(): KeyValue[];
  /** Digits held for an item with more than 9 options, waiting for the next digit. */
  pending(): string;
  /** Backspaces that removed something: the operator's corrections. */
  corrections(): number;
  /** `textLength` is the free-text item's current length when the cursor is on it. */
  press(key: string, textLength?: number): KeyOutcome;
  /** Moves the cursor (a click on an item); held digits are dropped. */
  moveTo(index: number): void;
  /** Sets one item from outside (a click on a radio button). */
  set(index: number, value: KeyValue): void;
}

export function createKeying(items: KeyItem[]): Keying {
  const empty = (item: KeyItem): KeyValue => (item.kind === 'multi' ? [] : null);
  const values: KeyValue[] = items.map(empty);
  let index = 0;
  let pending = '';
  let corrections = 0;
  let keyedAnything = false;

  const advance = (): KeyOutcome => {
    pending = '';
    index = Math.min(index + 1, items.length);
    keyedAnything = true;
    return { kind: 'keyed' };
  };
  const allowedKeys = (item: KeyItem): string => {
    if (item.kind === 'multi') {
      return `câu ${item.code}: gõ số lựa chọn 1–${item.choices} (tối đa ${item.maxChoices}), 0 hoặc phím cách để sang câu sau`;
    }
    return `câu ${item.code}: chỉ nhận phím 1–${item.choices}, hoặc 0 / phím cách để bỏ trống`;
  };
  /** Adds a digit to the number being keyed; returns the finished number, 'wait' or a rejection. */
  const takeDigit = (item: KeyItem, digit: string): number | 'wait' | KeyOutcome => {
    const text = pending + digit;
    const number = Number(text);
    if (number < 1 || number > item.choices) {
      return { kind: 'reject', hint: `"${text}" không có: ${allowedKeys(item)}` };
    }
    if (number * 10 > item.choices) return number;
    pending = text;
    return 'wait';
  };
  const finishPending = (item: KeyItem): void => {
    if (pending === '') return;
    const number = Number(pending);
    pending = '';
    if (item.kind === 'multi') (values[index] as number[]).push(number);
    else values[index] = number;
  };

  return {
    items,
    index: () => index,
    values: () => values.map((v) => (Array.isArray(v) ? [...v] : v)),
    pending: () => pending,
    corrections: () => corrections,
    moveTo(target: number) {
      pending = '';
      index = Math.max(0, Math.min(target, items.length));
    },
    set(target: number, value: KeyValue) {
      values[target] = value;
      keyedAnything = true;
    },
    press(key: string, textLength = 0): KeyOutcome {
      const item: KeyItem | undefined = items[index];
      if (key === 'Enter') {
        if (item && pending !== '') finishPending(item);
        return keyedAnything ? { kind: 'save' } : { kind: 'ignore' };
      }
      if (key === 'Backspace') {
        if (item?.kind === 'comment' && textLength > 0) {
          corrections++;
          return { kind: 'type' };
        }
        if (pending !== '') {
          pending = pending.slice(0, -1);
          corrections++;
          return { kind: 'back' };
        }
        const chosen = values[index];
        if (item?.kind === 'multi' && Array.isArray(chosen) && chosen.length > 0) {
          chosen.pop();
          corrections++;
          return { kind: 'back' };
        }
        if (index === 0) return { kind: 'reject', hint: 'Đang ở câu đầu tiên' };
        index--;
        const previous = items[index];
        if (previous.kind !== 'comment') values[index] = empty(previous);
        corrections++;
        return { kind: 'back' };
      }
      // Named keys (Tab, arrows, Shift, F-keys…) keep their usual meaning.
      if (key.length !== 1) return { kind: 'ignore' };
      if (!item) return { kind: 'reject', hint: 'Đã hết câu hỏi: nhấn Enter để lưu phiếu, Backspace để sửa câu cuối' };
      if (item.kind === 'comment') {
        keyedAnything = true;
        return { kind: 'type' };
      }
      const blank = key === ' ' || (key === '0' && pending === '');
      if (blank) {
        finishPending(item);
        return advance();
      }
      if (key < '0' || key > '9') return { kind: 'reject', hint: `Phím "${key}" không dùng được: ${allowedKeys(item)}` };
      const taken = takeDigit(item, key);
      if (taken === 'wait') {
        keyedAnything = true;
        return { kind: 'keyed' };
      }
      if (typeof taken !== 'number') return taken;
      if (item.kind === 'multi') {
        const chosen = values[index] as number[];
        if (chosen.includes(taken)) {
          pending = '';
          return { kind: 'reject', hint: `Câu ${item.code}: lựa chọn ${taken} đã được chọn` };
        }
        chosen.push(taken);
        if (chosen.length < item.maxChoices) {
          pending = '';
          keyedAnything = true;
          return { kind: 'keyed' };
        }
        return advance();
      }
      values[index] = taken;
      return advance();
    },
  };
}
