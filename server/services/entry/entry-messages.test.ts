import { describe, expect, it } from 'vitest';
import { doubleEntryMessage, keyingMessage, noFormMessage, openedFormWarning, settledMessage } from './entry-messages';

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
      `Phiếu ${code} (${unit}): không phát được. Đã phát hành phiếu dự phòng 23-SNV-0101-X thay thế; phiếu này có trong danh sách cần in.`,
    );
    expect(noFormMessage(code, unit, 'refused', null)).toBe(`Phiếu ${code} (${unit}): từ chối. Đơn vị ${unit} đã hết phiếu dự phòng: không có phiếu thay thế.`);
  });

  it('says what switching double entry did', () => {
    expect(doubleEntryMessage(true, 0)).toBe('Đã bật nhập hai lần: từ nay mỗi phiếu giấy cần hai lần nhập độc lập.');
    expect(doubleEntryMessage(false, 0)).toBe('Đã tắt nhập hai lần.');
    expect(doubleEntryMessage(false, 4)).toBe('Đã tắt nhập hai lần; 4 phiếu đã nhập một lần được ghi nhận.');
  });
});
