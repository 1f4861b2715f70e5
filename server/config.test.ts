import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseDatabaseUrl } from './config';
import { ConfigError } from './errors';

describe('configuration', () => {
  it('defaults to port 3000 and an SQLite file under ./data', () => {
    const config = loadConfig({}, '/srv/sipas');
    expect(config.port).toBe(3000);
    expect(config.database).toEqual({ kind: 'sqlite', file: path.resolve('/srv/sipas/data/sipas.db') });
    expect(config.dataDir).toBe(path.resolve('/srv/sipas/data'));
    expect(config.trustedProxyHops).toBe(0);
  });

  it('reads plain paths, file: URLs and postgres URLs', () => {
    expect(parseDatabaseUrl('file:./x/y.db', '/a')).toEqual({ kind: 'sqlite', file: path.resolve('/a/x/y.db') });
    expect(parseDatabaseUrl('/var/lib/sipas.db', '/a')).toEqual({ kind: 'sqlite', file: '/var/lib/sipas.db' });
    expect(parseDatabaseUrl('postgres://u:p@h/db')).toEqual({ kind: 'postgres', url: 'postgres://u:p@h/db' });
  });

  it('rejects a bad port or database scheme with a message saying what to fix', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrowError(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrowError(/PORT="70000"/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrowError(/không được hỗ trợ/);
    expect(() => loadConfig({ TRUSTED_PROXY_HOPS: 'nginx' })).toThrowError(/TRUSTED_PROXY_HOPS="nginx" không hợp lệ/);
    expect(loadConfig({ TRUSTED_PROXY_HOPS: '1' }).trustedProxyHops).toBe(1);
  });
});
