import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { listMailingRecipients } from '../server/repositories/mailing';
import { makeQuestionnaireCode } from '../server/forms/questionnaire-codes';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps, signInSession, type StaffSession } from './support/test-deps';

const criteria = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'];

/** A keyed form as the entry page posts it: criteria 1–5 (0 = blank), profile by option number. */
function keyedForm(code: string, over: Record<string, string | string[]> = {}): URLSearchParams {
  const body = new URLSearchParams({ code, opened_at: new Date(Date.now() - 40_000).toISOString(), corrections: '2' });
  criteria.forEach((c, i) => body.set(c, String((i % 5) + 1)));
  body.set('gender', '2');
  body.set('age_band', '3');
  body.append('priorities', '1');
  body.append('priorities', '3');
  body.set('comment', 'Cán bộ nhiệt tình');
  for (const [key, value] of Object.entries(over)) {
    body.delete(key);
    for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
  }
  return body;
}

/** The same code with its sequence's last digit changed: the check character no longer fits. */
function withTypo(code: string): string {
  const parts = code.split('-');
  const seq = parts[2];
  parts[2] = seq.slice(0, 3) + String((Number(seq[3]) + 1) % 10);
  return parts.join('-');
}

/** What the entry routes answer to the page's script. */
interface EntryJson {
  error?: string;
  message?: string;
  code?: string;
  unitCode?: string;
  unitName?: string;
  pass?: number | null;
  prefixOfAnother?: boolean;
  replacement?: string | null;
  outcome?: { kind: string; state?: string; pass?: number | null };
  figures?: { forms: number; lastHour: number; corrections: number; summary: string };
}

const readJson = async (response: Response) => (await response.json()) as EntryJson;

describe('post-office data entry', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let app: ReturnType<typeof createApp>;
  let clerk: StaffSession;
  let questionnaires: PublishedQuestionnaire[];

  const post = (path: string, session: StaffSession, body: URLSearchParams, json = false) =>
    app.request(path, {
      method: 'POST',
      body,
      headers: { ...session, 'content-type': 'application/x-www-form-urlencoded', ...(json ? { accept: 'application/json' } : {}) },
    });
  const get = (path: string, session: StaffSession, json = false) => app.request(path, { headers: { ...session, ...(json ? { accept: 'application/json' } : {}) } });
  const primary = (unit: string, rank: number) => questionnaires.find((q) => q.unitCode === unit && q.role === 'primary' && q.rank === rank)!;
  const reserve = (unit: string, rank: number) => questionnaires.find((q) => q.unitCode === unit && q.role === 'reserve' && q.rank === rank)!;
  const responsesOf = (id: number) => deps.db.selectFrom('responses').selectAll().where('questionnaire_id', '=', id).execute();
  const questionnaireRow = (id: number) => deps.db.selectFrom('questionnaires').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  afterEach(() => deps.cleanup());

  describe('single entry', () => {
    beforeEach(async () => {
      deps = await createTestDeps();
      ({ questionnaires } = await createPublishedWave(deps.db, { perUnit: 3, reserves: 2 }));
      app = createApp(deps);
      clerk = await signInSession(deps, 'clerk', 'buudien1');
    });

    it('rejects a mistyped code with a clear message and never opens another form', async () => {
      const code = primary('SNV', 1).code;
      const typo = withTypo(code);
      const lookup = await get(`/waves/2023/entry/lookup?code=${encodeURIComponent(typo)}`, clerk, true);
      expect(lookup.status).toBe(400);
      expect((await readJson(lookup)).error).toBe(`Mã phiếu "${typo}" sai (ký tự kiểm tra không khớp hoặc sai dạng, ví dụ đúng: 23-SNV-0042-7): hãy đọc lại mã in trên phiếu`);
      const page = await get(`/waves/2023/entry?code=${encodeURIComponent(typo)}`, clerk);
      expect(page.status).toBe(400);
      expect(await page.text()).toContain('ký tự kiểm tra không khớp');
      const saved = await post('/waves/2023/entry/forms', clerk, keyedForm(typo));
      expect(saved.status).toBe(400);
      expect(await deps.db.selectFrom('paper_keyings').selectAll().execute()).toEqual([]);
      expect(await deps.db.selectFrom('responses').selectAll().execute()).toEqual([]);
    });

    it('opens a form by code typed in lower case without hyphens, showing the unit and the code but no personal data', async () => {
      const q = primary('SNV', 2);
      const lookup = await get(`/waves/2023/entry/lookup?code=${q.code.replace(/-/g, '').toLowerCase()}`, clerk, true);
      expect(lookup.status).toBe(200);
      expect(await readJson(lookup)).toMatchObject({ code: q.code, unitCode: 'SNV', unitName: 'Sở Nội vụ', pass: null, prefixOfAnother: false });
      const page = await (await get(`/waves/2023/entry?code=${q.code}`, clerk)).text();
      expect(page).toContain(`<strong id="form-code">${q.code}</strong>`);
      expect(page).not.toMatch(/Nguyễn Văn|Trần Hưng Đạo|0912345678/);
    });

    it('saves a keyed form as a counted paper response, with the corrections and keying time', async () => {
      const q = primary('SNV', 1);
      const sent = keyedForm(q.code);
      const before = Date.now();
      const response = await post('/waves/2023/entry/forms', clerk, sent, true);
      const after = Date.now();
      expect(response.status).toBe(200);
      const body = await readJson(response);
      expect(body.message).toBe(`Đã lưu phiếu ${q.code} (Sở Nội vụ): được tính.`);
      expect(body.figures).toMatchObject({ forms: 1, lastHour: 1, corrections: 2 });
      expect(body.figures?.summary).toMatch(/^Bạn đã nhập 1 phiếu \(60 phút qua: 1\) · tốc độ \d+(,\d)? phiếu\/giờ · đã sửa 2 trường$/);

      const [stored] = await responsesOf(q.id);
      expect(stored).toMatchObject({ channel: 'paper', state: 'counted', entered_by: 'buudien1', comment: 'Cán bộ nhiệt tình' });
      expect(JSON.parse(stored.profile)).toEqual({ gender: 'nu', age_band: '35-49', priorities: ['mo_rong_truc_tuyen', 'cong_khai'] });
      expect(JSON.parse(stored.answers_json)).toMatchObject({ A1: 1, E3: 1, B1: 4 });
      expect((await questionnaireRow(q.id)).status).toBe('returned-paper');

      const [keying] = await deps.db.selectFrom('paper_keyings').selectAll().execute();
      expect(keying).toMatchObject({ questionnaire_id: q.id, pass: 1, entered_by: 'buudien1', corrections: 2, response_id: stored.id });
      // The keying time runs from when the page opened the form (40 s before sending) to when the server saved it.
      // Checked against the sent time and clock readings around the request, not a duration, so a slow run cannot fail it.
      expect(keying.started_at).toBe(sent.get('opened_at'));
      expect(Date.parse(keying.ended_at)).toBeGreaterThanOrEqual(before);
      expect(Date.parse(keying.ended_at)).toBeLessThanOrEqual(after);

      const again = await post('/waves/2023/entry/forms', clerk, keyedForm(q.code));
      expect(again.status).toBe(409);
      expect(await again.text()).toContain(`Phiếu ${q.code} đã được nhập lúc`);
      expect(await responsesOf(q.id)).toHaveLength(1);
    });

    it('rejects an out-of-range answer naming the item by its label, writes nothing and shows the keyed values again', async () => {
      const q = primary('STP', 1);
      const response = await post('/waves/2023/entry/forms', clerk, keyedForm(q.code, { A3: '7', gender: '5' }));
      expect(response.status).toBe(400);
      const page = await response.text();
      expect(page).toContain('Chưa lưu phiếu: 2 câu cần sửa (những câu đã nhập vẫn giữ nguyên)');
      // The summary links each problem to its item, named as on the paper form; each item shows its own problem.
      expect(page).toContain(
        '<a href="#item-A3">A3. Thông tin về dịch vụ công, dịch vụ công trực tuyến dễ tiếp cận, dễ sử dụng</a>: &quot;7&quot; không hợp lệ: chỉ nhận 1–5, hoặc 0 / để trống nếu không ý kiến',
      );
      expect(page).toContain('<a href="#item-gender">Giới tính</a>: &quot;5&quot; không có: chọn 1–2, hoặc 0 để trống');
      expect(page).toMatch(/<fieldset class="item" id="item-A3" tabindex="-1" [^>]*aria-invalid="true" aria-describedby="A3-error">/);
      expect(page).toContain('<p class="field-error" id="gender-error">&quot;5&quot; không có: chọn 1–2, hoặc 0 để trống</p>');
      expect(page).not.toMatch(/gender:|A3:/);
      expect(page).toMatch(/name="B1" value="4" checked/);
      expect(await deps.db.selectFrom('paper_keyings').selectAll().execute()).toEqual([]);
      expect(await responsesOf(q.id)).toEqual([]);
    });

    it('a form with too few answers is kept as invalid, not counted', async () => {
      const q = primary('STP', 2);
      const blanks = Object.fromEntries(criteria.slice(3).map((c) => [c, '0']));
      const response = await post('/waves/2023/entry/forms', clerk, keyedForm(q.code, blanks), true);
      expect((await readJson(response)).message).toMatch(/nhưng không hợp lệ: Chỉ trả lời 3\/16 tiêu chí, cần ít nhất 8/);
      expect((await responsesOf(q.id))[0].state).toBe('invalid');
    });

    it('undeliverable and refused release the unit’s next reserve to print; when none is left it says so', async () => {
      const mark = (code: string, outcome: string) => new URLSearchParams({ code, outcome, confirm: '1' });
      const first = await post('/waves/2023/entry/outcome', clerk, mark(primary('LXU', 1).code, 'undeliverable'), true);
      expect(first.status).toBe(200);
      expect(await readJson(first)).toMatchObject({ replacement: reserve('LXU', 1).code });
      expect(await questionnaireRow(primary('LXU', 1).id)).toMatchObject({ status: 'undeliverable', released: 1 });
      expect(await questionnaireRow(reserve('LXU', 1).id)).toMatchObject({ status: 'drawn', released: 1, replaces_id: primary('LXU', 1).id });

      const second = await post('/waves/2023/entry/outcome', clerk, mark(primary('LXU', 2).code, 'refused'));
      expect(await second.text()).toContain(`Đã phát hành phiếu dự phòng ${reserve('LXU', 2).code} thay thế`);
      expect(await questionnaireRow(reserve('LXU', 2).id)).toMatchObject({ released: 1, replaces_id: primary('LXU', 2).id });

      const third = await post('/waves/2023/entry/outcome', clerk, mark(primary('LXU', 3).code, 'refused'), true);
      expect(await readJson(third)).toMatchObject({
        replacement: null,
        message: `Đã đánh dấu phiếu ${primary('LXU', 3).code} (UBND thành phố Long Xuyên): từ chối. Đơn vị UBND thành phố Long Xuyên đã hết phiếu dự phòng: không có phiếu thay thế.`,
      });
      expect((await questionnaireRow(primary('LXU', 3).id)).status).toBe('refused');
      // The mailing pack's "not yet sent" list is what gets printed: the released reserves are on it.
      const toPrint = await listMailingRecipients(deps.db, 2023, { unitCode: 'LXU', notYetSent: true });
      expect(toPrint.map((r) => r.code)).toEqual([reserve('LXU', 1).code, reserve('LXU', 2).code]);
      // A released reserve is keyed like any other form; the other units' reserves stay unreleased.
      expect((await post('/waves/2023/entry/forms', clerk, keyedForm(reserve('LXU', 1).code), true)).status).toBe(200);
      expect((await questionnaireRow(reserve('SNV', 1).id)).released).toBe(0);
      const notReleased = await get(`/waves/2023/entry/lookup?code=${reserve('SNV', 1).code}`, clerk, true);
      expect(notReleased.status).toBe(409);
      expect((await readJson(notReleased)).error).toContain('phiếu dự phòng chưa được phát hành');
    });

    it('a form that came back cannot be marked undeliverable afterwards', async () => {
      const q = primary('SNV', 3);
      await post('/waves/2023/entry/forms', clerk, keyedForm(q.code));
      const response = await post('/waves/2023/entry/outcome', clerk, new URLSearchParams({ code: q.code, outcome: 'undeliverable', confirm: '1' }), true);
      expect(response.status).toBe(409);
      expect((await readJson(response)).error).toBe(`Phiếu ${q.code} đang ở trạng thái "đã nhận phiếu giấy": không thể đánh dấu không phát được`);
      expect((await questionnaireRow(reserve('SNV', 1).id)).released).toBe(0);
    });

    it('only clerks and administrators key forms; supervisors settle; analysts see tracking only', async () => {
      const analyst = await signInSession(deps, 'analyst');
      const supervisor = await signInSession(deps, 'supervisor');
      const q = primary('SNV', 1);
      expect((await get('/waves/2023/entry', analyst)).status).toBe(403);
      expect((await get(`/waves/2023/entry/lookup?code=${q.code}`, analyst, true)).status).toBe(403);
      expect((await post('/waves/2023/entry/forms', analyst, keyedForm(q.code))).status).toBe(403);
      expect((await post('/waves/2023/entry/outcome', supervisor, new URLSearchParams({ code: q.code, outcome: 'refused' }))).status).toBe(403);
      expect(await responsesOf(q.id)).toEqual([]);
      expect((await get('/waves/2023/entry/mismatches', clerk)).status).toBe(403);
      expect((await get('/waves/2023/entry/mismatches', supervisor)).status).toBe(200);
      expect((await get('/waves/2023/entry/settings', supervisor)).status).toBe(403);
      expect((await get('/waves/2023/tracking', clerk)).status).toBe(403);
      expect((await get('/waves/2023/tracking', analyst)).status).toBe(200);
      expect((await app.request('/waves/2023/entry')).headers.get('location')).toBe('/dang-nhap?next=%2Fwaves%2F2023%2Fentry');
      const anonymous = await app.request('/waves/2023/entry/forms', { method: 'POST', body: keyedForm(q.code), headers: { accept: 'application/json' } });
      expect(anonymous.status).toBe(401);
      expect((await readJson(anonymous)).error).toBe('Cần đăng nhập');
    });

    it('a closed wave takes no more forms, statuses or double-entry changes, and says so', async () => {
      const q = primary('SNV', 1);
      await deps.db.updateTable('waves').set({ status: 'closed' }).where('year', '=', 2023).execute();
      const closed = 'Đợt khảo sát 2023 đã kết thúc, không nhận thêm phiếu trả lời';
      const lookup = await get(`/waves/2023/entry/lookup?code=${q.code}`, clerk, true);
      expect([lookup.status, (await readJson(lookup)).error]).toEqual([409, closed]);
      const saved = await post('/waves/2023/entry/forms', clerk, keyedForm(q.code), true);
      expect([saved.status, (await readJson(saved)).error]).toEqual([409, closed]);
      const outcome = await post('/waves/2023/entry/outcome', clerk, new URLSearchParams({ code: q.code, outcome: 'refused', confirm: '1' }), true);
      expect([outcome.status, (await readJson(outcome)).error]).toEqual([409, closed]);
      const admin = await signInSession(deps, 'admin');
      const settings = await post('/waves/2023/entry/settings', admin, new URLSearchParams({ double_entry: '1' }));
      expect(settings.status).toBe(409);
      expect(await settings.text()).toContain('Đợt 2023 đã khóa: không đổi quy tắc được nữa');
      expect(await deps.db.selectFrom('paper_keyings').selectAll().execute()).toEqual([]);
      expect((await questionnaireRow(q.id)).status).toBe('drawn');
      expect(JSON.parse((await deps.db.selectFrom('waves').select('settings').executeTakeFirstOrThrow()).settings).doubleEntry).toBe(false);
    });
  });

  it('a code that is the beginning of another unit’s longer code does not open by itself: the page waits for Enter', async () => {
    deps = await createTestDeps();
    ({ questionnaires } = await createPublishedWave(deps.db, {
      perUnit: 1,
      reserves: 0,
      units: [
        { code: 'SNV', name: 'Sở Nội vụ', kind: 'department', predecessors: null },
        { code: 'SNV1', name: 'Đơn vị thử SNV1', kind: 'department', predecessors: null },
      ],
    }));
    app = createApp(deps);
    clerk = await signInSession(deps, 'clerk', 'buudien1');
    // Find sequences where SNV's code, without hyphens, is how SNV1's code begins (23SNV1008… / 23SNV10089…).
    let short = '';
    let long = '';
    for (let seq = 1; seq < 10_000 && !short; seq++) {
      const candidate = makeQuestionnaireCode(2023, 'SNV1', seq);
      const prefix = makeQuestionnaireCode(2023, 'SNV', Number(`1${String(seq).padStart(4, '0').slice(0, 3)}`));
      if (candidate && prefix && candidate.replace(/-/g, '').startsWith(prefix.replace(/-/g, ''))) [short, long] = [prefix, candidate];
    }
    await deps.db.updateTable('questionnaires').set({ code: short }).where('unit_code', '=', 'SNV').execute();
    await deps.db.updateTable('questionnaires').set({ code: long }).where('unit_code', '=', 'SNV1').execute();
    expect(await readJson(await get(`/waves/2023/entry/lookup?code=${short}`, clerk, true))).toMatchObject({ code: short, unitCode: 'SNV', prefixOfAnother: true });
    expect(await readJson(await get(`/waves/2023/entry/lookup?code=${long}`, clerk, true))).toMatchObject({ code: long, unitCode: 'SNV1', prefixOfAnother: false });
  });

  describe('double entry', () => {
    let clerk2: StaffSession;
    let supervisor: StaffSession;
    beforeEach(async () => {
      deps = await createTestDeps();
      ({ questionnaires } = await createPublishedWave(deps.db, { perUnit: 3, reserves: 1, settings: { doubleEntry: true } }));
      app = createApp(deps);
      clerk = await signInSession(deps, 'clerk', 'buudien1');
      clerk2 = await signInSession(deps, 'clerk', 'buudien2');
      supervisor = await signInSession(deps, 'supervisor', 'mttq');
    });

    it('two agreeing keyings by different clerks count the form; the second clerk keys blind', async () => {
      const q = primary('SNV', 1);
      const first = await post('/waves/2023/entry/forms', clerk, keyedForm(q.code), true);
      expect((await readJson(first)).message).toBe(`Đã lưu lần nhập 1 phiếu ${q.code} (Sở Nội vụ); chờ một người khác nhập lần 2 để đối chiếu.`);
      expect(await responsesOf(q.id)).toEqual([]);

      const sameClerk = await get(`/waves/2023/entry/lookup?code=${q.code}`, clerk, true);
      expect(sameClerk.status).toBe(409);
      expect((await readJson(sameClerk)).error).toBe(`Bạn đã nhập lần 1 phiếu ${q.code}; lần nhập thứ 2 (đối chiếu) phải do một người khác thực hiện`);
      expect((await post('/waves/2023/entry/forms', clerk, keyedForm(q.code))).status).toBe(409);

      expect(await readJson(await get(`/waves/2023/entry/lookup?code=${q.code}`, clerk2, true))).toMatchObject({ pass: 2 });
      const blind = await (await get(`/waves/2023/entry?code=${q.code}`, clerk2)).text();
      expect(blind).toContain('lần nhập 2 (đối chiếu, không xem lần 1)');
      expect(blind).not.toMatch(/<input[^>]* checked/);
      expect(blind).not.toContain('Cán bộ nhiệt tình');

      // Spacing and case of the comment do not make a mismatch.
      const second = await post('/waves/2023/entry/forms', clerk2, keyedForm(q.code, { comment: '  cán bộ  nhiệt tình ' }), true);
      expect((await readJson(second)).message).toBe(`Hai lần nhập khớp; Đã lưu phiếu ${q.code} (Sở Nội vụ): được tính.`);
      const [stored] = await responsesOf(q.id);
      expect(stored).toMatchObject({ state: 'counted', channel: 'paper', entered_by: 'buudien2' });
      const keyings = await deps.db.selectFrom('paper_keyings').select(['pass', 'entered_by', 'response_id']).orderBy('pass').execute();
      expect(keyings).toEqual([
        { pass: 1, entered_by: 'buudien1', response_id: stored.id },
        { pass: 2, entered_by: 'buudien2', response_id: stored.id },
      ]);
    });

    it('differing keyings are listed for the supervisor with both values; only the settled form counts', async () => {
      const q = primary('STP', 2);
      await post('/waves/2023/entry/forms', clerk, keyedForm(q.code));
      const second = await post('/waves/2023/entry/forms', clerk2, keyedForm(q.code, { A2: '5', gender: '1', priorities: ['1', '4'] }), true);
      expect((await readJson(second)).message).toBe(`Đã lưu lần nhập 2 phiếu ${q.code} (Sở Tư pháp): 3 trường khác lần 1, chuyển giám sát đối chiếu.`);
      expect(await responsesOf(q.id)).toEqual([]);
      const third = await get(`/waves/2023/entry/lookup?code=${q.code}`, await signInSession(deps, 'clerk', 'buudien3'), true);
      expect((await readJson(third)).error).toBe(`Phiếu ${q.code} đã được nhập đủ hai lần và đang chờ giám sát đối chiếu`);

      const list = await (await get('/waves/2023/entry/mismatches', supervisor)).text();
      expect(list).toContain(`Phiếu ${q.code} — Sở Tư pháp`);
      expect(list).toMatch(/<strong>A2<\/strong>[^<]*<\/td><td>2<\/td><td>5<\/td>/);
      expect(list).toMatch(/<strong>gender<\/strong>[^<]*<\/td><td>2\. Nữ<\/td><td>1\. Nam<\/td>/);
      expect(list).toMatch(/<strong>priorities<\/strong>[^<]*<\/td><td>3\. Công khai, minh bạch thông tin; 1\. Mở rộng dịch vụ công trực tuyến<\/td>/);
      expect(list).not.toMatch(/<strong>A1<\/strong>/);

      const incomplete = await post(`/waves/2023/entry/mismatches/${q.id}`, supervisor, new URLSearchParams({ choice_A2: 'pass2' }));
      expect(incomplete.status).toBe(400);
      expect(await incomplete.text()).toContain('Giới tính: chưa chọn giá trị (lần 1, lần 2 hoặc giá trị khác)');
      expect(await responsesOf(q.id)).toEqual([]);

      const settled = await post(
        `/waves/2023/entry/mismatches/${q.id}`,
        supervisor,
        new URLSearchParams({ choice_A2: 'pass2', choice_gender: 'pass1', choice_priorities: 'other', other_priorities: '4 5' }),
      );
      expect(settled.status).toBe(200);
      const page = await settled.text();
      expect(page).toContain(`Đã đối chiếu 3 trường. Đã lưu phiếu ${q.code} (Sở Tư pháp): được tính.`);
      expect(page).toContain('Không có phiếu nào chờ đối chiếu.');
      const [stored] = await responsesOf(q.id);
      expect(stored).toMatchObject({ state: 'counted', entered_by: 'mttq' });
      expect(JSON.parse(stored.profile)).toEqual({ gender: 'nu', age_band: '35-49', priorities: ['thai_do', 'rut_ngan_thoi_gian'] });
      expect(JSON.parse(stored.answers_json).A2).toBe(5);
      const audit = await deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'paper.settled').executeTakeFirstOrThrow();
      expect(JSON.parse(audit.detail)).toEqual({ code: q.code, fields: { A2: 'pass2', gender: 'pass1', priorities: 'other' }, state: 'counted' });
      expect((await post(`/waves/2023/entry/mismatches/${q.id}`, supervisor, new URLSearchParams({ choice_A2: 'pass1' }))).status).toBe(409);
    });

    it('turning double entry off records the forms keyed once; disputed ones stay with the supervisor', async () => {
      const admin = await signInSession(deps, 'admin');
      const once = primary('SNV', 2);
      const disputed = primary('SNV', 3);
      await post('/waves/2023/entry/forms', clerk, keyedForm(once.code));
      await post('/waves/2023/entry/forms', clerk, keyedForm(disputed.code));
      await post('/waves/2023/entry/forms', clerk2, keyedForm(disputed.code, { E3: '0' }));
      const off = await post('/waves/2023/entry/settings', admin, new URLSearchParams([['double_entry', '0']]));
      expect(await off.text()).toContain('Đã tắt nhập hai lần; 1 phiếu đã nhập một lần được ghi nhận.');
      expect((await responsesOf(once.id))[0]).toMatchObject({ state: 'counted', entered_by: 'buudien1' });
      expect(await responsesOf(disputed.id)).toEqual([]);
      expect(await (await get('/waves/2023/entry/mismatches', admin)).text()).toContain(`Phiếu ${disputed.code}`);
      const single = await post('/waves/2023/entry/forms', clerk, keyedForm(primary('LXU', 1).code), true);
      expect((await readJson(single)).outcome).toMatchObject({ kind: 'recorded', state: 'counted', pass: null });
      const on = await post('/waves/2023/entry/settings', admin, new URLSearchParams([['double_entry', '0'], ['double_entry', '1']]));
      expect(await on.text()).toContain('Đã bật nhập hai lần');
    });
  });
});
