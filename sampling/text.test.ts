import { describe, expect, it } from 'vitest';
import { Fingerprint, cleanField, fold, identityKey, isUsableAddress, normaliseIdNumber } from './text';

describe('fold', () => {
  it('removes accents, folds đ and case, collapses whitespace, and is the same for NFC and NFD input', () => {
    expect(fold('  Đặng   Thị\tÁnh ')).toBe('dang thi anh');
    expect(fold('Nguyễn Văn Ánh'.normalize('NFD'))).toBe(fold('Nguyễn Văn Ánh'.normalize('NFC')));
    expect(fold('Sở Tư pháp')).toBe('so tu phap');
    expect(fold('Plain ASCII')).toBe('plain ascii');
  });
});

describe('cleanField', () => {
  it('trims and turns an embedded line break into a space', () => {
    expect(cleanField(undefined)).toBe('');
    expect(cleanField('  a  ')).toBe('a');
    expect(cleanField(' Số 1, đường A,\r\n  phường B ')).toBe('Số 1, đường A, phường B');
  });
});

describe('normaliseIdNumber', () => {
  it('strips separators, restores the leading zero Excel drops, and discards scientific notation', () => {
    expect(normaliseIdNumber('090 143.164-966')).toBe('090143164966');
    expect(normaliseIdNumber('90143164966')).toBe('090143164966');
    expect(normaliseIdNumber('9.01432E+10')).toBe('');
    expect(normaliseIdNumber('9,01432E+10')).toBe('');
    expect(normaliseIdNumber('0312345678-001')).toBe('0312345678001');
    expect(normaliseIdNumber('b1234567')).toBe('B1234567');
    expect(normaliseIdNumber('')).toBe('');
  });
});

describe('isUsableAddress', () => {
  it('accepts a real address and refuses blanks and placeholders', () => {
    expect(isUsableAddress('Số 1, đường Lê Lợi')).toBe(true);
    expect(isUsableAddress('Ấp Mỹ Hòa')).toBe(true);
    for (const bad of ['', '-', '0', '...', 'Không có', 'không rõ', 'N/A']) expect(isUsableAddress(bad)).toBe(false);
  });
});

describe('Fingerprint', () => {
  it('is stable and separates near-identical strings', () => {
    const f = new Fingerprint();
    const seen = new Set<string>();
    for (let i = 0; i < 50_000; i++) {
      f.of(`CMO\u0000id:0890${String(i).padStart(8, '0')}`);
      seen.add(`${f.hi}:${f.lo}`);
    }
    expect(seen.size).toBe(50_000);
    // addFolded(t) hashes what add(fold(t)) hashes, also for texts fold() takes the slow way (Chinese, very long).
    for (const text of ['  Đặng   Thị\tÁnh ', 'Nguyễn Văn Ánh'.normalize('NFD'), '', ' ', 'Số 1,\r\nđường A', '陳 Văn', 'Trần Văn 陳', 'Ấp '.repeat(2000)]) {
      const direct = new Fingerprint().start().add('CMO').addFolded(text).add('\u0000').end();
      const viaString = new Fingerprint().start().add('CMO').add(fold(text)).add('\u0000').end();
      expect([direct.hi, direct.lo]).toEqual([viaString.hi, viaString.lo]);
    }
    const a = new Fingerprint().of('x');
    const b = new Fingerprint().of('x');
    expect([a.hi, a.lo]).toEqual([b.hi, b.lo]);
  });
});

describe('identityKey (method 1.2.0)', () => {
  it('gives one key for a number however Excel wrote it, and none for digits Excel lost', () => {
    for (const written of ['089123456789', '89123456789', '8.9123456789E+10', '8,9123456789E+10', '089.123.456.789', '089 123-456-789']) {
      expect(identityKey(written)).toBe('89123456789');
    }
    expect(identityKey('8.91235E+10')).toBe('');
    expect(identityKey('001234567890')).toBe(identityKey('1234567890'));
    expect(identityKey('ab123')).toBe('AB123');
    // Digits only: no leading zeros, and zeros alone are no number.
    expect(identityKey('7')).toBe('7');
    expect(identityKey('000000000000')).toBe('');
    expect(identityKey('')).toBe('');
  });
});
