import { criterionCodes, type Questionnaire } from '../../../analysis/questionnaire';
import type { FieldProblem } from '../../errors';
import { readKeyedForm, type FormBody, type KeyedForm } from '../../forms/keyed-form';
import { keyedFormRefusal } from './entry-messages';

/**
 * Double entry (SIPAS.md section 8): two independent keyings of one paper form are compared
 * field by field; a supervisor settles the fields where they differ. Pure, so both steps are
 * tested without a database.
 */

/** One field where the two keyings differ, with both values as a person reads them. */
export interface FieldDifference {
  field: string;
  label: string;
  pass1: string;
  pass2: string;
  /** How to key an "other" value for this field, shown next to its input. */
  otherHint: string;
}

function sameComment(a: string | null, b: string | null): boolean {
  const tidy = (s: string | null) => (s ?? '').normalize('NFC').replace(/\s+/g, ' ').trim().toLowerCase();
  return tidy(a) === tidy(b);
}

function chosenList(value: string | string[] | null | undefined): string[] {
  return value === null || value === undefined ? [] : Array.isArray(value) ? [...value].sort() : [value];
}

/** Field by field: criteria, profile items (ticks compared as sets), comment (spacing and case ignored). */
export function compareKeyings(questionnaire: Questionnaire, first: KeyedForm, second: KeyedForm): FieldDifference[] {
  const differences: FieldDifference[] = [];
  const blank = 'để trống';
  for (const element of questionnaire.elements) {
    for (const criterion of element.criteria) {
      const a = first.answers[criterion.code] ?? null;
      const b = second.answers[criterion.code] ?? null;
      if (a !== b) {
        differences.push({ field: criterion.code, label: criterion.label, pass1: a === null ? blank : String(a), pass2: b === null ? blank : String(b), otherHint: '1–5, 0 = để trống' });
      }
    }
  }
  for (const item of questionnaire.profile) {
    const a = chosenList(first.profile[item.code]);
    const b = chosenList(second.profile[item.code]);
    if (a.join('|') !== b.join('|')) {
      const show = (codes: string[]) =>
        codes.length === 0
          ? blank
          : codes.map((c) => {
              const at = item.options.findIndex((o) => o.code === c);
              return `${at + 1}. ${item.options[at]?.label ?? c}`;
            }).join('; ');
      differences.push({
        field: item.code,
        label: item.label,
        pass1: show(chosenList(first.profile[item.code])),
        pass2: show(chosenList(second.profile[item.code])),
        otherHint: item.kind === 'multi' ? `số lựa chọn 1–${item.options.length}, cách nhau bởi dấu cách` : `1–${item.options.length}, 0 = để trống`,
      });
    }
  }
  const { comment } = questionnaire;
  if (!sameComment(first.comment, second.comment)) {
    differences.push({ field: comment.code, label: comment.label, pass1: first.comment ?? blank, pass2: second.comment ?? blank, otherHint: 'văn bản' });
  }
  return differences;
}

/** A supervisor's decision for one differing field. */
export interface FieldChoice {
  pick: 'pass1' | 'pass2' | 'other';
  /** Keyed like the entry form (1–5 / option numbers / text) when pick is 'other'. */
  other: string;
}

function isMulti(questionnaire: Questionnaire, field: string): boolean {
  return questionnaire.profile.some((p) => p.code === field && p.kind === 'multi');
}

/** readKeyedForm reads every field; the ones the supervisor did not key are blank here and not used. */
function withBlankDefaults(questionnaire: Questionnaire, body: FormBody): FormBody {
  return { ...Object.fromEntries(criterionCodes(questionnaire).map((c) => [c, ''])), ...body };
}

function copyField(questionnaire: Questionnaire, field: string, from: KeyedForm, to: KeyedForm): void {
  if (criterionCodes(questionnaire).includes(field)) {
    to.answers[field] = from.answers[field] ?? null;
  } else if (field === questionnaire.comment.code) {
    to.comment = from.comment;
  } else if (from.profile[field] === undefined || from.profile[field] === null) {
    delete to.profile[field];
  } else {
    to.profile[field] = from.profile[field];
  }
}


/**
 * A supervisor's settlement of two differing keyings: every differing field takes the chosen
 * keying's value or the supervisor's own (keyed like the entry form); agreeing fields stay as
 * keyed. Every differing field needs a choice.
 */
export function settleKeyings(
  questionnaire: Questionnaire,
  first: KeyedForm,
  second: KeyedForm,
  choices: Record<string, FieldChoice | undefined>,
): { settled: KeyedForm; picks: Record<string, FieldChoice['pick']>; differences: FieldDifference[] } {
  const differences = compareKeyings(questionnaire, first, second);
  const problems: FieldProblem[] = [];
  const settledBody: FormBody = {};
  const picks: Record<string, FieldChoice['pick']> = {};
  for (const difference of differences) {
    const choice = choices[difference.field];
    if (!choice) {
      problems.push({ field: difference.field, message: 'chưa chọn giá trị (lần 1, lần 2 hoặc giá trị khác)' });
      continue;
    }
    picks[difference.field] = choice.pick;
    if (choice.pick === 'other') settledBody[difference.field] = isMulti(questionnaire, difference.field) ? choice.other.split(/[\s,;]+/) : choice.other;
  }
  const { form: others, problems: otherProblems } = readKeyedForm(questionnaire, withBlankDefaults(questionnaire, settledBody));
  problems.push(...otherProblems);
  if (problems.length > 0) throw keyedFormRefusal(questionnaire, problems, 'settle');
  const settled: KeyedForm = { answers: { ...first.answers }, profile: { ...first.profile }, comment: first.comment };
  for (const difference of differences) {
    const source = picks[difference.field] === 'pass1' ? first : picks[difference.field] === 'pass2' ? second : others;
    copyField(questionnaire, difference.field, source, settled);
  }
  return { settled, picks, differences };
}
