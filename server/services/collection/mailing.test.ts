import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../sampling/seeded-random';
import { deliveryOrderKey, qrSvg, sortForDelivery } from './mailing';

describe('delivery order', () => {
  it('groups by province, district, commune, street, then house number by value, whatever words are written', () => {
    const people = [
      { code: 'a', address: 'Số 10, đường Trần Hưng Đạo, phường Mỹ Bình, TP Long Xuyên, An Giang' },
      { code: 'b', address: null },
      { code: 'c', address: 'Tổ 3, ấp Hòa Long, xã An Hòa, huyện Châu Thành, An Giang' },
      { code: 'd', address: 'Số 9, Trần Hưng Đạo, P. Mỹ Bình, thành phố Long Xuyên, tỉnh An Giang' },
      { code: 'e', address: '12 Nguyễn Huệ, phường Châu Phú A, TP Châu Đốc, An Giang' },
      { code: 'f', address: 'SO 2 TRAN HUNG DAO - PHUONG MY BINH - TP. LONG XUYEN - AN GIANG' },
    ];
    expect(sortForDelivery(people).map((p) => p.code)).toEqual(['e', 'c', 'f', 'd', 'a', 'b']);
  });

  it('puts a wave of addresses sharing their parts in the order of each address\'s own key', () => {
    // sortForDelivery folds each distinct part once for the whole list; the order must not change.
    const random = seededRandom(15);
    const pick = <T,>(items: T[]) => items[Math.floor(random() * items.length)];
    const people = Array.from({ length: 500 }, (_, i) => ({
      code: `q${String(i).padStart(3, '0')}`,
      address:
        random() < 0.05
          ? null
          : [`Số ${1 + Math.floor(random() * 40)}`, pick(['đường Lê Lợi', 'Lê Lợi', 'ĐƯỜNG LÊ LỢI', 'Trần Hưng Đạo']), pick(['phường Mỹ Bình', 'P. Mỹ Bình', 'xã An Hòa']), pick(['TP Long Xuyên', 'Long Xuyên', 'huyện Châu Thành']), 'An Giang'].join(pick([', ', ' - '])),
    }));
    const byOwnKey = [...people].sort((a, b) => {
      const [ka, kb] = [deliveryOrderKey(a.address), deliveryOrderKey(b.address)];
      return ka < kb ? -1 : ka > kb ? 1 : a.code < b.code ? -1 : 1;
    });
    expect(sortForDelivery(people).map((p) => p.code)).toEqual(byOwnKey.map((p) => p.code));
  });

  it('ignores composed or decomposed accents and case', () => {
    const composed = 'Số 1, phường Mỹ Bình, TP Long Xuyên';
    expect(deliveryOrderKey(composed.normalize('NFD').toUpperCase())).toBe(deliveryOrderKey(composed));
  });
});

describe('QR code for the letter', () => {
  it('is inline SVG with path data, labelled with the address it encodes', async () => {
    const svg = await qrSvg('https://sipas.example.vn/q/abc_DEF-123');
    expect(svg).toMatch(/^<svg role="img" aria-label="Mã QR: https:\/\/sipas.example.vn\/q\/abc_DEF-123" /);
    expect(svg).toContain('<title>https://sipas.example.vn/q/abc_DEF-123</title>');
    expect(svg).toMatch(/<path [^>]*d="M[0-9]/);
    expect(svg).not.toBe(await qrSvg('https://sipas.example.vn/q/abc_DEF-124'));
  });
});
