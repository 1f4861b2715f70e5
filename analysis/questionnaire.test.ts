import { describe, expect, it } from 'vitest';
import { criterionCodes, defaultQuestionnaire, validateQuestionnaire, type Questionnaire } from './questionnaire';

describe('questionnaire template', () => {
  it('the default template is valid: 5 elements, 16 criteria, unique codes', () => {
    expect(validateQuestionnaire(defaultQuestionnaire)).toEqual([]);
    expect(defaultQuestionnaire.elements.map((e) => e.code)).toEqual(['A', 'B', 'C', 'D', 'E']);
    const codes = criterionCodes(defaultQuestionnaire);
    expect(codes).toHaveLength(16);
    expect(new Set(codes).size).toBe(16);
  });

  it('survives a JSON round trip, as it is stored in the database', () => {
    const stored = JSON.parse(JSON.stringify(defaultQuestionnaire)) as Questionnaire;
    expect(validateQuestionnaire(stored)).toEqual([]);
    expect(stored).toEqual(defaultQuestionnaire);
  });

  it('reports a criterion code used twice, an empty element and a bad scale', () => {
    const broken: Questionnaire = structuredClone(defaultQuestionnaire);
    broken.elements[1].criteria[0].code = 'A1';
    broken.elements[4].criteria = [];
    broken.scale = broken.scale.slice(0, 4);
    const problems = validateQuestionnaire(broken);
    expect(problems).toContainEqual(expect.stringContaining('"A1" bị trùng'));
    expect(problems).toContainEqual(expect.stringContaining('yếu tố E không có tiêu chí'));
    expect(problems).toContainEqual(expect.stringContaining('thang đo'));
  });

  it('has the comment apart from the choice items, and checks its code and length', () => {
    expect(defaultQuestionnaire.profile.every((p) => p.kind === 'single' || p.kind === 'multi')).toBe(true);
    expect(defaultQuestionnaire.comment).toEqual({ code: 'comment', label: 'Ý kiến khác', maxLength: 2000 });
    const broken: Questionnaire = structuredClone(defaultQuestionnaire);
    broken.comment = { code: 'gender', label: 'Ý kiến khác', maxLength: 0 };
    const problems = validateQuestionnaire(broken);
    expect(problems).toContainEqual(expect.stringContaining('"gender" bị trùng'));
    expect(problems).toContainEqual(expect.stringContaining('độ dài tối đa'));
  });
});
