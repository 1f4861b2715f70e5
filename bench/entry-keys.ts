/**
 * Keys a post-office clerk needs to enter one paper form (issue 4: at most one per answered
 * item + the code + 1), for a seeded set of realistic forms, side by side in the same run with
 * the plain HTML form a browser offers without the entry page's script.
 *
 *   npx tsx bench/entry-keys.ts [forms=10000] [seed=2023]
 *
 * Entry page: every form is keyed through the real keying model (survey-web/entry-keys.ts),
 * with the key sequence a clerk types: the printed code without hyphens (the form opens by
 * itself once the code is complete), one key per item up to the last answered one (0 for a
 * blank or "không ý kiến" before it), the priority numbers, Enter. The values the model ends
 * with are checked against the form, so the count is for a correct keying.
 *
 * Plain form: the code, Enter to open the form, then Chromium's keyboard rules for a form of
 * radio groups and checkboxes: Tab moves to the next group or checkbox; in a group with
 * nothing ticked Space ticks the first option and each arrow key moves to and ticks the next;
 * Space ticks a checkbox; Enter submits.
 */
import { defaultQuestionnaire } from '../analysis/questionnaire';
import { questionnaireFields } from '../analysis/questionnaire-fields';
import { createKeying, type KeyValue } from '../survey-web/entry-keys';
import { keyItems } from '../survey-web/pages/entry-page';

const forms = Number(process.argv[2] ?? 10_000);
const seed = Number(process.argv[3] ?? 2023);

/** mulberry32: a small seeded generator, so every run keys the same forms. */
function generator(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = generator(seed);
const items = keyItems(questionnaireFields(defaultQuestionnaire));
const code = '23SNV00427';

/** A returned form: 92 % of criteria answered (mostly 4–5), 85 % of profile items, 0–3 priorities. */
function randomForm(): KeyValue[] {
  return items.map((item) => {
    if (item.kind === 'scale') return random() < 0.92 ? [5, 4, 4, 5, 3, 4, 5, 2, 4, 1][Math.floor(random() * 10)] : null;
    if (item.kind === 'single') return random() < 0.85 ? 1 + Math.floor(random() * item.choices) : null;
    if (item.kind === 'multi') {
      const count = Math.floor(random() * (item.maxChoices + 1));
      const chosen: number[] = [];
      while (chosen.length < count) {
        const option = 1 + Math.floor(random() * item.choices);
        if (!chosen.includes(option)) chosen.push(option);
      }
      return chosen;
    }
    return null;
  });
}

const isAnswered = (v: KeyValue) => (Array.isArray(v) ? v.length > 0 : v !== null);

function entryPageKeys(form: KeyValue[]): string[] {
  const last = form.reduce<number>((at, v, i) => (isAnswered(v) ? i : at), -1);
  const keys = [...code];
  for (let i = 0; i <= last; i++) {
    const v = form[i];
    if (Array.isArray(v)) {
      keys.push(...v.map(String));
      if (v.length < items[i].maxChoices && i < last) keys.push('0');
    } else keys.push(v === null ? '0' : String(v));
  }
  keys.push('Enter');
  return keys;
}

function plainFormKeys(form: KeyValue[]): number {
  let keys = code.length + 1;
  items.forEach((item, i) => {
    const v = form[i];
    if (item.kind === 'multi') {
      keys += item.choices + (Array.isArray(v) ? v.length : 0);
    } else if (item.kind === 'comment') {
      keys += 1;
    } else {
      keys += 1 + (v === null ? 0 : v === 1 ? 1 : (v as number) - 1);
    }
  });
  return keys + 1;
}

const started = process.hrtime.bigint();
let entryTotal = 0;
let plainTotal = 0;
let answeredTotal = 0;
let blankKeysTotal = 0;
let withinBudget = 0;
let innerBlankForms = 0;
let worstOver = 0;
for (let n = 0; n < forms; n++) {
  const form = randomForm();
  const keys = entryPageKeys(form);
  const keying = createKeying(items);
  // The code is typed into the code field; the model sees the keys from the first item on.
  for (const key of keys.slice(code.length)) {
    const outcome = keying.press(key);
    if (outcome.kind === 'reject') throw new Error(`form ${n}: key ${key} rejected: ${outcome.hint}`);
  }
  const values = keying.values();
  form.forEach((v, i) => {
    if (JSON.stringify(values[i]) !== JSON.stringify(v)) throw new Error(`form ${n}: item ${items[i].code} keyed ${JSON.stringify(values[i])}, form has ${JSON.stringify(v)}`);
  });
  // Each ticked box counts as an answered item: on paper the priorities are separate tick boxes.
  const answered = form.reduce<number>((sum, v) => sum + (Array.isArray(v) ? v.length : v === null ? 0 : 1), 0);
  const budget = answered + code.length + 1;
  // Blanks the issue has keyed as 0 or space: items left empty before the last answer, and the
  // empty rest of a priorities list that is not the last answer (one 0 closes it).
  const last = form.reduce<number>((at, v, i) => (isAnswered(v) ? i : at), -1);
  blankKeysTotal += form.reduce<number>(
    (sum, v, i) => sum + (i >= last ? 0 : v === null ? 1 : Array.isArray(v) && v.length < items[i].maxChoices ? 1 : 0),
    0,
  );
  entryTotal += keys.length;
  plainTotal += plainFormKeys(form);
  answeredTotal += answered;
  if (keys.length <= budget) withinBudget++;
  else innerBlankForms++;
  worstOver = Math.max(worstOver, keys.length - budget);
}
const ms = Number(process.hrtime.bigint() - started) / 1e6;

const per = (total: number) => (total / forms).toFixed(1);
console.log(`${forms} forms, seed ${seed}, code "${code}" (${code.length} keys), ${items.length} items on the form`);
console.log('');
console.log('| way of keying | keys per form | answered items + code + 1 | ratio to budget |');
console.log('|---|---|---|---|');
const budget = answeredTotal + forms * (code.length + 1);
console.log(`| entry page (keying model) | ${per(entryTotal)} | ${per(budget)} | ${(entryTotal / budget).toFixed(3)} |`);
console.log(`| plain HTML form (Tab, arrows, Space) | ${per(plainTotal)} | ${per(budget)} | ${(plainTotal / budget).toFixed(3)} |`);
console.log('');
const keyedBudget = answeredTotal + blankKeysTotal + forms * (code.length + 1);
console.log('| way of keying | keys per form | items keyed (answers, and 0/space for each blank before the last answer) + code + 1 | ratio |');
console.log('|---|---|---|---|');
console.log(`| entry page (keying model) | ${per(entryTotal)} | ${per(keyedBudget)} | ${(entryTotal / keyedBudget).toFixed(3)} |`);
console.log('');
console.log(`entry page within the budget: ${withinBudget} of ${forms} forms; the other ${innerBlankForms} have blanks before their last answer (one 0 each, at most ${worstOver} over)`);
console.log(`entry page / plain form: ${(entryTotal / plainTotal).toFixed(3)}; keying model: ${((ms * 1000) / entryTotal).toFixed(2)} µs per key`);
