import { describe, expect, it } from 'vitest';
import { defaultQuestionnaire, type Questionnaire } from '../../analysis/questionnaire';
import { readKeyedForm } from './keyed-form';

describe('readKeyedForm', () => {
  it('turns keyed digits into the response shape: 0 or empty is blank, option numbers become codes', () => {
    const { form, problems } = readKeyedForm(defaultQuestionnaire, { A1: '5', A2: '0', B1: '', gender: '2', age_band: '0', priorities: ['1', ' 3 '], comment: '  Cán bộ tốt ' });
    expect(problems).toEqual([]);
    expect(form.answers).toMatchObject({ A1: 5, A2: null, B1: null });
    expect(Object.keys(form.answers)).toHaveLength(16);
    expect(form.profile).toEqual({ gender: 'nu', priorities: ['mo_rong_truc_tuyen', 'cong_khai'] });
    expect(form.comment).toBe('Cán bộ tốt');
  });

  it('names every item keyed out of range, by field (the page shows the item’s wording next to it)', () => {
    expect(readKeyedForm(defaultQuestionnaire, { A1: '6', gender: '3', priorities: ['9'] }).problems).toEqual([
      { field: 'A1', message: '"6" không hợp lệ: chỉ nhận 1–5, hoặc 0 / để trống nếu không ý kiến' },
      { field: 'gender', message: '"3" không có: chọn 1–2, hoặc 0 để trống' },
      { field: 'priorities', message: '"9" không có: chọn 1–8' },
    ]);
  });

  it('reads the comment’s line breaks as one character each, as the page counted them against its limit', () => {
    expect(readKeyedForm(defaultQuestionnaire, { comment: 'Dòng 1\r\nDòng 2\rDòng 3' }).form.comment).toBe('Dòng 1\nDòng 2\nDòng 3');
  });

  it('reads the comment from the field the questionnaire names', () => {
    const q: Questionnaire = { ...defaultQuestionnaire, comment: { code: 'gop_y', label: 'Góp ý', maxLength: 100 } };
    expect(readKeyedForm(q, { gop_y: 'Tốt', comment: 'bỏ qua' }).form.comment).toBe('Tốt');
    expect(readKeyedForm(q, {}).form.comment).toBeNull();
  });
});
