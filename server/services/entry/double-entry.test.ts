import { describe, expect, it } from 'vitest';
import { criterionCodes, defaultQuestionnaire as q } from '../../../analysis/questionnaire';
import { UserError } from '../../errors';
import type { KeyedForm } from '../../forms/keyed-form';
import { compareKeyings, settleKeyings, type FieldChoice } from './double-entry';

/** The comment's field, by the code the questionnaire gives it. */
const commentField = q.comment.code;

/** A keying answering every criterion 4, with a few profile items and a comment. */
function keying(over: Partial<KeyedForm> = {}): KeyedForm {
  return {
    answers: { ...Object.fromEntries(criterionCodes(q).map((c) => [c, 4])), ...over.answers },
    profile: { gender: 'nu', age_band: '35-49', priorities: ['mo_rong_truc_tuyen', 'cong_khai'], ...over.profile },
    comment: over.comment === undefined ? 'Cán bộ nhiệt tình' : over.comment,
  };
}

function problemsOf(run: () => unknown): UserError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error('accepted');
}

describe('comparing two keyings', () => {
  it('finds nothing when they agree', () => {
    expect(compareKeyings(q, keying(), keying())).toEqual([]);
  });

  it('lists each differing field once, with both values as a person reads them', () => {
    const second = keying({ answers: { A2: 5, E3: null }, profile: { gender: 'nam' } });
    expect(compareKeyings(q, keying(), second)).toEqual([
      { field: 'A2', label: q.elements[0].criteria[1].label, pass1: '4', pass2: '5', otherHint: '1–5, 0 = để trống' },
      { field: 'E3', label: q.elements[4].criteria[2].label, pass1: '4', pass2: 'để trống', otherHint: '1–5, 0 = để trống' },
      { field: 'gender', label: 'Giới tính', pass1: '2. Nữ', pass2: '1. Nam', otherHint: '1–2, 0 = để trống' },
    ]);
  });

  it('compares ticks as sets: the order they were keyed in does not matter, a missing tick does', () => {
    expect(compareKeyings(q, keying(), keying({ profile: { priorities: ['cong_khai', 'mo_rong_truc_tuyen'] } }))).toEqual([]);
    const [difference] = compareKeyings(q, keying(), keying({ profile: { priorities: ['cong_khai'] } }));
    expect(difference).toMatchObject({
      field: 'priorities',
      pass1: '3. Công khai, minh bạch thông tin; 1. Mở rộng dịch vụ công trực tuyến',
      pass2: '3. Công khai, minh bạch thông tin',
      otherHint: 'số lựa chọn 1–8, cách nhau bởi dấu cách',
    });
    expect(compareKeyings(q, keying(), keying({ profile: { priorities: null } }))[0]).toMatchObject({ field: 'priorities', pass2: 'để trống' });
  });

  it('compares the comment ignoring spacing and case, but not its words', () => {
    expect(compareKeyings(q, keying(), keying({ comment: '  cán bộ   NHIỆT tình ' }))).toEqual([]);
    expect(compareKeyings(q, keying({ comment: null }), keying({ comment: '  ' }))).toEqual([]);
    expect(compareKeyings(q, keying(), keying({ comment: 'Cán bộ chậm' }))).toEqual([
      { field: commentField, label: q.comment.label, pass1: 'Cán bộ nhiệt tình', pass2: 'Cán bộ chậm', otherHint: 'văn bản' },
    ]);
  });
});

describe('settling two differing keyings', () => {
  const first = keying();
  const second = keying({ answers: { A2: 5 }, profile: { gender: 'nam', priorities: ['cong_khai'] }, comment: 'Cán bộ chậm' });
  const pick = (p: FieldChoice['pick'], other = ''): FieldChoice => ({ pick: p, other });

  it('needs a choice for every differing field, naming each one left out', () => {
    const error = problemsOf(() => settleKeyings(q, first, second, { A2: pick('pass2') }));
    expect(error.status).toBe(400);
    expect(error.fields.map((f) => f.field)).toEqual(['gender', 'priorities', commentField]);
    expect(error.details).toContain('Giới tính: chưa chọn giá trị (lần 1, lần 2 hoặc giá trị khác)');
  });

  it('takes pass 1 or pass 2 per field and keeps the fields both keyings agree on', () => {
    const { settled, picks, differences } = settleKeyings(q, first, second, {
      A2: pick('pass2'),
      gender: pick('pass1'),
      priorities: pick('pass2'),
      [commentField]: pick('pass2'),
    });
    expect(differences.map((d) => d.field)).toEqual(['A2', 'gender', 'priorities', commentField]);
    expect(picks).toEqual({ A2: 'pass2', gender: 'pass1', priorities: 'pass2', [commentField]: 'pass2' });
    expect(settled).toEqual({
      answers: { ...first.answers, A2: 5 },
      profile: { gender: 'nu', age_band: '35-49', priorities: ['cong_khai'] },
      comment: 'Cán bộ chậm',
    });
    // The keyings themselves are left as they were.
    expect(first.answers.A2).toBe(4);
  });

  it('reads the supervisor’s own value like the entry form: 1–5 or 0, option numbers, text', () => {
    const { settled } = settleKeyings(q, first, second, {
      A2: pick('other', '0'),
      gender: pick('other', '1'),
      priorities: pick('other', '4 5'),
      [commentField]: pick('other', ' Cán bộ tận tình '),
    });
    expect(settled.answers.A2).toBeNull();
    expect(settled.profile).toEqual({ gender: 'nam', age_band: '35-49', priorities: ['thai_do', 'rut_ngan_thoi_gian'] });
    expect(settled.comment).toBe('Cán bộ tận tình');
    const blank = settleKeyings(q, first, second, { A2: pick('other', '3'), gender: pick('other', '0'), priorities: pick('other', ''), [commentField]: pick('pass1') });
    expect(blank.settled.answers.A2).toBe(3);
    expect(blank.settled.profile).toEqual({ age_band: '35-49' });
  });

  it('refuses a supervisor’s value the entry form would refuse, naming the field', () => {
    const error = problemsOf(() =>
      settleKeyings(q, first, second, { A2: pick('other', '7'), gender: pick('other', '3'), priorities: pick('pass1'), [commentField]: pick('pass1') }),
    );
    expect(error.fields.map((f) => f.field)).toEqual(['A2', 'gender']);
    expect(error.message).toBe('Chưa đối chiếu xong: 2 câu cần sửa');
    expect(error.details).toEqual([
      'A2. Trang thiết bị phục vụ (chỗ ngồi, máy tra cứu, …) đầy đủ, dễ sử dụng: "7" không hợp lệ: chỉ nhận 1–5, hoặc 0 / để trống nếu không ý kiến',
      'Giới tính: "3" không có: chọn 1–2, hoặc 0 để trống',
    ]);
  });
});
