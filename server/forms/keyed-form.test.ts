import { describe, expect, it } from 'vitest';
import { defaultQuestionnaire, type Questionnaire } from '../../analysis/questionnaire';
import { parseKeyedForm } from './keyed-form';

describe('parseKeyedForm', () => {
  it('turns keyed digits into the response shape: 0 or empty is blank, option numbers become codes', () => {
    const form = parseKeyedForm(defaultQuestionnaire, { A1: '5', A2: '0', B1: '', gender: '2', age_band: '0', priorities: ['1', ' 3 '], comment: '  Cán bộ tốt ' });
    expect(form.answers).toMatchObject({ A1: 5, A2: null, B1: null });
    expect(Object.keys(form.answers)).toHaveLength(16);
    expect(form.profile).toEqual({ gender: 'nu', priorities: ['mo_rong_truc_tuyen', 'cong_khai'] });
    expect(form.comment).toBe('Cán bộ tốt');
  });

  it('names every item keyed out of range', () => {
    expect(() => parseKeyedForm(defaultQuestionnaire, { A1: '6', gender: '3', priorities: ['9'] })).toThrowError(
      expect.objectContaining({
        status: 400,
        fields: [
          { field: 'A1', message: '"6" không hợp lệ: chỉ nhận 1–5, hoặc 0 / để trống nếu không ý kiến' },
          { field: 'gender', message: '"3" không có trong câu "Giới tính" (chọn 1–2, 0 để trống)' },
          { field: 'priorities', message: '"9" không có trong câu "Những nội dung cần ưu tiên cải thiện (chọn tối đa 3)" (chọn 1–8)' },
        ],
      }),
    );
  });

  it('reads the comment from the field the questionnaire names', () => {
    const q: Questionnaire = { ...defaultQuestionnaire, comment: { code: 'gop_y', label: 'Góp ý', maxLength: 100 } };
    expect(parseKeyedForm(q, { gop_y: 'Tốt', comment: 'bỏ qua' }).comment).toBe('Tốt');
    expect(parseKeyedForm(q, {}).comment).toBeNull();
  });
});
