import path from 'node:path';
import { ConfigError } from './errors';

/**
 * All configuration is read and validated here, once, so that a bad setting stops the
 * platform at start with one line that says what to fix.
 */

export type DatabaseTarget =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseTarget;
  /** Public address printed in QR codes and letters, e.g. https://sipas.angiang.gov.vn */
  publicBaseUrl: string;
  /** Folder for uploaded frame files waiting for their draw. */
  dataDir: string;
  /**
   * Reverse proxies in front of the platform that append to X-Forwarded-For (0: clients connect
   * directly, and the header, which anyone can send, is ignored).
   */
  trustedProxyHops: number;
}

export function parseDatabaseUrl(value: string | undefined, cwd = process.cwd()): DatabaseTarget {
  const raw = value?.trim() || './data/sipas.db';
  if (/^postgres(ql)?:\/\//i.test(raw)) return { kind: 'postgres', url: raw };
  if (/^file:/i.test(raw)) {
    const withoutScheme = raw.replace(/^file:(\/\/)?/i, '').replace(/\?.*$/, '');
    if (!withoutScheme) throw new ConfigError('DATABASE_URL "file:" không có đường dẫn tệp (ví dụ file:./data/sipas.db)');
    return { kind: 'sqlite', file: path.resolve(cwd, decodeURIComponent(withoutScheme)) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) {
    throw new ConfigError(`DATABASE_URL "${raw.split(':')[0]}://…" không được hỗ trợ: dùng đường dẫn tệp SQLite, file:… hoặc postgres://…`);
  }
  return { kind: 'sqlite', file: path.resolve(cwd, raw) };
}

export function parsePort(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 3000;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT="${value}" không hợp lệ: cần một số nguyên từ 0 đến 65535`);
  }
  return port;
}

export function parseTrustedProxyHops(value: string | undefined): number {
  if (value === undefined || value.trim() === '') return 0;
  const hops = Number(value);
  if (!Number.isInteger(hops) || hops < 0 || hops > 10) {
    throw new ConfigError(`TRUSTED_PROXY_HOPS="${value}" không hợp lệ: số máy chủ chuyển tiếp (reverse proxy) đứng trước SIPAS, từ 0 đến 10 (thường là 1 khi chạy sau nginx)`);
  }
  return hops;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const port = parsePort(env.PORT);
  const database = parseDatabaseUrl(env.DATABASE_URL, cwd);
  const host = env.HOST?.trim() || '0.0.0.0';
  const publicBaseUrl = (env.PUBLIC_BASE_URL?.trim() || `http://localhost:${port}`).replace(/\/+$/, '');
  if (!/^https?:\/\//.test(publicBaseUrl)) {
    throw new ConfigError(`PUBLIC_BASE_URL="${publicBaseUrl}" phải bắt đầu bằng http:// hoặc https://`);
  }
  const dataDir = database.kind === 'sqlite' ? path.dirname(database.file) : path.resolve(cwd, env.DATA_DIR?.trim() || './data');
  const trustedProxyHops = parseTrustedProxyHops(env.TRUSTED_PROXY_HOPS);
  return { port, host, database, publicBaseUrl, dataDir, trustedProxyHops };
}
