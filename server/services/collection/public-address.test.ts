import { describe, expect, it } from 'vitest';
import { publicAddressProblem } from './public-address';

describe('whether the public address may be printed on letters', () => {
  it('accepts a public https address, with or without a port or path', () => {
    expect(publicAddressProblem('https://sipas.angiang.gov.vn')).toBeNull();
    expect(publicAddressProblem('https://dichvucong.angiang.gov.vn:8443/sipas')).toBeNull();
    expect(publicAddressProblem('https://203.113.1.20')).toBeNull();
  });

  it.each(['http://localhost:3000', 'https://localhost', 'http://127.0.0.1:3000', 'https://127.0.1.1', 'http://[::1]:3000', 'https://0.0.0.0', 'https://sipas.localhost'])(
    'refuses the server itself: %s',
    (url) => {
      expect(publicAddressProblem(url)).toMatch(/chính máy chủ/);
    },
  );

  it.each(['https://192.168.1.10', 'https://10.0.0.5', 'https://172.20.3.4', 'https://[fd12:3456::1]', 'https://may-chu.local'])('refuses an office network address: %s', (url) => {
    expect(publicAddressProblem(url)).toMatch(/mạng nội bộ/);
  });

  it('refuses a bare machine name, plain http and something that is not an address', () => {
    expect(publicAddressProblem('https://sipas')).toMatch(/tên máy trong mạng nội bộ/);
    expect(publicAddressProblem('http://sipas.angiang.gov.vn')).toMatch(/không dùng https/);
    expect(publicAddressProblem('sipas.angiang.gov.vn')).toMatch(/không phải là một địa chỉ web/);
    // 172.32 is outside the private 172.16–172.31 block.
    expect(publicAddressProblem('https://172.32.0.1')).toBeNull();
  });
});
