import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csv, row, source } from '../sampling/test-support';
import { createApp } from '../server/app';
import { writeTransaction } from '../server/db/unit-of-work';
import { makeQuestionnaireCode, normaliseQuestionnaireCode } from '../server/forms/questionnaire-codes';
import { insertUser } from '../server/repositories/users';
import { accessKeyFor, formatAccessKey } from '../server/services/collection/access-keys';
import { publishDraw } from '../server/services/draw/draw-publish';
import { importFrame } from '../server/services/draw/frame-import';
import { createWave, importUnits } from '../server/services/waves/waves';
import { drawUnderCommitment } from './support/committed-draw';
import { AN_GIANG_2025_DIR } from './support/commune-wave';
import { launchBrowser } from './support/browser';
import { startLiveServer } from './support/live-server';
import { createTestDeps, signInSession, type StaffSession } from './support/test-deps';

/**
 * Issue 13: the merged An Giang's communes have official numeric codes (30292 = UBND Phường
 * Bình Đức), so questionnaire codes are all digits but the check character (25-30292-0001-X).
 * The whole path, on the real units file, a real frame, a draw under a commitment and publish:
 * printed pack, QR form, /k, and the entry page reading a code typed without hyphens.
 */

const YEAR = 2025;
const COMMUNES = ['30292', '30301', '30307'];
const criteria = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'];
const form = { 'content-type': 'application/x-www-form-urlencoded' };

interface Issued {
  code: string;
  token: string;
  unitCode: string;
  released: number;
}

interface LookupJson {
  error?: string;
  state?: string;
  code?: string;
  unitCode?: string;
  unitName?: string;
  prefixOfAnother?: boolean;
  message?: string;
}

/** Six people per commune, one dossier each, results in the wave's period. */
function frame(): string {
  return csv(
    COMMUNES.flatMap((unit, u) =>
      Array.from({ length: 6 }, (_, i) =>
        row({ code: `HS-${unit}-${i + 1}`, unit, name: `Người dân ${u * 10 + i + 1}`, address: `Số ${i + 1}, đường Trần Hưng Đạo, ấp ${u + 1}`, date: '15/03/2025' }),
      ),
    ),
  );
}

let deps: Awaited<ReturnType<typeof createTestDeps>>;
let app: ReturnType<typeof createApp>;
let admin: StaffSession;
let clerk: StaffSession;
let issued: Issued[];

beforeAll(async () => {
  deps = await createTestDeps();
  await createWave(deps.db, { year: YEAR, name: 'SIPAS 2025 An Giang', settings: { period: { from: '2025-01-01', to: '2025-12-31' } }, actor: 'test' });
  await importUnits(deps.db, YEAR, fs.readFileSync(path.join(AN_GIANG_2025_DIR, 'units-2025-an-giang.csv')), 'test');
  const outcome = await importFrame({ db: deps.db, dataDir: deps.config.dataDir }, YEAR, { fileName: 'khung-2025.csv', bytes: source(frame()), strict: true }, 'test');
  if (!outcome.ok) throw outcome.error;
  await drawUnderCommitment(deps.db, YEAR, { allocation: { kind: 'fixed', perUnit: 4 }, reservePercent: 50 });
  await writeTransaction(deps.db, (trx, afterCommit) => publishDraw(trx, afterCommit, YEAR, {}, 'test'));
  issued = await deps.db.selectFrom('questionnaires').select(['code', 'token', 'unit_code as unitCode', 'released']).orderBy('code').execute();
  app = createApp(deps);
  admin = await signInSession(deps, 'admin');
  clerk = await signInSession(deps, 'clerk', 'buudien-xa');
});
afterAll(() => deps.cleanup());

const get = (url: string, session?: StaffSession, json = false) => app.request(url, { headers: { ...session, ...(json ? { accept: 'application/json' } : {}) } });
const post = (url: string, body: URLSearchParams, session?: StaffSession, json = false) =>
  app.request(url, { method: 'POST', body, headers: { ...session, ...form, ...(json ? { accept: 'application/json' } : {}) } });
const lookup = async (typed: string) => {
  const response = await get(`/waves/${YEAR}/entry/lookup?code=${encodeURIComponent(typed)}`, clerk, true);
  return { status: response.status, body: (await response.json()) as LookupJson };
};
const released = (unit: string) => issued.filter((q) => q.unitCode === unit && q.released === 1);
const compact = (code: string) => code.replace(/-/g, '');

describe('numeric unit codes end to end (merged An Giang, 2025)', () => {
  it('issues codes with the commune\'s official code inside, primaries released and reserves held', () => {
    expect(issued.map((q) => q.unitCode).sort()).toEqual(COMMUNES.flatMap((u) => Array(6).fill(u)));
    for (const q of issued) expect(q.code).toMatch(new RegExp(`^25-${q.unitCode}-\\d{4}-[0-9A-Z]$`));
    expect(COMMUNES.map((u) => released(u).length)).toEqual([4, 4, 4]);
    expect(released('30292')[0].code).toBe(makeQuestionnaireCode(YEAR, '30292', 1));
  });

  it('prints the pack of a commune with its 25-30292-… codes and the commune\'s name', async () => {
    const response = await get(`/waves/${YEAR}/mailing/print?unit=30292`, admin);
    expect(response.status).toBe(200);
    const html = await response.text();
    for (const q of released('30292')) expect(html).toContain(q.code);
    expect(html).toContain('UBND Phường Bình Đức');
    expect(html).not.toContain(released('30301')[0].code);
  });

  it('finds a questionnaire on the tracking page from a part of its code that also reads as a whole code of a unit no wave has', async () => {
    // With all-digit unit codes, a run of a commune's code can pass as a complete code with a
    // shorter unit code (25302920001 reads as 25-3029-2000-1 when its check happens to fit).
    const parts = issued.flatMap((q) => {
      const c = compact(q.code);
      const runs: { code: string; part: string }[] = [];
      for (let from = 0; from < c.length; from++) for (let to = from + 8; to <= c.length; to++) if (to - from < c.length) runs.push({ code: q.code, part: c.slice(from, to) });
      return runs;
    });
    const misleading = parts.find(({ part }) => normaliseQuestionnaireCode(part) !== null);
    expect(misleading).toBeDefined();
    const html = await (await get(`/waves/${YEAR}/tracking?q=${misleading!.part}`, admin)).text();
    expect(html).toContain(misleading!.code);
  });

  it('opens the QR form of a numeric-unit code and takes an answer', async () => {
    const q = released('30301')[0];
    const page = await (await get(`/q/${q.token}`)).text();
    expect(page).toContain(q.code);
    expect(page).toContain('UBND Phường Mỹ Thới');
    const answers = new URLSearchParams();
    criteria.forEach((c) => answers.set(c, '4'));
    const sent = await post(`/q/${q.token}`, answers);
    expect([sent.status, sent.headers.get('location')]).toEqual([303, `/q/${q.token}/cam-on`]);
    expect(await deps.db.selectFrom('responses').select(['channel', 'state', 'unit_code']).execute()).toEqual([{ channel: 'qr', state: 'counted', unit_code: '30301' }]);
  });

  it('opens the form at /k from the code and the access key, typed as a person would', async () => {
    const q = released('30307')[1];
    const key = formatAccessKey(accessKeyFor(q.token)).toLowerCase();
    for (const typed of [q.code, compact(q.code), ` ${q.code.replace(/-/g, ' ')} `]) {
      const opened = await post('/k', new URLSearchParams({ code: typed, key }));
      expect([typed, opened.status, opened.headers.get('location')]).toEqual([typed, 303, `/q/${q.token}`]);
    }
    const wrong = await post('/k', new URLSearchParams({ code: released('30307')[0].code, key }));
    expect(wrong.status).toBe(400);
  });

  it('keys a paper form whose code was typed without hyphens, and the lookup tells each state', async () => {
    const q = released('30292')[1];
    const opened = await lookup(compact(q.code));
    expect([opened.status, opened.body]).toEqual([200, expect.objectContaining({ code: q.code, unitCode: '30292', unitName: 'UBND Phường Bình Đức', prefixOfAnother: false, state: 'ready' })]);

    const keyed = new URLSearchParams({ code: compact(q.code).toLowerCase(), opened_at: new Date(Date.now() - 30_000).toISOString(), corrections: '0' });
    criteria.forEach((c) => keyed.set(c, '5'));
    const saved = await post(`/waves/${YEAR}/entry/forms`, keyed, clerk, true);
    expect([saved.status, (await saved.json()) as LookupJson]).toEqual([200, expect.objectContaining({ message: `Đã lưu phiếu ${q.code} (UBND Phường Bình Đức): được tính.` })]);
    expect((await lookup(compact(q.code))).body.state).toBe('already-keyed');

    // A digit of the sequence mistyped: the check character catches it; the commune's code mistyped too.
    const typo = compact(q.code).slice(0, 10) + String((Number(compact(q.code)[10]) + 1) % 10) + compact(q.code).slice(11);
    expect(await lookup(typo)).toEqual({ status: 400, body: expect.objectContaining({ state: 'wrong-code' }) });
    expect((await lookup(compact(q.code).replace('30292', '30293'))).body.state).toBe('wrong-code');
    // Another commune's reserve, not sent: known but not to be keyed; a well-formed code never issued: unknown.
    const reserve = issued.find((x) => x.unitCode === '30301' && x.released === 0)!;
    expect(await lookup(compact(reserve.code))).toEqual({ status: 409, body: expect.objectContaining({ state: 'not-released' }) });
    const unissued = makeQuestionnaireCode(YEAR, '30292', 9000) ?? makeQuestionnaireCode(YEAR, '30292', 9001)!;
    expect(await lookup(compact(unissued))).toEqual({ status: 404, body: expect.objectContaining({ state: 'unknown', error: `Không có phiếu mã ${unissued} trong đợt ${YEAR}` }) });
    // The form answered by QR above: paper for it is kept for review, and the clerk is told before keying.
    expect((await lookup(compact(released('30301')[0].code))).body.state).toBe('answered');
  });

  it('gives the entry page\'s script the wave\'s numeric unit codes and a field long enough for them', async () => {
    const html = await (await get(`/waves/${YEAR}/entry`, clerk)).text();
    const units = /data-units="([^"]*)"/.exec(html)![1].split(' ');
    expect(units).toEqual(expect.arrayContaining(['SNV', ...COMMUNES]));
    expect(Number(/<input id="code" [^>]*maxlength="(\d+)"/.exec(html)![1])).toBeGreaterThanOrEqual(released('30292')[0].code.length);
    // The field's example is a well-formed code of this wave, not one of 2023.
    const example = /<input id="code" [^>]*placeholder="([^"]+)"/.exec(html)![1];
    expect(example.startsWith('25-')).toBe(true);
    expect(normaliseQuestionnaireCode(example)).toBe(example);
  });
});

describe('numeric unit codes on the entry page in Chromium', () => {
  it('opens the form as soon as the compact all-digit code is typed, and saves the keyed answers', async () => {
    const server = await startLiveServer(deps);
    const browser = await launchBrowser();
    try {
      await insertUser(deps.db, { username: 'buudien-chromium', role: 'clerk', password: 'mat-khau-buudien-chromium' });
      const page = await browser.newPage();
      const next = `/waves/${YEAR}/entry`;
      await page.goto(`${server.url}/dang-nhap?next=${encodeURIComponent(next)}`);
      await page.fill('#username', 'buudien-chromium');
      await page.fill('#password', 'mat-khau-buudien-chromium');
      await page.press('#password', 'Enter');
      await page.waitForURL(`${server.url}${next}`);
      const q = released('30292')[2];
      // Keys only: the code without hyphens, then one key per criterion straight on, then Enter.
      await page.keyboard.type(compact(q.code) + '4'.repeat(criteria.length));
      await page.locator('#entry-form').waitFor({ state: 'visible' });
      expect(await page.locator('#form-code').textContent()).toBe(q.code);
      expect(await page.locator('#form-unit').textContent()).toBe('UBND Phường Bình Đức (30292)');
      await page.keyboard.press('Enter');
      await expect(page.locator('#messages .ok').textContent({ timeout: 5000 })).resolves.toBe(`Đã lưu phiếu ${q.code} (UBND Phường Bình Đức): được tính.`);
      const stored = await deps.db
        .selectFrom('responses')
        .innerJoin('questionnaires', 'questionnaires.id', 'responses.questionnaire_id')
        .select(['responses.answers_json', 'responses.channel'])
        .where('questionnaires.code', '=', q.code)
        .executeTakeFirstOrThrow();
      expect(stored.channel).toBe('paper');
      const answers = JSON.parse(stored.answers_json) as Record<string, number | null>;
      expect(criteria.map((c) => answers[c]).join('')).toBe('4'.repeat(criteria.length));
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
