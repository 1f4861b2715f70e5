/**
 * Whether the public address (PUBLIC_BASE_URL) can be printed on letters: every QR code, the
 * short address and the post office's manifest carry it, and once 700 letters are in the post
 * they cannot be called back. The default (`http://localhost:3000`) suits a trial on one's own
 * computer and nothing else, so the mailing pages warn until it is set.
 *
 * Returns what is wrong, in words for the administrator, or null when the address looks public.
 */
export function publicAddressProblem(url: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'không phải là một địa chỉ web hợp lệ';
  }
  const host = parsed.hostname.toLowerCase().replace(/^\[|\]$/g, '');
  if (isOwnMachine(host)) return 'chỉ mở được trên chính máy chủ, điện thoại và máy tính của người dân không mở được';
  if (isPrivateNetwork(host)) return 'chỉ mở được trong mạng nội bộ, người dân ở nhà không mở được';
  // A name without a dot ("sipas", "may-chu") only resolves inside an office network.
  if (!host.includes('.') && !host.includes(':')) return 'là tên máy trong mạng nội bộ, không phải tên miền công khai';
  if (parsed.protocol !== 'https:') return 'không dùng https (kết nối mã hóa): trình duyệt của người dân sẽ báo không an toàn';
  return null;
}

function isOwnMachine(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '0.0.0.0' || host === '::1' || host === '::';
}

function isPrivateNetwork(host: string): boolean {
  return /^(10\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.)/.test(host) || /^f[cd][0-9a-f]{2}:/.test(host) || /^fe80:/.test(host) || host.endsWith('.local');
}
