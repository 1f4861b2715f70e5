import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HmacSha256, compareDigests } from './sha256';

function wordsToHex(words: Int32Array): string {
  let hex = '';
  for (let i = 0; i < words.length; i++) hex += (words[i] >>> 0).toString(16).padStart(8, '0');
  return hex;
}

describe('HmacSha256', () => {
  it('matches RFC 4231 test case 2', () => {
    const out = new Int32Array(8);
    new HmacSha256('Jefe').start().add('what do ya').add(' want for nothing?').finishInto(out);
    expect(wordsToHex(out)).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('matches the platform HMAC for long keys and multi-block, non-ASCII messages', () => {
    const out = new Int32Array(8);
    const keys = ['', 'seed-1', 'khóa bí mật', 'k'.repeat(65), 'k'.repeat(200)];
    const messages = ['', 'CMO\u0000id:090143164966', 'na:nguyen van an\u0000so 1', 'Đặng Thị Ánh 😀'.repeat(7), 'x'.repeat(55), 'x'.repeat(56), 'y'.repeat(64), 'z'.repeat(300), '\ud800x'];
    for (const key of keys) {
      const hmac = new HmacSha256(key);
      for (const message of messages) {
        hmac.start().add(message).finishInto(out);
        expect(wordsToHex(out)).toBe(createHmac('sha256', key).update(message).digest('hex'));
      }
    }
  });

  it('orders digests as their hex strings order', () => {
    const hmac = new HmacSha256('order');
    const digests = Array.from({ length: 200 }, (_, i) => {
      const d = new Int32Array(8);
      hmac.start().add(`m${i}`).finishInto(d);
      return d;
    });
    const byWords = [...digests].sort(compareDigests).map(wordsToHex);
    const byHex = digests.map(wordsToHex).sort();
    expect(byWords).toEqual(byHex);
  });
});
