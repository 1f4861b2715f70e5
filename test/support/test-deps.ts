import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../../server/app';
import { createAppDeps, type AppDeps } from '../../server/app-env';
import { loadConfig } from '../../server/config';
import { migrateToLatest, openDatabase } from '../../server/db/connect';
import { insertUser } from '../../server/repositories/users';
import type { Role } from '../../server/db/schema';
import { createTestDatabase } from './postgres-cluster';

/**
 * A fresh migrated database and a temporary folder, removed by `cleanup`: a real SQLite file in
 * that folder, or with SIPAS_TEST_DB=postgres a new database on the test run's PostgreSQL
 * cluster (postgres-cluster.ts), with `dir` as the data folder. A command run by a test reaches
 * the same database and folder with `databaseEnv` in its environment.
 */
export async function createTestDeps(): Promise<AppDeps & { dir: string; databaseEnv: { DATABASE_URL: string; DATA_DIR: string }; cleanup: () => Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-test-'));
  const postgres = process.env.SIPAS_TEST_DB === 'postgres' ? await createTestDatabase() : undefined;
  // DATA_DIR counts for PostgreSQL only; an SQLite database's data folder is its file's folder.
  const databaseEnv = { DATABASE_URL: postgres?.url ?? path.join(dir, 'sipas.db'), DATA_DIR: dir };
  const config = loadConfig({ ...databaseEnv, PORT: '0' }, dir);
  const db = openDatabase(config.database);
  await migrateToLatest(db);
  const deps = createAppDeps({ db, config });
  return {
    ...deps,
    dir,
    databaseEnv,
    cleanup: async () => {
      await deps.results.close();
      await db.destroy();
      await postgres?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Creates an account and signs it in through the real form; returns the Cookie header to send (enough for GET). */
export async function signIn(deps: AppDeps, role: Role, username: string = `${role}-test`): Promise<string> {
  const password = `pw-${username}-123`;
  await insertUser(deps.db, { username, role, password });
  const app = createApp(deps);
  const response = await app.request('/dang-nhap', {
    method: 'POST',
    body: new URLSearchParams({ username, password, next: '/' }),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const cookie = response.headers.get('set-cookie');
  if (response.status !== 303 || !cookie) throw new Error(`sign-in failed: ${response.status}`);
  return cookie.split(';')[0];
}

/** The headers a signed-in POST needs: the session cookie and the form token its pages carry. */
export interface StaffSession {
  cookie: string;
  'x-sipas-token': string;
}

/**
 * Signs in like `signIn` and reads the form token from a page served to that session (the
 * sign-out form in every page's header), as a browser would; use as `headers: { ...session }`.
 */
export async function signInSession(deps: AppDeps, role: Role, username?: string): Promise<StaffSession> {
  const cookie = await signIn(deps, role, username);
  const home = await (await createApp(deps).request('/', { headers: { cookie } })).text();
  const token = /name="_token" value="([^"]+)"/.exec(home)?.[1];
  if (!token) throw new Error('the home page carries no form token');
  return { cookie, 'x-sipas-token': token };
}
