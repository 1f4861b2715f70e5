import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { updateWaveStatus } from '../server/repositories/waves';
import { accessKeyFor, formatAccessKey } from '../server/services/collection/access-keys';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { startLiveServer } from './support/live-server';
import { createTestDeps } from './support/test-deps';

const criteria = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'];
const form = { 'content-type': 'application/x-www-form-urlencoded' };

function answers(count = 16, value = '4'): URLSearchParams {
  const body = new URLSearchParams();
  criteria.forEach((code, i) => body.set(code, i < count ? value : '0'));
  body.set('gender', 'nu');
  body.append('priorities', 'cong_khai');
  body.append('priorities', 'thai_do');
  body.set('comment', 'Cán bộ tận tình');
  return body;
}

describe('citizen QR form', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let app: ReturnType<typeof createApp>;
  let first: PublishedQuestionnaire;
  let reserve: PublishedQuestionnaire;

  beforeEach(async () => {
    deps = await createTestDeps();
    const wave = await createPublishedWave(deps.db, { perUnit: 3, reserves: 1 });
    first = wave.questionnaires[0];
    reserve = wave.questionnaires.find((q) => q.role === 'reserve')!;
    app = createApp(deps);
  });
  afterEach(() => deps.cleanup());

  const responsesOf = (id: number) => deps.db.selectFrom('responses').selectAll().where('questionnaire_id', '=', id).orderBy('id').execute();
  const post = (token: string, body: URLSearchParams) => app.request(`/q/${token}`, { method: 'POST', body, headers: form });

  it('opens in Vietnamese with the unit and wave, every criterion, and no personal data, under 30 KB', async () => {
    const response = await app.request(`/q/${first.token}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('Đơn vị được khảo sát: <strong>Sở Nội vụ</strong>');
    expect(html).toContain(first.code);
    for (const code of criteria) {
      expect(html).toContain(`<fieldset class="q" id="f-${code}"><legend>${code}. `);
      expect(html.match(new RegExp(`name="${code}"`, 'g'))).toHaveLength(6);
    }
    expect(html).toContain('Rất không hài lòng');
    expect(html).toContain('Không ý kiến');
    expect(html).toContain('<fieldset class="q o" id="f-priorities" data-max="3">');
    const contact = await deps.db.selectFrom('contacts').innerJoin('questionnaires', 'questionnaires.sample_entry_id', 'contacts.sample_entry_id').selectAll('contacts').where('questionnaires.id', '=', first.id).executeTakeFirstOrThrow();
    for (const personal of [contact.applicant_name, contact.address!, contact.phone!, contact.id_number!, 'SNV-1', 'Trần Hưng Đạo']) {
      expect(html).not.toContain(personal);
    }
    const bytes = Buffer.byteLength(html);
    expect(bytes).toBeLessThan(30_000);

    const zipped = await app.request(`/q/${first.token}`, { headers: { 'accept-encoding': 'gzip' } });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    const transferred = Buffer.from(await zipped.arrayBuffer());
    expect(gunzipSync(transferred).toString('utf8')).toBe(html);
    expect(transferred.length).toBeLessThan(bytes / 4);
  });

  it('records a submission as counted, thanks, and then says the questionnaire was already answered', async () => {
    const response = await post(first.token, answers());
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/q/${first.token}/cam-on`);
    const [stored] = await responsesOf(first.id);
    expect(stored).toMatchObject({ state: 'counted', channel: 'qr', comment: 'Cán bộ tận tình', entered_by: null });
    expect(JSON.parse(stored.profile)).toEqual({ gender: 'nu', priorities: ['cong_khai', 'thai_do'] });
    const thanks = await (await app.request(`/q/${first.token}/cam-on`)).text();
    expect(thanks).toContain('Cảm ơn ông/bà đã trả lời phiếu khảo sát');
    const reopened = await (await app.request(`/q/${first.token}`)).text();
    expect(reopened).toContain('Phiếu này đã được trả lời');
    expect(reopened).not.toContain('<form');
  });

  it('keeps a second submission (a stale tab) for review and shows the already-answered page', async () => {
    await post(first.token, answers(16, '5'));
    const again = await post(first.token, answers(16, '1'));
    expect(again.status).toBe(200);
    const html = await again.text();
    expect(html).toContain('Phiếu này đã được trả lời');
    expect(html).toContain('vẫn được lưu lại để cán bộ xem xét');
    expect((await responsesOf(first.id)).map((r) => r.state)).toEqual(['counted', 'review']);
  });

  it('shows bad values next to their fields, keeps the answers given, and stores nothing', async () => {
    const body = answers();
    body.set('A2', '9');
    body.set('B1', '2');
    for (const p of ['giam_phi', 'phan_hoi']) body.append('priorities', p);
    const response = await post(first.token, body);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('<fieldset class="q bad" id="f-A2"><legend>A2. ');
    expect(html).toMatch(/id="f-A2"><legend>[^<]*<\/legend><p class="err">xin chọn một mức từ 1 đến 5 hoặc «Không ý kiến»<\/p>/);
    expect(html).toMatch(/id="f-priorities" data-max="3"><legend>[^<]*<\/legend><p class="err">chọn tối đa 3 \(đã chọn 4\)<\/p>/);
    expect(html).toContain('<a href="#f-priorities">Những nội dung cần ưu tiên cải thiện (chọn tối đa 3): chọn tối đa 3 (đã chọn 4)</a>');
    expect(html).toContain('<input type="radio" name="B1" value="2" checked=""/>');
    expect(html).toContain('<input type="radio" name="gender" value="nu" checked=""/>');
    expect(html).toContain('>Cán bộ tận tình</textarea>');
    expect(await responsesOf(first.id)).toHaveLength(0);
  });

  it('asks once for more answers when too few criteria are answered, then keeps the response as invalid', async () => {
    const sparse = answers(5);
    const response = await post(first.token, sparse);
    expect(response.status).toBe(400);
    const html = await response.text();
    expect(html).toContain('Ông/bà mới trả lời 5 tiêu chí; phiếu cần ít nhất 8 tiêu chí có câu trả lời để được tính.');
    expect(html).toContain('<input type="hidden" name="incomplete_ok" value="1"/>');
    expect(await responsesOf(first.id)).toHaveLength(0);
    sparse.set('incomplete_ok', '1');
    expect((await post(first.token, sparse)).status).toBe(303);
    expect((await responsesOf(first.id)).map((r) => r.state)).toEqual(['invalid']);
    expect(await (await app.request(`/q/${first.token}`)).text()).toContain('Phiếu này đã được trả lời');
  });

  it('answers an unknown token and a reserve not yet sent with the same 404 page', async () => {
    const unknown = await app.request('/q/AAAAAAAAAAAAAAAAAAAAAAAA');
    const unsent = await app.request(`/q/${reserve.token}`);
    expect(unknown.status).toBe(404);
    expect(unsent.status).toBe(404);
    const html = await unknown.text();
    expect(html).toBe(await unsent.text());
    expect(html).toContain('Không tìm thấy phiếu khảo sát');
    expect(html).not.toContain('Sở Nội vụ');
    expect((await post(reserve.token, answers())).status).toBe(404);
    expect(await responsesOf(reserve.id)).toHaveLength(0);
  });

  it('refuses answers once the wave is closed', async () => {
    await updateWaveStatus(deps.db, 2023, 'closed');
    expect(await (await app.request(`/q/${first.token}`)).text()).toContain('Đợt khảo sát đã kết thúc');
    expect((await post(first.token, answers())).status).toBe(409);
    expect(await responsesOf(first.id)).toHaveLength(0);
  });

  it('counts exactly one of simultaneous submissions over real HTTP, and acknowledges every one', async () => {
    const server = await startLiveServer(deps);
    try {
      const replies = await Promise.all(
        // Six different answers: one counted, five kept for review (the most a questionnaire keeps).
        Array.from({ length: 6 }, (_, i) =>
          fetch(`${server.url}/q/${first.token}`, { method: 'POST', body: answers(16 - (i % 3), String((i % 5) + 1)), headers: form, redirect: 'manual' }),
        ),
      );
      const statuses = replies.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 200, 200, 200, 200, 303]);
      const stored = await responsesOf(first.id);
      expect(stored.filter((r) => r.state === 'counted')).toHaveLength(1);
      expect(stored.filter((r) => r.state === 'review')).toHaveLength(5);
    } finally {
      await server.close();
    }
  });

  describe('short address /k', () => {
    const enter = (code: string, key: string) => app.request('/k', { method: 'POST', body: new URLSearchParams({ code, key }), headers: form });

    it('opens the questionnaire from its code and access key, typed loosely', async () => {
      expect(await (await app.request('/k')).text()).toContain('Mã truy cập (8 ký tự');
      const key = formatAccessKey(accessKeyFor(first.token)).toLowerCase();
      const response = await enter(` ${first.code.toLowerCase()} `, key.replace('-', ' '));
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe(`/q/${first.token}`);
    });

    it('says the same thing for a wrong key, an unknown code and a reserve not yet sent, then slows guessers down', async () => {
      const wrongKey = await (await enter(first.code, 'AAAA-AAAA')).text();
      const unknown = await (await enter('23-SNV-9999-0', accessKeyFor(first.token))).text();
      const unsent = await (await enter(reserve.code, accessKeyFor(reserve.token))).text();
      for (const html of [wrongKey, unknown, unsent]) {
        expect(html).toContain('Mã phiếu hoặc mã truy cập không đúng.');
        expect(html).not.toContain('/q/');
      }
      for (let i = 0; i < 7; i++) expect((await enter(first.code, 'BBBB-BBBB')).status).toBe(400);
      const blocked = await enter(first.code, accessKeyFor(first.token));
      expect(blocked.status).toBe(429);
      expect(await blocked.text()).toContain('Đã nhập sai quá nhiều lần');
    });

    it('behind a trusted reverse proxy, limits each citizen by the address the proxy saw, not the proxy', async () => {
      const viaProxy = (application: ReturnType<typeof createApp>, forwardedFor: string, code: string, key: string) =>
        application.request('/k', { method: 'POST', body: new URLSearchParams({ code, key }), headers: { ...form, 'x-forwarded-for': forwardedFor } });
      const right = accessKeyFor(first.token);
      // A guesser behind the proxy, who also forges an address in front of the one nginx appends.
      const guess = (application: ReturnType<typeof createApp>) => viaProxy(application, '198.51.100.7, 203.0.113.9', 'sai-ma', 'AAAA-AAAA');

      const proxied = createApp({ ...deps, config: { ...deps.config, trustedProxyHops: 1 } });
      for (let i = 0; i < 10; i++) expect((await guess(proxied)).status).toBe(400);
      expect((await viaProxy(proxied, '203.0.113.9', first.code, right)).status).toBe(429);
      // Another citizen, and the guesser's forged address, are not the guesser.
      expect((await viaProxy(proxied, '192.0.2.44', first.code, right)).status).toBe(303);
      expect((await viaProxy(proxied, '203.0.113.9, 198.51.100.7', first.code, right)).status).toBe(303);

      // Without the setting the header is ignored: everyone arriving through one proxy is one client.
      const direct = createApp(deps);
      for (let i = 0; i < 10; i++) await guess(direct);
      expect((await viaProxy(direct, '192.0.2.44', first.code, right)).status).toBe(429);
    });
  });
});
