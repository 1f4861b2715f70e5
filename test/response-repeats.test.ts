import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { writeTransaction } from '../server/db/unit-of-work';
import { MAX_UNCOUNTED_PER_QUESTIONNAIRE } from '../server/services/collection/responses';
import { importResponses } from '../server/services/collection/responses-import';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps } from './support/test-deps';

const CRITERIA = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'];

describe('repeated responses to one questionnaire are bounded', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let questionnaires: PublishedQuestionnaire[];

  beforeEach(async () => {
    deps = await createTestDeps();
    questionnaires = (await createPublishedWave(deps.db, { perUnit: 3, reserves: 0 })).questionnaires;
  });
  afterEach(() => deps.cleanup());

  const statesOf = async (id: number) =>
    (await deps.db.selectFrom('responses').select('state').where('questionnaire_id', '=', id).orderBy('id').execute()).map((r) => r.state);

  it(`keeps an answered QR token's later posts once each and at most ${MAX_UNCOUNTED_PER_QUESTIONNAIRE}`, async () => {
    const app = createApp(deps);
    const [first] = questionnaires;
    const post = (value: string, comment: string) => {
      const body = new URLSearchParams();
      for (const code of CRITERIA) body.set(code, value);
      body.set('comment', comment);
      return app.request(`/q/${first.token}`, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    };
    expect((await post('4', 'lần đầu')).status).toBe(303);
    // The same answers posted again (a double click, a reload) are the same response: not stored again.
    for (let i = 0; i < 3; i++) expect((await post('4', 'lần đầu')).status).toBe(303);
    expect(await statesOf(first.id)).toEqual(['counted']);

    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await post('3', `lần ${i + 2}`)).status);
    expect(statuses.slice(0, MAX_UNCOUNTED_PER_QUESTIONNAIRE)).toEqual(Array(MAX_UNCOUNTED_PER_QUESTIONNAIRE).fill(200));
    expect(new Set(statuses.slice(MAX_UNCOUNTED_PER_QUESTIONNAIRE))).toEqual(new Set([409]));
    expect(await statesOf(first.id)).toEqual(['counted', ...Array(MAX_UNCOUNTED_PER_QUESTIONNAIRE).fill('review')]);
  });

  it('stores nothing new when one responses file is imported twice', async () => {
    const [a, b] = questionnaires;
    const row = (code: string, channel: string, value: string) => [code, channel, ...CRITERIA.map(() => value), 'Tốt'].join(',');
    const csv = Buffer.from([['questionnaire_code', 'channel', ...CRITERIA, 'comment'].join(','), row(a.code, 'paper', '4'), row(a.code, 'qr', '2'), row(b.code, 'paper', '5')].join('\n'));
    const once = await writeTransaction(deps.db, (trx) => importResponses(trx, 2023, csv, 'admin'));
    expect(once).toMatchObject({ rows: 3, byState: { counted: 2, review: 1 }, repeated: 0 });
    const twice = await writeTransaction(deps.db, (trx) => importResponses(trx, 2023, csv, 'admin'));
    expect(twice).toMatchObject({ rows: 3, byState: { counted: 0, review: 0, invalid: 0 }, repeated: 3 });
    expect(await statesOf(a.id)).toEqual(['counted', 'review']);
    expect(await statesOf(b.id)).toEqual(['counted']);
  });
});
