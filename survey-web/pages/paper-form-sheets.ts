import type { ChoiceField, CommentField, CriterionField, FieldSection } from '../../analysis/questionnaire-fields';

/**
 * Which part of the paper questionnaire goes on which A4 sheet. Every sheet carries the code,
 * so each must fit one printed page: a block that spilled over would print as a page with no
 * code, which the post office cannot match to anyone. A province may add items to its
 * questionnaire, so the split is computed from the items, not fixed.
 *
 * Heights are estimates in millimetres for the pack's stylesheet (mailing-pack-page.tsx), taken
 * from Chromium; the pack's browser test checks that the real sheets fit. Only FILL of the page
 * is planned on, since the administrator's browser may use wider fonts than the test's.
 */

/** One part of the form that is never split across sheets. */
export type PaperBlock =
  | { kind: 'element'; code: string; title: string; criteria: CriterionField[] }
  /** A profile item or the comment; `heading` opens the "Thông tin chung" part. */
  | { kind: 'item'; heading: string | null; field: ChoiceField | CommentField };

/** A4 height (297 mm) less the pack's @page margins (14 mm above and below). */
export const PRINTABLE_HEIGHT_MM = 269;
const FILL = 0.88;
const SHEET_HEAD_MM = 9;
/** The form's title and how to mark it, on its first sheet. */
const INTRO_MM = 26;
/** "Xin trân trọng cảm ơn…", on the last sheet. */
const CLOSING_MM = 11;
const HEADING_MM = 9;
const TABLE_HEAD_MM = 8;
/** A criterion row: the boxes set its height until the label wraps. */
const ROW_MM = 7.6;
const TABLE_LINE_MM = 5;
const TABLE_LINE_CHARS = 60;
const TEXT_LINE_MM = 6.2;
const TEXT_LINE_CHARS = 95;
const ITEM_GAP_MM = 3;
/** Ruled lines for the comment. */
export const COMMENT_LINES = 4;
const COMMENT_LINE_MM = 8.5;

function blockHeight(block: PaperBlock): number {
  if (block.kind === 'element') {
    const rows = block.criteria.reduce((mm, c) => mm + Math.max(ROW_MM, Math.ceil(`${c.code}. ${c.label}`.length / TABLE_LINE_CHARS) * TABLE_LINE_MM + 2.6), 0);
    return HEADING_MM + TABLE_HEAD_MM + rows;
  }
  const heading = block.heading ? HEADING_MM : 0;
  if (block.field.kind === 'comment') return heading + TEXT_LINE_MM + COMMENT_LINES * COMMENT_LINE_MM + ITEM_GAP_MM;
  // Each option prints as "☐ label" with a gap, inline after the item's label.
  const chars = block.field.label.length + 2 + block.field.options.reduce((n, o) => n + o.label.length + 6, 0);
  return heading + Math.ceil(chars / TEXT_LINE_CHARS) * TEXT_LINE_MM + ITEM_GAP_MM;
}

export function paperBlocks(sections: FieldSection[]): PaperBlock[] {
  return sections.flatMap((section): PaperBlock[] => {
    if (section.code !== null) {
      return [{ kind: 'element', code: section.code, title: section.title, criteria: section.fields.filter((f): f is CriterionField => f.kind === 'scale') }];
    }
    return section.fields
      .filter((f): f is ChoiceField | CommentField => f.kind !== 'scale')
      .map((field, i) => ({ kind: 'item', heading: i === 0 ? section.title : null, field }));
  });
}

/**
 * The form's blocks laid on sheets in order, each sheet filled while the next block fits. A
 * block taller than a whole sheet still gets a sheet of its own (it will spill; nothing better
 * can be done short of rewording the questionnaire).
 */
export function paperFormSheets(sections: FieldSection[]): PaperBlock[][] {
  const budget = PRINTABLE_HEIGHT_MM * FILL - SHEET_HEAD_MM;
  const blocks = paperBlocks(sections);
  const sheets: PaperBlock[][] = [];
  let used = INTRO_MM;
  let sheet: PaperBlock[] = [];
  for (const [i, block] of blocks.entries()) {
    const height = blockHeight(block) + (i === blocks.length - 1 ? CLOSING_MM : 0);
    if (sheet.length > 0 && used + height > budget) {
      sheets.push(sheet);
      sheet = [];
      used = 0;
    }
    sheet.push(block);
    used += height;
  }
  sheets.push(sheet);
  return sheets;
}
