import { randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import { byteOrder } from '../db/dialect';
import type { Executor, Role, UserTable } from '../db/schema';

/**
 * The slow step of every password check, behind an object so a test can count its runs: an
 * unknown user name must cost the same work as a wrong password.
 */
export const keyDerivation = {
  scrypt: promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>,
};

/**
 * Checked when the user name does not exist, with the same salt and key sizes as a real hash,
 * so the time a failure takes does not tell which names exist. No password matches it (the key
 * is not derived from any), and a match would be ignored anyway.
 */
const UNKNOWN_USER_HASH = `scrypt$${Buffer.alloc(16, 7).toString('base64')}$${Buffer.alloc(32, 7).toString('base64')}`;

export interface User {
  id: number;
  username: string;
  role: Role;
  /** The units a clerk may key; null = every unit (and for every other role). */
  unitCodes: string[] | null;
  /** The password was set by an administrator: the person must choose their own before anything else. */
  mustChangePassword: boolean;
}

type UserRow = Pick<UserTable, 'username' | 'role' | 'unit_codes'> & { id: number; must_change_password: number };

function toUser(row: UserRow): User {
  return {
    id: row.id,
    username: row.username,
    role: row.role,
    unitCodes: row.unit_codes === null ? null : (JSON.parse(row.unit_codes) as string[]),
    mustChangePassword: row.must_change_password === 1,
  };
}

export const ROLES: Role[] = ['admin', 'analyst', 'clerk', 'supervisor'];
const SESSION_DAYS = 7;

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await keyDerivation.scrypt(password, salt, 32);
  return `scrypt$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await keyDerivation.scrypt(password, Buffer.from(salt, 'base64'), expected.length);
  return timingSafeEqual(expected, actual);
}

export async function insertUser(db: Executor, user: { username: string; role: Role; password: string }): Promise<User> {
  return insertAccount(db, { username: user.username, role: user.role, passwordHash: await hashPassword(user.password), mustChangePassword: false, unitCodes: null });
}

/** An account whose password was hashed beforehand (scrypt is slow: not while holding the write lock). */
export async function insertAccount(
  db: Executor,
  user: { username: string; role: Role; passwordHash: string; mustChangePassword: boolean; unitCodes: string[] | null },
): Promise<User> {
  const { id } = await db
    .insertInto('users')
    .values({
      username: user.username,
      role: user.role,
      password_hash: user.passwordHash,
      created_at: new Date().toISOString(),
      must_change_password: user.mustChangePassword ? 1 : 0,
      unit_codes: user.unitCodes === null ? null : JSON.stringify(user.unitCodes),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, username: user.username, role: user.role, unitCodes: user.unitCodes, mustChangePassword: user.mustChangePassword };
}

/** An account as the administration pages see it: disabled ones included. */
export type Account = User & { disabledAt: string | null; createdAt: string };

function toAccount(row: UserRow & { disabled_at: string | null; created_at: string }): Account {
  return { ...toUser(row), disabledAt: row.disabled_at, createdAt: row.created_at };
}

const ACCOUNT_COLUMNS = ['id', 'username', 'role', 'unit_codes', 'must_change_password', 'disabled_at', 'created_at'] as const;

export async function listAccounts(db: Executor): Promise<Account[]> {
  const rows = await db.selectFrom('users').select(ACCOUNT_COLUMNS).orderBy(byteOrder(db, 'username')).execute();
  return rows.map(toAccount);
}

export async function findAccount(db: Executor, id: number): Promise<Account | undefined> {
  const row = await db.selectFrom('users').select(ACCOUNT_COLUMNS).where('id', '=', id).executeTakeFirst();
  return row && toAccount(row);
}

export async function findAccountByName(db: Executor, username: string): Promise<Account | undefined> {
  const row = await db.selectFrom('users').select(ACCOUNT_COLUMNS).where('username', '=', username).executeTakeFirst();
  return row && toAccount(row);
}

export async function countActiveAdmins(db: Executor): Promise<number> {
  const { n } = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(n);
}

export async function setAccountDisabled(db: Executor, id: number, disabledAt: string | null): Promise<void> {
  await db.updateTable('users').set({ disabled_at: disabledAt }).where('id', '=', id).execute();
}

export async function setPasswordHash(db: Executor, id: number, passwordHash: string, mustChangePassword: boolean): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash, must_change_password: mustChangePassword ? 1 : 0 }).where('id', '=', id).execute();
}

export async function setUnitCodes(db: Executor, id: number, unitCodes: string[] | null): Promise<void> {
  await db.updateTable('users').set({ unit_codes: unitCodes === null ? null : JSON.stringify(unitCodes) }).where('id', '=', id).execute();
}

/** Ends the account's sessions, all of them or all but the one it is using. */
export async function deleteSessionsOf(db: Executor, userId: number, keepSessionId?: string): Promise<number> {
  let query = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keepSessionId !== undefined) query = query.where('id', '!=', keepSessionId);
  const result = await query.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function countUsers(db: Executor): Promise<number> {
  const { n } = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(n);
}

export async function authenticate(db: Executor, username: string, password: string): Promise<User | undefined> {
  const row = await db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
  const matches = await verifyPassword(password, row?.password_hash ?? UNKNOWN_USER_HASH);
  // A disabled account fails like a wrong password, after the same work.
  if (!row || !matches || row.disabled_at !== null) return undefined;
  return toUser(row);
}

export async function createSession(db: Executor, userId: number): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000).toISOString();
  await db.insertInto('sessions').values({ id, user_id: userId, expires_at: expires }).execute();
  return id;
}

export async function findSessionUser(db: Executor, sessionId: string): Promise<User | undefined> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select(['users.id', 'users.username', 'users.role', 'users.unit_codes', 'users.must_change_password', 'users.disabled_at', 'sessions.expires_at'])
    .where('sessions.id', '=', sessionId)
    .executeTakeFirst();
  if (!row || row.expires_at < new Date().toISOString() || row.disabled_at !== null) return undefined;
  return toUser(row);
}

export async function deleteSession(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}
