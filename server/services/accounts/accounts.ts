import { randomInt } from 'node:crypto';
import { fold } from '../../../sampling/text';
import type { Db } from '../../db/connect';
import type { Executor, Role } from '../../db/schema';
import { writeTransaction } from '../../db/unit-of-work';
import { fieldError, UserError, type FieldProblem } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { listUnits } from '../../repositories/units';
import {
  authenticate,
  countActiveAdmins,
  deleteSessionsOf,
  findAccount,
  findAccountByName,
  hashPassword,
  insertAccount,
  ROLES,
  setAccountDisabled,
  setPasswordHash,
  setUnitCodes,
  type Account,
  type User,
} from '../../repositories/users';
import { listWaves } from '../../repositories/waves';
import type { SignInLimits } from './sign-in';

/**
 * Accounts as the administrator runs them (pages under /admin/accounts, and `user add`): every
 * password an administrator hands out is generated, shown once and stored only as its hash, and
 * must be replaced by the person at their next sign-in. Hashing is slow on purpose (scrypt), so
 * it happens before the write lock is taken: the services below take the finished hash.
 */

/** Who acts: the signed-in administrator (the command line has no account, hence id null). */
export interface Actor {
  id: number | null;
  username: string;
}

const USERNAME_PATTERN = /^[\p{L}\p{N}._-]{3,40}$/u;
export const MIN_PASSWORD_LENGTH = 10;

// No 0/o, 1/l/i: read off a screen and typed by someone who is not used to passwords.
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** A fresh one-time password (16 symbols ≈ 79 bits, in groups of four) and its hash. */
export async function newOneTimePassword(): Promise<{ password: string; hash: string }> {
  const symbols = Array.from({ length: 16 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join('');
  const password = symbols.match(/.{4}/g)!.join('-');
  return { password, hash: await hashPassword(password) };
}

/** The user name as typed, NFC and trimmed, or the reason it cannot be one. */
export function checkUsername(raw: string): string {
  const username = raw.normalize('NFC').trim();
  if (!USERNAME_PATTERN.test(username)) throw fieldError('username', 'Tên đăng nhập cần 3–40 ký tự chữ, số, ".", "_" hoặc "-" (không có dấu cách)');
  return username;
}

/** The units an account can be limited to: those of the latest wave (null when there is no wave yet). */
export async function latestWaveUnits(db: Executor): Promise<{ year: number; units: { code: string; name: string }[] } | null> {
  const [latest] = await listWaves(db);
  return latest ? { year: latest.year, units: await listUnits(db, latest.year) } : null;
}

/** A clerk's units as stored: none ticked = every unit (null); each code must be a unit of the latest wave. */
async function checkedUnitCodes(db: Executor, codes: string[]): Promise<string[] | null> {
  const wanted = [...new Set(codes.map((c) => c.trim().toUpperCase()).filter(Boolean))];
  if (wanted.length === 0) return null;
  const known = new Set((await latestWaveUnits(db))?.units.map((u) => u.code) ?? []);
  const unknown = wanted.filter((c) => !known.has(c));
  if (unknown.length > 0) throw fieldError('units', `Không có đơn vị ${unknown.slice(0, 5).map((c) => c.slice(0, 20)).join(', ')} trong đợt khảo sát gần nhất`);
  return wanted;
}

async function requireAccount(db: Executor, id: number): Promise<Account> {
  const account = Number.isSafeInteger(id) ? await findAccount(db, id) : undefined;
  if (!account) throw new UserError('Không có tài khoản này', 404);
  return account;
}

export async function addAccount(
  trx: Executor,
  input: { username: string; role: string; unitCodes: string[] },
  passwordHash: string,
  actor: Actor,
): Promise<Account> {
  const problems: FieldProblem[] = [];
  let username = '';
  try {
    username = checkUsername(input.username);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    problems.push(...error.fields);
  }
  const role = input.role as Role;
  if (!ROLES.includes(role)) problems.push({ field: 'role', message: 'Hãy chọn vai trò của tài khoản' });
  if (problems.length > 0) throw new UserError(problems.map((p) => p.message).join('; '), 400, [], problems);
  if (await findAccountByName(trx, username)) throw fieldError('username', `Tài khoản "${username}" đã có`, 409);
  // Only post-office clerks are limited to units; the other roles see every unit.
  const unitCodes = role === 'clerk' ? await checkedUnitCodes(trx, input.unitCodes) : null;
  const user = await insertAccount(trx, { username, role, passwordHash, mustChangePassword: true, unitCodes });
  await recordAudit(trx, { actor: actor.username, action: 'account.add', detail: { username, role, units: unitCodes ?? 'all' } });
  return { ...user, disabledAt: null, createdAt: new Date().toISOString() };
}

export async function disableAccount(trx: Executor, id: number, actor: Actor): Promise<Account> {
  const account = await requireAccount(trx, id);
  if (account.disabledAt !== null) throw new UserError(`Tài khoản ${account.username} đã bị khóa từ trước`, 409);
  // Checked before "yourself": with no one left to manage accounts, only the command line could repair it.
  if (account.role === 'admin' && (await countActiveAdmins(trx)) <= 1) {
    throw new UserError(`Không khóa được ${account.username}: đây là tài khoản quản trị cuối cùng còn hoạt động`, 409);
  }
  if (account.id === actor.id) throw new UserError('Không thể tự khóa tài khoản của mình: hãy nhờ một quản trị viên khác', 409);
  const disabledAt = new Date().toISOString();
  await setAccountDisabled(trx, id, disabledAt);
  // findSessionUser refuses a disabled account anyway; ending its sessions keeps a later re-enable from reviving them.
  const sessionsEnded = await deleteSessionsOf(trx, id);
  await recordAudit(trx, { actor: actor.username, action: 'account.disable', detail: { username: account.username, sessionsEnded } });
  return { ...account, disabledAt };
}

export async function enableAccount(trx: Executor, id: number, actor: Actor): Promise<Account> {
  const account = await requireAccount(trx, id);
  if (account.disabledAt === null) throw new UserError(`Tài khoản ${account.username} đang hoạt động`, 409);
  await setAccountDisabled(trx, id, null);
  await recordAudit(trx, { actor: actor.username, action: 'account.enable', detail: { username: account.username } });
  return { ...account, disabledAt: null };
}

/** A new one-time password for someone who lost theirs: their sessions end, and they must choose their own at sign-in. */
export async function resetPassword(trx: Executor, id: number, passwordHash: string, actor: Actor): Promise<Account> {
  const account = await requireAccount(trx, id);
  if (account.id === actor.id) throw new UserError('Mật khẩu của chính mình được đổi ở trang "Đổi mật khẩu", không đặt lại ở đây', 409);
  await setPasswordHash(trx, id, passwordHash, true);
  const sessionsEnded = await deleteSessionsOf(trx, id);
  await recordAudit(trx, { actor: actor.username, action: 'account.reset', detail: { username: account.username, sessionsEnded } });
  return { ...account, mustChangePassword: true };
}

/** The units a post-office clerk may key: none = every unit. */
export async function setClerkUnits(trx: Executor, id: number, codes: string[], actor: Actor): Promise<Account> {
  const account = await requireAccount(trx, id);
  if (account.role !== 'clerk') throw new UserError(`Chỉ tài khoản bưu điện mới giới hạn theo đơn vị; ${account.username} xem được mọi đơn vị`, 409);
  const unitCodes = await checkedUnitCodes(trx, codes);
  await setUnitCodes(trx, id, unitCodes);
  await recordAudit(trx, { actor: actor.username, action: 'account.units', detail: { username: account.username, units: unitCodes ?? 'all' } });
  return { ...account, unitCodes };
}

export type PasswordChangeOutcome = { kind: 'changed' } | { kind: 'too-many' };

/**
 * A person replaces their own password (always after an administrator set one). The current
 * password is checked like a sign-in, with the same per-account limit, so a session left open
 * on a shared computer does not let someone guess it. The person's other sessions end; the one
 * in use stays.
 */
export async function changeOwnPassword(
  db: Db,
  limits: SignInLimits,
  input: { user: User; sessionId: string; current: string; password: string; repeat: string },
): Promise<PasswordChangeOutcome> {
  const { user, current, password, repeat } = input;
  if (await limits.byAccount.isBlocked(user.username)) return { kind: 'too-many' };
  const problems: FieldProblem[] = [];
  if (password.length < MIN_PASSWORD_LENGTH) problems.push({ field: 'password', message: `Mật khẩu mới cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự` });
  else if (fold(password) === fold(user.username)) problems.push({ field: 'password', message: 'Mật khẩu mới không được trùng tên đăng nhập' });
  else if (password === current) problems.push({ field: 'password', message: 'Mật khẩu mới phải khác mật khẩu hiện tại' });
  if (repeat !== password) problems.push({ field: 'repeat', message: 'Hai lần nhập mật khẩu mới không giống nhau' });
  if (!(await authenticate(db, user.username, current))) {
    await limits.byAccount.recordFailure(user.username);
    problems.unshift({ field: 'current', message: 'Mật khẩu hiện tại không đúng' });
  }
  if (problems.length > 0) throw new UserError(problems.map((p) => p.message).join('; '), 400, [], problems);
  const hash = await hashPassword(password);
  await writeTransaction(db, async (trx) => {
    await setPasswordHash(trx, user.id, hash, false);
    const sessionsEnded = await deleteSessionsOf(trx, user.id, input.sessionId);
    await recordAudit(trx, { actor: user.username, action: 'account.password', detail: { sessionsEnded } });
  });
  return { kind: 'changed' };
}
