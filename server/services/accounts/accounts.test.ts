import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDeps } from '../../../test/support/test-deps';
import { writeTransaction } from '../../db/unit-of-work';
import { replaceUnits } from '../../repositories/units';
import { authenticate, createSession, findAccountByName, findSessionUser, insertUser, verifyPassword } from '../../repositories/users';
import { AttemptLimiter, attemptKeySecret } from '../collection/attempt-limiter';
import { createWave } from '../waves/waves';
import { addAccount, changeOwnPassword, disableAccount, newOneTimePassword, resetPassword, setClerkUnits } from './accounts';
import { refusal } from '../../../test/support/refusal';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
beforeEach(async () => {
  deps = await createTestDeps();
});
afterEach(() => deps.cleanup());

const admin = { id: null, username: 'cli' };


describe('one-time passwords', () => {
  it('are 16 unambiguous symbols in groups of four, different each time, stored only as a hash that verifies', async () => {
    const a = await newOneTimePassword();
    const b = await newOneTimePassword();
    expect(a.password).toMatch(/^[a-hj-km-np-z2-9]{4}(-[a-hj-km-np-z2-9]{4}){3}$/);
    expect(a.password).not.toBe(b.password);
    expect(a.hash).not.toContain(a.password);
    expect(await verifyPassword(a.password, a.hash)).toBe(true);
  });
});

describe('accounts', () => {
  it('adds an account that must change its password, naming the field of each refusal', async () => {
    const { hash } = await newOneTimePassword();
    await writeTransaction(deps.db, (trx) => addAccount(trx, { username: ' buudien.lx ', role: 'analyst', unitCodes: ['SNV'] }, hash, admin));
    // Units limit clerks only.
    expect(await findAccountByName(deps.db, 'buudien.lx')).toMatchObject({ role: 'analyst', mustChangePassword: true, unitCodes: null, disabledAt: null });
    const both = await refusal(writeTransaction(deps.db, (trx) => addAccount(trx, { username: 'a b', role: 'boss', unitCodes: [] }, hash, admin)));
    expect(both.fields.map((f) => f.field)).toEqual(['username', 'role']);
    const taken = await refusal(writeTransaction(deps.db, (trx) => addAccount(trx, { username: 'buudien.lx', role: 'clerk', unitCodes: [] }, hash, admin)));
    expect([taken.status, taken.fields]).toEqual([409, [{ field: 'username', message: 'Tài khoản "buudien.lx" đã có' }]]);
  });

  it("checks a clerk's units against the latest wave's, none meaning every unit", async () => {
    await createWave(deps.db, { year: 2023, actor: 'test' });
    await replaceUnits(deps.db, 2023, [
      { code: 'SNV', name: 'Sở Nội vụ', kind: 'department', predecessors: null },
      { code: 'LXU', name: 'UBND thành phố Long Xuyên', kind: 'district', predecessors: null },
    ]);
    const { hash } = await newOneTimePassword();
    const clerk = await writeTransaction(deps.db, (trx) => addAccount(trx, { username: 'buudien', role: 'clerk', unitCodes: ['snv', 'SNV'] }, hash, admin));
    expect(clerk.unitCodes).toEqual(['SNV']);
    const unknown = await refusal(writeTransaction(deps.db, (trx) => setClerkUnits(trx, clerk.id, ['LXU', 'ZZZ'], admin)));
    expect(unknown.fields[0]).toEqual({ field: 'units', message: 'Không có đơn vị ZZZ trong đợt khảo sát gần nhất' });
    expect((await findAccountByName(deps.db, 'buudien'))?.unitCodes).toEqual(['SNV']);
    await writeTransaction(deps.db, (trx) => setClerkUnits(trx, clerk.id, [], admin));
    expect((await findAccountByName(deps.db, 'buudien'))?.unitCodes).toBeNull();
  });

  it('never disables the last active administrator, nor lets one disable themselves', async () => {
    const first = await insertUser(deps.db, { username: 'quantri1', role: 'admin', password: 'mat-khau-quantri-1' });
    const last = await refusal(writeTransaction(deps.db, (trx) => disableAccount(trx, first.id, admin)));
    expect(last.message).toContain('tài khoản quản trị cuối cùng còn hoạt động');
    const second = await insertUser(deps.db, { username: 'quantri2', role: 'admin', password: 'mat-khau-quantri-2' });
    const self = await refusal(writeTransaction(deps.db, (trx) => disableAccount(trx, first.id, { id: first.id, username: first.username })));
    expect(self.message).toContain('Không thể tự khóa');
    await writeTransaction(deps.db, (trx) => disableAccount(trx, second.id, { id: first.id, username: first.username }));
    expect(await authenticate(deps.db, 'quantri2', 'mat-khau-quantri-2')).toBeUndefined();
  });

  it('resets a password: the old one and every session stop working', async () => {
    const clerk = await insertUser(deps.db, { username: 'buudien', role: 'clerk', password: 'mat-khau-cu-123' });
    const session = await createSession(deps.db, clerk.id);
    const { password, hash } = await newOneTimePassword();
    await writeTransaction(deps.db, (trx) => resetPassword(trx, clerk.id, hash, admin));
    expect(await findSessionUser(deps.db, session)).toBeUndefined();
    expect(await authenticate(deps.db, 'buudien', 'mat-khau-cu-123')).toBeUndefined();
    expect(await authenticate(deps.db, 'buudien', password)).toMatchObject({ mustChangePassword: true });
  });
});

describe('changing one’s own password', () => {
  const limits = () => {
    const keys = attemptKeySecret(deps.db);
    return { byAccount: new AttemptLimiter(deps.db, keys, 'sign-in.account', 2, 60_000), byClient: new AttemptLimiter(deps.db, keys, 'sign-in.client', 30, 60_000) };
  };

  it('names every problem by field and changes nothing until all are fixed', async () => {
    const user = await insertUser(deps.db, { username: 'phantich.lx', role: 'analyst', password: 'mat-khau-cu-123' });
    const input = { user, sessionId: 'x', current: 'sai', password: 'ngan', repeat: 'khac' };
    const fields = async (over: Partial<typeof input>) => (await refusal(changeOwnPassword(deps.db, limits(), { ...input, ...over }))).fields;
    expect((await fields({})).map((f) => f.field)).toEqual(['current', 'password', 'repeat']);
    const current = 'mat-khau-cu-123';
    expect(await fields({ current, password: 'PHANTICH.LX', repeat: 'PHANTICH.LX' })).toEqual([{ field: 'password', message: 'Mật khẩu mới không được trùng tên đăng nhập' }]);
    expect(await fields({ current, password: current, repeat: current })).toEqual([{ field: 'password', message: 'Mật khẩu mới phải khác mật khẩu hiện tại' }]);
    expect(await authenticate(deps.db, 'phantich.lx', current)).toBeDefined();
  });

  it('keeps the session in use, ends the others, and refuses after too many wrong current passwords', async () => {
    const user = await insertUser(deps.db, { username: 'giamsat', role: 'supervisor', password: 'mat-khau-cu-123' });
    const [here, elsewhere] = [await createSession(deps.db, user.id), await createSession(deps.db, user.id)];
    const outcome = await changeOwnPassword(deps.db, limits(), { user, sessionId: here, current: 'mat-khau-cu-123', password: 'ba con meo con', repeat: 'ba con meo con' });
    expect(outcome).toEqual({ kind: 'changed' });
    expect(await findSessionUser(deps.db, here)).toMatchObject({ username: 'giamsat', mustChangePassword: false });
    expect(await findSessionUser(deps.db, elsewhere)).toBeUndefined();
    const audit = await deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'account.password').execute();
    expect(audit.map((a) => a.detail).join()).not.toContain('ba con meo con');

    const strict = limits();
    const wrong = { user, sessionId: here, current: 'sai', password: 'mot mat khau moi', repeat: 'mot mat khau moi' };
    await refusal(changeOwnPassword(deps.db, strict, wrong));
    await refusal(changeOwnPassword(deps.db, strict, wrong));
    expect(await changeOwnPassword(deps.db, strict, { ...wrong, current: 'ba con meo con' })).toEqual({ kind: 'too-many' });
  });
});
