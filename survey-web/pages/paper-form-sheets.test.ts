import { describe, expect, it } from 'vitest';
import { defaultQuestionnaire, type Questionnaire } from '../../analysis/questionnaire';
import { fieldSections, questionnaireFields } from '../../analysis/questionnaire-fields';
import { paperFormSheets, type PaperBlock } from './paper-form-sheets';

const sheetsOf = (q: Questionnaire) => paperFormSheets(fieldSections(questionnaireFields(q)));
const names = (sheet: PaperBlock[]) => sheet.map((b) => (b.kind === 'element' ? b.code : b.field.code));

describe('the paper questionnaire on A4 sheets', () => {
  it('prints the default questionnaire as criteria A–D, then E with the profile and the comment', () => {
    const sheets = sheetsOf(defaultQuestionnaire);
    expect(sheets.map(names)).toEqual([
      ['A', 'B', 'C', 'D'],
      ['E', 'procedure_channel', 'gender', 'age_band', 'education', 'occupation', 'ethnicity', 'priorities', 'comment'],
    ]);
    // "Thông tin chung" heads the first profile item only.
    expect(sheets[1].filter((b) => b.kind === 'item' && b.heading !== null).map((b) => (b.kind === 'item' ? b.heading : ''))).toEqual(['Thông tin chung']);
  });

  it('adds sheets for a longer questionnaire, keeping every block whole and in order', () => {
    const criteria = (code: string) => Array.from({ length: 6 }, (_, i) => ({ code: `${code}${i + 1}`, label: 'Tiêu chí có nội dung khá dài để xuống dòng trong bảng in trên khổ giấy A4 của phiếu' }));
    const q: Questionnaire = { ...defaultQuestionnaire, elements: ['A', 'B', 'C', 'D', 'E', 'G', 'H'].map((code) => ({ code, label: `Yếu tố ${code}`, criteria: criteria(code) })) };
    const sheets = sheetsOf(q);
    expect(sheets.length).toBeGreaterThan(2);
    expect(sheets.flatMap(names)).toEqual([...'ABCDEGH', ...q.profile.map((p) => p.code), 'comment']);
    expect(sheets.every((sheet) => sheet.length > 0)).toBe(true);
  });

  it('keeps a short questionnaire on one sheet', () => {
    const q: Questionnaire = { ...defaultQuestionnaire, elements: defaultQuestionnaire.elements.slice(0, 1), profile: defaultQuestionnaire.profile.slice(0, 2) };
    expect(sheetsOf(q).map(names)).toEqual([['A', 'procedure_channel', 'gender', 'comment']]);
  });
});
