import { describe, expect, it } from 'vitest';
import { defaultQuestionnaire } from '../../../analysis/questionnaire';
import { doubleEntryMessage, fieldLabel, keyedFormRefusal, keyingMessage, noFormMessage, noFormQuestion, openedFormWarning, settledMessage, undoneMessage, undoRefusedMessage } from './entry-messages';

const code = '23-SNV-0042-7';
const unit = 'Sở Nội vụ';

describe('post-office entry messages', () => {
  it('says what happened to a keying, naming the form and its unit', () => {
    expect(keyingMessage(code, unit, { kind: 'awaiting-second-pass' })).toBe(`Đã lưu lần nhập 1 phiếu ${code} (${unit}); chờ một người khác nhập lần 2 để đối chiếu.`);
    expect(keyingMessage(code, unit, { kind: 'mismatch', fields: 3 })).toBe(`Đã lưu lần nhập 2 phiếu ${code} (${unit}): 3 trường khác lần 1, chuyển giám sát đối chiếu.`);
    expect(keyingMessage(code, unit, { kind: 'recorded', state: 'counted', note: null, pass: null })).toBe(`Đã lưu phiếu ${code} (${unit}): được tính.`);
    expect(keyingMessage(code, unit, { kind: 'recorded', state: 'counted', note: null, pass: 2 })).toBe(`Hai lần nhập khớp; Đã lưu phiếu ${code} (${unit}): được tính.`);
    expect(keyingMessage(code, unit, { kind: 'recorded', state: 'review', note: 'đã có QR', pass: 1 })).toBe(`Đã lưu phiếu ${code} (${unit}), giữ lại để xem xét: đã có QR`);
    expect(keyingMessage(code, unit, { kind: 'recorded', state: 'invalid', note: 'Chỉ trả lời 3/16', pass: null })).toBe(`Đã lưu phiếu ${code} (${unit}) nhưng không hợp lệ: Chỉ trả lời 3/16`);
  });

  it('counts the settled fields before the keying message', () => {
    expect(settledMessage(2, code, unit, { kind: 'recorded', state: 'counted', note: null, pass: null })).toBe(`Đã đối chiếu 2 trường. Đã lưu phiếu ${code} (${unit}): được tính.`);
  });

  it('warns when a form opened for keying already counts or was marked as not coming back', () => {
    expect(openedFormWarning(code, 'answered-qr', 'qr')).toBe(`Phiếu ${code} đã có câu trả lời được tính (qua QR); phiếu giấy này sẽ được giữ lại để xem xét`);
    expect(openedFormWarning(code, 'refused', null)).toBe(`Phiếu ${code} đang ở trạng thái "từ chối"; phiếu trả lời vẫn được nhận`);
    expect(openedFormWarning(code, 'dispatched', null)).toBeNull();
  });

  it('names the replacement reserve, or says the unit has none left', () => {
    expect(noFormMessage(code, unit, 'undeliverable', '23-SNV-0101-X')).toBe(
      `Đã đánh dấu phiếu ${code} (${unit}): không phát được. Đã phát hành phiếu dự phòng 23-SNV-0101-X thay thế; phiếu này có trong danh sách cần in.`,
    );
    expect(noFormMessage(code, unit, 'refused', null)).toBe(`Đã đánh dấu phiếu ${code} (${unit}): từ chối. Đơn vị ${unit} đã hết phiếu dự phòng: không có phiếu thay thế.`);
  });

  it('asks before marking, naming the code and the unit, and says what undoing did or why it cannot', () => {
    expect(noFormQuestion(code, unit, 'refused')).toBe(
      `Đánh dấu phiếu ${code} (${unit}) là "từ chối"? Phiếu dự phòng kế tiếp của đơn vị (nếu còn) sẽ được phát hành để in thay thế.`,
    );
    expect(undoneMessage(code, unit, 'dispatched', '23-SNV-0101-X')).toBe(
      `Đã hoàn tác: phiếu ${code} (${unit}) trở lại trạng thái "đã phát". Phiếu dự phòng 23-SNV-0101-X chưa gửi đã được thu hồi.`,
    );
    expect(undoneMessage(code, unit, 'drawn', null)).toBe(`Đã hoàn tác: phiếu ${code} (${unit}) trở lại trạng thái "chưa phát".`);
    expect(undoRefusedMessage(code, 'undeliverable', { code: '23-SNV-0101-X', status: 'dispatched', answered: false })).toBe(
      `Không hoàn tác được: phiếu dự phòng 23-SNV-0101-X phát hành thay phiếu ${code} đã được gửi đi, nên không thu hồi được. ` +
        `Phiếu ${code} giữ trạng thái "không phát được"; nếu người được khảo sát vẫn gửi phiếu trả lời, phiếu đó vẫn được nhận.`,
    );
    expect(undoRefusedMessage(code, 'refused', { code: '23-SNV-0101-X', status: 'drawn', answered: true })).toContain('23-SNV-0101-X phát hành thay phiếu 23-SNV-0042-7 đã có phiếu trả lời');
    expect(undoRefusedMessage(code, 'refused', { code: '23-SNV-0101-X', status: 'undeliverable', answered: false })).toContain('đang ở trạng thái "không phát được"');
  });

  it('names a keyed form’s fields as the clerk sees them, never by internal keys', () => {
    expect(fieldLabel(defaultQuestionnaire, 'A3')).toBe('A3. Thông tin về dịch vụ công, dịch vụ công trực tuyến dễ tiếp cận, dễ sử dụng');
    expect(fieldLabel(defaultQuestionnaire, 'gender')).toBe('Giới tính');
    expect(fieldLabel(defaultQuestionnaire, 'comment')).toBe('Ý kiến khác');
    const refusal = keyedFormRefusal(defaultQuestionnaire, [{ field: 'comment', message: 'ý kiến dài 2001 ký tự, tối đa 2000' }], 'save');
    expect([refusal.status, refusal.message, refusal.details]).toEqual([400, 'Chưa lưu phiếu: 1 câu cần sửa (những câu đã nhập vẫn giữ nguyên)', ['Ý kiến khác: ý kiến dài 2001 ký tự, tối đa 2000']]);
    expect(refusal.fields).toEqual([{ field: 'comment', message: 'ý kiến dài 2001 ký tự, tối đa 2000' }]);
  });

  it('says what switching double entry did', () => {
    expect(doubleEntryMessage(true, 0)).toBe('Đã bật nhập hai lần: từ nay mỗi phiếu giấy cần hai lần nhập độc lập.');
    expect(doubleEntryMessage(false, 0)).toBe('Đã tắt nhập hai lần.');
    expect(doubleEntryMessage(false, 4)).toBe('Đã tắt nhập hai lần; 4 phiếu đã nhập một lần được ghi nhận.');
  });
});
