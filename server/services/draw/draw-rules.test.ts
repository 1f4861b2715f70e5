import { describe, expect, it } from 'vitest';
import { publishRefusal, redrawRefusal } from './draw-rules';

const draft = { id: 7, waveYear: 2023, status: 'draft' as const, publishedAt: null, commitmentId: 3 };
// 03:00 UTC is 10:00 in Vietnam, whatever the machine's time zone.
const published = { id: 7, waveYear: 2023, status: 'published' as const, publishedAt: '2024-04-15T03:00:00.000Z', commitmentId: 3 };
const plain = { redraw: false, reason: '' };
const redraw = { redraw: true, reason: 'Sai kỳ khảo sát' };

describe('redrawRefusal', () => {
  it('lets a first draw or a new draft through, and replaces a draft without asking', () => {
    expect(redrawRefusal(2023, undefined, plain, 0)).toBeNull();
    expect(redrawRefusal(2023, draft, plain, 0)).toBeNull();
    expect(redrawRefusal(2023, draft, redraw, 0)).toBeNull();
  });

  it('never replaces a published draw silently', () => {
    expect(redrawRefusal(2023, published, plain, 0)).toBe(
      'Mẫu của đợt 2023 đã công bố lúc 10:00:00 15/4/2024 và không thể bốc lại ngầm; muốn bốc lại phải chọn "bốc lại" (--redraw) và ghi lý do (--reason)',
    );
  });

  it('wants a reason for every redraw', () => {
    expect(redrawRefusal(2023, published, { redraw: true, reason: '' }, 0)).toMatch(/^Bốc lại mẫu của đợt 2023 cần ghi lý do/);
    expect(redrawRefusal(2023, undefined, { redraw: true, reason: '' }, 0)).toMatch(/cần ghi lý do/);
  });

  it('replaces a published draw on a redraw with a reason, until the first response arrives', () => {
    expect(redrawRefusal(2023, published, redraw, 0)).toBeNull();
    expect(redrawRefusal(2023, published, redraw, 1)).toBe('Đợt 2023 đã có 1 phiếu trả lời: không thể bốc lại mẫu');
  });
});

describe('publishRefusal', () => {
  it('publishes the draft the person looked at, and only a draft', () => {
    expect(publishRefusal(2023, draft, 7)).toBeNull();
    expect(publishRefusal(2023, draft)).toBeNull();
    expect(publishRefusal(2023, undefined)).toBe('Đợt 2023 chưa bốc mẫu: không có gì để công bố');
    expect(publishRefusal(2023, draft, 6)).toBe('Lần bốc đang xem (số 6) không còn là bản nháp hiện tại; hãy xem lại trang');
    expect(publishRefusal(2023, published)).toBe('Mẫu của đợt 2023 đã công bố lúc 10:00:00 15/4/2024');
  });

  it('never publishes a trial draw, made without a commitment: its seed was the administrator\'s choice', () => {
    expect(publishRefusal(2023, { ...draft, commitmentId: null }, 7)).toMatch(/^Lần bốc số 7 là bốc thử, không theo biên bản cam kết nào, nên không công bố được/);
  });
});
