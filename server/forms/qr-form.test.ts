import { describe, expect, it } from 'vitest';
import { defaultQuestionnaire, type Questionnaire } from '../../analysis/questionnaire';
import { readQrForm } from './qr-form';

describe('readQrForm', () => {
  it('reads the scale, "no answer", option codes and the comment into the response shape', () => {
    const { content, problems } = readQrForm(defaultQuestionnaire, {
      A1: '5',
      A2: '0',
      B1: '',
      gender: 'nu',
      priorities: 'cong_khai',
      age_band: '',
      comment: 'Cán bộ tận tình',
    });
    expect(problems).toEqual([]);
    expect(content.answers).toMatchObject({ A1: 5, A2: null, A3: null, B1: null });
    expect(Object.keys(content.answers)).toHaveLength(16);
    expect(content.profile).toEqual({ gender: 'nu', priorities: ['cong_khai'] });
    expect(content.comment).toBe('Cán bộ tận tình');
  });

  it('names a criterion whose value is not on the scale, and leaves option checks to the response rules', () => {
    const { content, problems } = readQrForm(defaultQuestionnaire, { A1: '9', B2: ['4', '5'], gender: ['nu', 'nam'] });
    expect(problems).toEqual([
      { field: 'A1', message: 'xin chọn một mức từ 1 đến 5 hoặc «Không ý kiến»' },
      { field: 'B2', message: 'xin chọn một mức từ 1 đến 5 hoặc «Không ý kiến»' },
    ]);
    expect(content.profile).toEqual({ gender: ['nu', 'nam'] });
    expect(content.comment).toBeNull();
  });

  it('reads the comment from the field the questionnaire names', () => {
    const q: Questionnaire = { ...defaultQuestionnaire, comment: { code: 'gop_y', label: 'Góp ý', maxLength: 100 } };
    expect(readQrForm(q, { gop_y: 'Tốt', comment: 'bỏ qua' }).content.comment).toBe('Tốt');
  });
});
