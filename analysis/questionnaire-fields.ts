import type { ProfileOption, Questionnaire, ScaleOption } from './questionnaire.js';

/**
 * The fields of a questionnaire in form order, as every page that shows the form renders them
 * (the citizen's QR form, the printed questionnaire, the post office's entry form): each
 * criterion under its element, then the profile choice items, then the comment.
 */

export interface CriterionField {
  kind: 'scale';
  code: string;
  label: string;
  element: { code: string; label: string };
  /** The 1–5 scale; "no answer" (questionnaire.noOpinionLabel) comes on top of it. */
  options: ScaleOption[];
}

export interface ChoiceField {
  kind: 'single' | 'multi';
  code: string;
  label: string;
  options: ProfileOption[];
  /** The most options that may be chosen: 1 for single, the item's limit (or every option) for multi. */
  maxChoices: number;
}

export interface CommentField {
  kind: 'comment';
  code: string;
  label: string;
  maxLength: number;
}

export type QuestionnaireField = CriterionField | ChoiceField | CommentField;

export function questionnaireFields(q: Questionnaire): QuestionnaireField[] {
  return [
    ...q.elements.flatMap((element) =>
      element.criteria.map((c): CriterionField => ({ kind: 'scale', code: c.code, label: c.label, element: { code: element.code, label: element.label }, options: q.scale })),
    ),
    ...q.profile.map(
      (p): ChoiceField => ({ kind: p.kind, code: p.code, label: p.label, options: p.options, maxChoices: p.kind === 'multi' ? (p.maxChoices ?? p.options.length) : 1 }),
    ),
    { kind: 'comment', code: q.comment.code, label: q.comment.label, maxLength: q.comment.maxLength },
  ];
}

/** A heading of the form and the fields under it: one per element, then "Thông tin chung". */
export interface FieldSection {
  /** The element's code, or null for the profile items and the comment. */
  code: string | null;
  title: string;
  fields: QuestionnaireField[];
}

export function fieldSections(fields: QuestionnaireField[]): FieldSection[] {
  const sections: FieldSection[] = [];
  for (const field of fields) {
    const code = field.kind === 'scale' ? field.element.code : null;
    let section = sections[sections.length - 1];
    if (!section || section.code !== code) {
      section = { code, title: field.kind === 'scale' ? field.element.label : 'Thông tin chung', fields: [] };
      sections.push(section);
    }
    section.fields.push(field);
  }
  return sections;
}
