import { describe, expect, it } from 'vitest';
import { defaultQuestionnaire, type Questionnaire } from './questionnaire';
import { fieldSections, questionnaireFields } from './questionnaire-fields';

describe('questionnaire fields', () => {
  it('lists the criteria by element, then the profile choice items, then the comment', () => {
    const fields = questionnaireFields(defaultQuestionnaire);
    expect(fields.map((f) => f.code)).toEqual([
      'A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3',
      'procedure_channel', 'gender', 'age_band', 'education', 'occupation', 'ethnicity', 'priorities',
      'comment',
    ]);
    expect(fields[4]).toMatchObject({ kind: 'scale', code: 'B2', element: { code: 'B', label: 'Thủ tục hành chính' } });
    expect(fields[4].kind === 'scale' && fields[4].options.map((o) => o.value)).toEqual([1, 2, 3, 4, 5]);
    expect(fields.find((f) => f.code === 'gender')).toMatchObject({ kind: 'single', maxChoices: 1 });
    expect(fields.find((f) => f.code === 'priorities')).toMatchObject({ kind: 'multi', maxChoices: 3 });
    expect(fields.at(-1)).toEqual({ kind: 'comment', code: 'comment', label: 'Ý kiến khác', maxLength: 2000 });
  });

  it('takes the comment, and a multi item without a limit, from the questionnaire', () => {
    const q: Questionnaire = structuredClone(defaultQuestionnaire);
    q.comment = { code: 'gop_y', label: 'Góp ý', maxLength: 500 };
    delete q.profile[6].maxChoices;
    const fields = questionnaireFields(q);
    expect(fields.at(-1)).toEqual({ kind: 'comment', code: 'gop_y', label: 'Góp ý', maxLength: 500 });
    expect(fields.find((f) => f.code === 'priorities')).toMatchObject({ maxChoices: 8 });
  });

  it('groups the fields under one heading per element and one for the profile and the comment', () => {
    const sections = fieldSections(questionnaireFields(defaultQuestionnaire));
    expect(sections.map((s) => [s.code, s.title, s.fields.length])).toEqual([
      ['A', 'Tiếp cận dịch vụ', 3],
      ['B', 'Thủ tục hành chính', 4],
      ['C', 'Công chức', 3],
      ['D', 'Kết quả giải quyết', 3],
      ['E', 'Góp ý, phản ánh, kiến nghị', 3],
      [null, 'Thông tin chung', 8],
    ]);
  });
});
