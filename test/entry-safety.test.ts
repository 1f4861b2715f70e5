import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { makeQuestionnaireCode } from '../server/forms/questionnaire-codes';
import { markDispatched } from '../server/repositories/mailing';
import { keyedAnswers, qrAnswers } from './support/personal-data';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps, signInSession, type StaffSession } from './support/test-deps';

/**
 * Issue 12: a post-office clerk must never lose work without noticing. The lookup says why a
 * code cannot be keyed before any answer is typed; refused saves name each item by its label;
 * undeliverable / refused ask first and can be undone while the replacing reserve's letter has
 * not gone out; a clerk limited to some units keys only those.
 */

interface LookupJson {
  error?: string;
  state?: string;
  warning?: string | null;
  code?: string;
  fields?: { field: string; label: string; message: string }[];
  details?: string[];
  message?: string;
  restored?: string;
  withdrawn?: string | null;
  pass?: number | null;
}

const readJson = async (response: Response) => (await response.json()) as LookupJson;
const form = { 'content-type': 'application/x-www-form-urlencoded' };

describe('entry page safety', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let app: ReturnType<typeof createApp>;
  let clerk: StaffSession;
  let questionnaires: PublishedQuestionnaire[];

  const post = (path: string, session: StaffSession, body: URLSearchParams, json = false) =>
    app.request(path, { method: 'POST', body, headers: { ...session, ...form, ...(json ? { accept: 'application/json' } : {}) } });
  const get = (path: string, session: StaffSession, json = false) => app.request(path, { headers: { ...session, ...(json ? { accept: 'application/json' } : {}) } });
  const lookup = (code: string, session = clerk) => get(`/waves/2023/entry/lookup?code=${encodeURIComponent(code)}`, session, true);
  const mark = (code: string, outcome: 'undeliverable' | 'refused', session = clerk) =>
    post('/waves/2023/entry/outcome', session, new URLSearchParams({ code, outcome, confirm: '1' }), true);
  const undo = (code: string, session = clerk, json = true) => post('/waves/2023/entry/outcome/undo', session, new URLSearchParams({ code }), json);
  const primary = (unit: string, rank: number) => questionnaires.find((q) => q.unitCode === unit && q.role === 'primary' && q.rank === rank)!;
  const reserve = (unit: string, rank: number) => questionnaires.find((q) => q.unitCode === unit && q.role === 'reserve' && q.rank === rank)!;
  const row = (id: number) =>
    deps.db.selectFrom('questionnaires').select(['status', 'released', 'replaces_id', 'status_before_no_form']).where('id', '=', id).executeTakeFirstOrThrow();
  const answerByQr = async (q: PublishedQuestionnaire) => {
    expect((await app.request(`/q/${q.token}`, { method: 'POST', body: qrAnswers(), headers: form })).status).toBe(303);
  };

  afterEach(() => deps.cleanup());

  describe('single entry', () => {
    beforeEach(async () => {
      deps = await createTestDeps();
      ({ questionnaires } = await createPublishedWave(deps.db, { perUnit: 3, reserves: 2 }));
      app = createApp(deps);
      clerk = await signInSession(deps, 'clerk', 'buudien1');
    });

    it('the lookup says at once why a code cannot be keyed, or what to know about one that can', async () => {
      const typo = primary('SNV', 1).code.slice(0, -1) + (primary('SNV', 1).code.endsWith('0') ? '1' : '0');
      expect(await readJson(await lookup(typo))).toMatchObject({ state: 'wrong-code', error: expect.stringContaining('ký tự kiểm tra không khớp') });
      const unissued = makeQuestionnaireCode(2023, 'SNV', 9000) ?? makeQuestionnaireCode(2023, 'SNV', 9001)!;
      const unknown = await lookup(unissued);
      expect([unknown.status, await readJson(unknown)]).toEqual([404, expect.objectContaining({ state: 'unknown', error: `Không có phiếu mã ${unissued} trong đợt 2023` })]);
      const notReleased = await lookup(reserve('SNV', 1).code);
      expect([notReleased.status, (await readJson(notReleased)).state]).toEqual([409, 'not-released']);

      const keyed = primary('SNV', 2);
      expect((await post('/waves/2023/entry/forms', clerk, keyedAnswers(keyed.code), true)).status).toBe(200);
      const again = await lookup(keyed.code);
      expect([again.status, await readJson(again)]).toEqual([409, expect.objectContaining({ state: 'already-keyed', error: expect.stringMatching(/đã được nhập lúc .* \(người nhập buudien1\): không nhập lại$/) })]);

      await answerByQr(primary('STP', 1));
      expect(await readJson(await lookup(primary('STP', 1).code))).toMatchObject({
        state: 'answered',
        warning: `Phiếu ${primary('STP', 1).code} đã có câu trả lời được tính (qua QR); phiếu giấy này sẽ được giữ lại để xem xét`,
      });
      expect((await mark(primary('STP', 2).code, 'refused')).status).toBe(200);
      expect(await readJson(await lookup(primary('STP', 2).code))).toMatchObject({ state: 'refused', warning: expect.stringContaining('"từ chối"; phiếu trả lời vẫn được nhận') });
      expect(await readJson(await lookup(primary('LXU', 1).code))).toMatchObject({ state: 'ready', warning: null });

      // Without JavaScript the same refusal is shown next to the code field, which keeps the code.
      const page = await get(`/waves/2023/entry?code=${keyed.code}`, clerk);
      expect(page.status).toBe(409);
      const html = await page.text();
      expect(html).toMatch(new RegExp(`<input id="code" [^>]*value="${keyed.code}"[^>]* aria-describedby="code-message" aria-invalid="true"/>`));
      expect(html).toMatch(new RegExp(`<p id="code-message" class="code-message error" aria-live="assertive">Phiếu ${keyed.code} đã được nhập lúc`));
    });

    it('the code field takes no more than the longest code of the wave’s units, and the page gives the script those units', async () => {
      const html = await (await get('/waves/2023/entry', clerk)).text();
      // 23-SNV-0001-X is 13 characters: 2 + 1 + 3 + 1 + 4 + 1 + 1.
      expect(html).toMatch(/<input id="code" [^>]*maxlength="13"/);
      expect(html).toContain('data-units="SNV STP LXU"');
    });

    it('marking undeliverable asks first, naming the code and the unit; nothing changes until it is confirmed, then the page offers to undo', async () => {
      const q = primary('SNV', 1);
      const asked = await post('/waves/2023/entry/outcome', clerk, new URLSearchParams({ code: q.code.toLowerCase(), outcome: 'undeliverable' }));
      expect(asked.status).toBe(200);
      const question = await asked.text();
      expect(question).toContain(`Đánh dấu phiếu ${q.code} (Sở Nội vụ) là &quot;không phát được&quot;?`);
      expect(question).toContain('<input type="hidden" name="confirm" value="1"/>');
      expect(question).toContain(`<input type="hidden" name="code" value="${q.code}"/><input type="hidden" name="outcome" value="undeliverable"/>`);
      expect(question).toContain(`<a href="/waves/2023/entry?code=${q.code}">Không, quay lại phiếu ${q.code}</a>`);
      expect(await row(q.id)).toMatchObject({ status: 'drawn', status_before_no_form: null });
      expect((await row(reserve('SNV', 1).id)).released).toBe(0);

      const marked = await post('/waves/2023/entry/outcome', clerk, new URLSearchParams({ code: q.code, outcome: 'undeliverable', confirm: '1' }));
      const page = await marked.text();
      expect(page).toContain(`Đã đánh dấu phiếu ${q.code} (Sở Nội vụ): không phát được. Đã phát hành phiếu dự phòng ${reserve('SNV', 1).code} thay thế`);
      expect(page).toMatch(new RegExp(`<form class="undo" method="post" action="/waves/2023/entry/outcome/undo">.*<input type="hidden" name="code" value="${q.code}"/><button type="submit" class="secondary">Hoàn tác</button>`));
      expect(await row(q.id)).toMatchObject({ status: 'undeliverable', status_before_no_form: 'drawn' });
    });

    it('undo restores the status the questionnaire had and takes back the reserve released for it, which the next marking releases again', async () => {
      const q = primary('SNV', 1);
      const spare = reserve('SNV', 1);
      expect(await markDispatched(deps.db, 2023, [q.id])).toBe(1);
      expect((await readJson(await mark(q.code, 'undeliverable'))).message).toContain(spare.code);

      const undone = await undo(q.code);
      expect(undone.status).toBe(200);
      expect(await readJson(undone)).toMatchObject({
        restored: 'dispatched',
        withdrawn: spare.code,
        message: `Đã hoàn tác: phiếu ${q.code} (Sở Nội vụ) trở lại trạng thái "đã phát". Phiếu dự phòng ${spare.code} chưa gửi đã được thu hồi.`,
      });
      expect(await row(q.id)).toEqual({ status: 'dispatched', released: 1, replaces_id: null, status_before_no_form: null });
      expect(await row(spare.id)).toEqual({ status: 'drawn', released: 0, replaces_id: null, status_before_no_form: null });
      const audit = await deps.db.selectFrom('audit_log').select(['actor', 'detail']).where('action', '=', 'entry.outcome.undo').execute();
      expect(audit.map((a) => ({ actor: a.actor, detail: JSON.parse(a.detail) }))).toEqual([
        { actor: 'buudien1', detail: { code: q.code, outcome: 'undeliverable', restored: 'dispatched', withdrawn: spare.code } },
      ]);
      // The reserve is unreleased again, so it is not sent and its QR link opens nothing.
      expect((await app.request(`/q/${spare.token}`)).status).toBe(404);

      expect((await readJson(await mark(q.code, 'refused'))).message).toContain(`Đã phát hành phiếu dự phòng ${spare.code} thay thế`);
      expect(await row(spare.id)).toMatchObject({ released: 1, replaces_id: q.id });
      // Undoing twice: the second finds nothing to undo.
      expect((await undo(q.code)).status).toBe(200);
      const twice = await undo(q.code);
      expect([twice.status, (await readJson(twice)).error]).toEqual([409, `Phiếu ${q.code} đang ở trạng thái "đã phát": không có đánh dấu "không phát được" hay "từ chối" nào để hoàn tác`]);
    });

    it('undo of a marking that released no reserve (none left) restores the status only', async () => {
      for (const rank of [1, 2]) expect((await readJson(await mark(primary('LXU', rank).code, 'refused'))).message).toContain('Đã phát hành phiếu dự phòng');
      const last = primary('LXU', 3);
      expect((await readJson(await mark(last.code, 'undeliverable'))).message).toContain('đã hết phiếu dự phòng');
      expect(await readJson(await undo(last.code))).toMatchObject({ restored: 'drawn', withdrawn: null });
      expect((await row(last.id)).status).toBe('drawn');
      expect([(await row(reserve('LXU', 1).id)).released, (await row(reserve('LXU', 2).id)).released]).toEqual([1, 1]);
    });

    it('undo is refused, saying why, once the reserve released in its place was sent or answered', async () => {
      const [sent, answered] = [primary('STP', 1), primary('STP', 2)];
      await mark(sent.code, 'undeliverable');
      expect(await markDispatched(deps.db, 2023, [reserve('STP', 1).id])).toBe(1);
      const refused = await undo(sent.code);
      expect(refused.status).toBe(409);
      expect((await readJson(refused)).error).toBe(
        `Không hoàn tác được: phiếu dự phòng ${reserve('STP', 1).code} phát hành thay phiếu ${sent.code} đã được gửi đi, nên không thu hồi được. ` +
          `Phiếu ${sent.code} giữ trạng thái "không phát được"; nếu người được khảo sát vẫn gửi phiếu trả lời, phiếu đó vẫn được nhận.`,
      );
      expect(await row(sent.id)).toMatchObject({ status: 'undeliverable', status_before_no_form: 'drawn' });
      expect(await row(reserve('STP', 1).id)).toMatchObject({ status: 'dispatched', released: 1, replaces_id: sent.id });

      await mark(answered.code, 'refused');
      await answerByQr(reserve('STP', 2));
      const page = await undo(answered.code, clerk, false);
      expect(page.status).toBe(409);
      expect(await page.text()).toContain(`phiếu dự phòng ${reserve('STP', 2).code} phát hành thay phiếu ${answered.code} đã có phiếu trả lời`);
      expect(await row(answered.id)).toMatchObject({ status: 'refused' });
      expect(await deps.db.selectFrom('audit_log').select('id').where('action', '=', 'entry.outcome.undo').execute()).toEqual([]);
    });

    it('a clerk limited to some units keys and marks only those, and the page says which units they key for', async () => {
      await deps.db.updateTable('users').set({ unit_codes: JSON.stringify(['SNV', 'LXU']) }).where('username', '=', 'buudien1').execute();
      expect(await (await get('/waves/2023/entry', clerk)).text()).toContain('Bạn nhập phiếu của: Sở Nội vụ (SNV); UBND thành phố Long Xuyên (LXU).');
      const other = primary('STP', 1);
      const refusal = `Phiếu ${other.code} thuộc Sở Tư pháp (STP): tài khoản của bạn chỉ nhập phiếu của SNV, LXU`;
      const looked = await lookup(other.code);
      expect([looked.status, await readJson(looked)]).toEqual([403, expect.objectContaining({ state: 'other-unit', error: refusal })]);
      const saved = await post('/waves/2023/entry/forms', clerk, keyedAnswers(other.code), true);
      expect([saved.status, (await readJson(saved)).error]).toEqual([403, refusal]);
      expect((await mark(other.code, 'refused')).status).toBe(403);
      expect((await post('/waves/2023/entry/outcome', clerk, new URLSearchParams({ code: other.code, outcome: 'refused' }))).status).toBe(403);
      expect(await row(other.id)).toMatchObject({ status: 'drawn' });
      expect(await deps.db.selectFrom('paper_keyings').select('id').execute()).toEqual([]);

      expect((await lookup(primary('SNV', 1).code)).status).toBe(200);
      expect((await post('/waves/2023/entry/forms', clerk, keyedAnswers(primary('LXU', 1).code), true)).status).toBe(200);
      const admin = await signInSession(deps, 'admin');
      expect(await (await get('/waves/2023/entry', admin)).text()).toContain('Bạn nhập phiếu của mọi đơn vị trong đợt.');
      expect((await lookup(other.code, admin)).status).toBe(200);
    });

    it('the comment has the QR form’s limit: the box stops at it and the server refuses more at the field, by label, keeping what was keyed', async () => {
      const q = primary('SNV', 1);
      expect(await (await get(`/waves/2023/entry?code=${q.code}`, clerk)).text()).toMatch(/<textarea name="comment" aria-label="Ý kiến khác" rows="2" maxlength="2000">/);
      const long = 'ý'.repeat(2001);
      const body = keyedAnswers(q.code);
      body.set('comment', long);
      body.set('A3', '7');
      const json = await post('/waves/2023/entry/forms', clerk, body, true);
      expect(json.status).toBe(400);
      // Every problem at once, each with its item's label: never an internal key such as "comment:".
      expect(await readJson(json)).toEqual({
        error: 'Chưa lưu phiếu: 2 câu cần sửa (những câu đã nhập vẫn giữ nguyên)',
        details: [
          'A3. Thông tin về dịch vụ công, dịch vụ công trực tuyến dễ tiếp cận, dễ sử dụng: "7" không hợp lệ: chỉ nhận 1–5, hoặc 0 / để trống nếu không ý kiến',
          'Ý kiến khác: ý kiến dài 2001 ký tự, tối đa 2000',
        ],
        fields: [
          { field: 'A3', label: 'A3. Thông tin về dịch vụ công, dịch vụ công trực tuyến dễ tiếp cận, dễ sử dụng', message: '"7" không hợp lệ: chỉ nhận 1–5, hoặc 0 / để trống nếu không ý kiến' },
          { field: 'comment', label: 'Ý kiến khác', message: 'ý kiến dài 2001 ký tự, tối đa 2000' },
        ],
      });
      body.set('A3', '4');
      const html = await (await post('/waves/2023/entry/forms', clerk, body)).text();
      expect(html).toContain('<a href="#item-comment">Ý kiến khác</a>: ý kiến dài 2001 ký tự, tối đa 2000');
      expect(html).toContain(`<textarea name="comment" aria-label="Ý kiến khác" rows="2" maxlength="2000" aria-invalid="true" aria-describedby="comment-error">${long}</textarea>`);
      expect(await deps.db.selectFrom('paper_keyings').select('id').execute()).toEqual([]);

      // At the limit, with line breaks sent as CRLF: taken (each counts once, as the box counted it).
      body.set('comment', `${'a'.repeat(1000)}\r\n${'b'.repeat(999)}`);
      expect((await post('/waves/2023/entry/forms', clerk, body, true)).status).toBe(200);
      const stored = await deps.db.selectFrom('responses').select('comment').where('questionnaire_id', '=', q.id).executeTakeFirstOrThrow();
      expect(stored.comment).toBe(`${'a'.repeat(1000)}\n${'b'.repeat(999)}`);
    });
  });

  describe('double entry', () => {
    beforeEach(async () => {
      deps = await createTestDeps();
      ({ questionnaires } = await createPublishedWave(deps.db, { perUnit: 2, reserves: 0, settings: { doubleEntry: true } }));
      app = createApp(deps);
      clerk = await signInSession(deps, 'clerk', 'buudien1');
    });

    it('the lookup tells the first clerk the second keying is someone else’s, and everyone once the form waits for the supervisor', async () => {
      const q = primary('SNV', 1);
      const second = await signInSession(deps, 'clerk', 'buudien2');
      expect((await post('/waves/2023/entry/forms', clerk, keyedAnswers(q.code), true)).status).toBe(200);
      expect((await readJson(await lookup(q.code))).state).toBe('keyed-by-you');
      expect(await readJson(await lookup(q.code, second))).toMatchObject({ state: 'ready', pass: 2 });
      expect((await post('/waves/2023/entry/forms', second, keyedAnswers(q.code, 1), true)).status).toBe(200);
      const third = await lookup(q.code, await signInSession(deps, 'clerk', 'buudien3'));
      expect([third.status, (await readJson(third)).state]).toEqual([409, 'awaiting-supervisor']);
    });
  });
});
