import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrackingInput } from '../analysis/types';
import { createApp } from '../server/app';
import { setQuestionnaireStatus } from '../server/repositories/collection';
import { sumTracking, trackingByUnit } from '../server/repositories/tracking';
import { writeTransaction } from '../server/db/unit-of-work';
import type { FormBody } from '../server/forms/keyed-form';
import { recordNoForm } from '../server/services/entry/no-form-outcomes';
import { submitKeying } from '../server/services/entry/paper-keying';
import { recordResponse } from '../server/services/collection/responses';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps, signIn } from './support/test-deps';

const criteria = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'];

/** An entry-form body answering the first `answered` criteria with `value`. */
function form(answered = 16, value = '4'): FormBody {
  return Object.fromEntries(criteria.map((c, i) => [c, i < answered ? value : '0']));
}

describe('response tracking', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let questionnaires: PublishedQuestionnaire[];
  const q = (unit: string, role: 'primary' | 'reserve', rank: number) => questionnaires.find((x) => x.unitCode === unit && x.role === role && x.rank === rank)!;
  const key = (code: string, user = 'buudien1', body = form()) =>
    writeTransaction(deps.db, (trx) => submitKeying(trx, { year: 2023, typedCode: code, user, body, corrections: 0, openedAt: null, now: new Date() }));
  const noForm = (code: string, outcome: 'undeliverable' | 'refused') =>
    writeTransaction(deps.db, (trx) => recordNoForm(trx, { year: 2023, typedCode: code, outcome, actor: 'buudien1' }));
  const qr = (item: PublishedQuestionnaire, value = 5) =>
    deps.db.transaction().execute((trx) =>
      recordResponse(trx, {
        waveYear: 2023,
        questionnaireId: item.id,
        unitCode: item.unitCode,
        channel: 'qr',
        answers: Object.fromEntries(criteria.map((c) => [c, value])),
        profile: {},
        comment: null,
        enteredBy: null,
      }),
    );

  afterEach(() => deps.cleanup());

  describe('after a known sequence of collection events', () => {
    beforeEach(async () => {
      deps = await createTestDeps();
      ({ questionnaires } = await createPublishedWave(deps.db, { perUnit: 3, reserves: 2 }));
      // SNV: one paper form, one QR answer sent twice, one undeliverable replaced by a reserve whose form is invalid.
      await key(q('SNV', 'primary', 1).code);
      await qr(q('SNV', 'primary', 2));
      await qr(q('SNV', 'primary', 2), 1);
      await noForm(q('SNV', 'primary', 3).code, 'undeliverable');
      await key(q('SNV', 'reserve', 1).code, 'buudien2', form(2));
      // STP: three refusals use up both reserves; one anonymous response imported from a file.
      for (const rank of [1, 2, 3]) {
        await noForm(q('STP', 'primary', rank).code, 'refused');
      }
      await deps.db.transaction().execute((trx) =>
        recordResponse(trx, { waveYear: 2023, questionnaireId: null, unitCode: 'STP', channel: 'import', answers: { A1: 4, A2: 4, A3: 4, B1: 4, B2: 4, B3: 4, B4: 4, C1: 4 }, profile: {}, comment: null, enteredBy: 'admin' }),
      );
      // LXU: one letter marked dispatched; one paper form, then the same person answers by QR too.
      await setQuestionnaireStatus(deps.db, q('LXU', 'primary', 1).id, 'dispatched');
      await key(q('LXU', 'primary', 2).code);
      await qr(q('LXU', 'primary', 2));
    });

    it('counts every figure per unit and in total', async () => {
      const rows = await trackingByUnit(deps.db, 2023);
      const common = { awaitingSecondPass: 0, mismatched: 0 };
      expect(rows).toEqual([
        {
          unitCode: 'SNV',
          unitName: 'Sở Nội vụ',
          unitKind: 'department',
          planned: 3,
          drawn: 5,
          released: 4,
          dispatched: 4,
          undeliverable: 1,
          refused: 0,
          paperReturned: 2,
          qrAnswered: 1,
          imported: 0,
          valid: 2,
          review: 1,
          invalid: 1,
          reservesLeft: 1,
          responded: 3,
          ...common,
        },
        {
          unitCode: 'STP',
          unitName: 'Sở Tư pháp',
          unitKind: 'department',
          planned: 3,
          drawn: 5,
          released: 5,
          dispatched: 3,
          undeliverable: 0,
          refused: 3,
          paperReturned: 0,
          qrAnswered: 0,
          imported: 1,
          valid: 1,
          review: 0,
          invalid: 0,
          reservesLeft: 0,
          responded: 0,
          ...common,
        },
        {
          unitCode: 'LXU',
          unitName: 'UBND thành phố Long Xuyên',
          unitKind: 'district',
          planned: 3,
          drawn: 5,
          released: 3,
          dispatched: 2,
          undeliverable: 0,
          refused: 0,
          paperReturned: 1,
          qrAnswered: 1,
          imported: 0,
          valid: 1,
          review: 1,
          invalid: 0,
          reservesLeft: 2,
          responded: 1,
          ...common,
        },
      ]);
      expect(sumTracking(rows)).toMatchObject({ planned: 9, drawn: 15, released: 12, valid: 4, refused: 3, review: 2, responded: 4 });
      // The analysis takes the rows as they are.
      const input: TrackingInput[] = rows;
      expect(input.map((r) => r.valid)).toEqual([2, 1, 1]);
    });

    it('the tracking page shows the figures, rates with comma decimals and their definitions, and no personal data', async () => {
      const app = createApp(deps);
      const analyst = await signIn(deps, 'analyst');
      const page = await (await app.request('/waves/2023/tracking', { headers: { cookie: analyst } })).text();
      expect(page).toContain('Tổng: <strong>4</strong> câu trả lời hợp lệ trên <strong>9</strong> phiếu kế hoạch — tỷ lệ phản hồi <strong>44,44 %</strong>');
      // SNV: 2 valid of 3 planned; contact (3 responded + 0 refused) of 4 released; no refusals.
      expect(page).toMatch(/<td>SNV<\/td><td class="unit">Sở Nội vụ<\/td>(<td class="num">\d+<\/td>){15}<td class="num">66,67 %<\/td><td class="num">75,00 %<\/td><td class="num">0,00 %<\/td>/);
      expect(page).toContain('= số câu trả lời hợp lệ được tính ÷ số phiếu kế hoạch (phiếu chính)');
      expect(page).toContain('Tỷ lệ từ chối (kiểu AAPOR REF)');
      expect(page).not.toMatch(/Nguyễn Văn|Trần Hưng Đạo|0912345678/);
      const response = await app.request('/waves/2023/tracking', { headers: { cookie: analyst, accept: 'application/json' } });
      const json = (await response.json()) as { total: { planned: number; valid: number } };
      expect(json.total).toMatchObject({ planned: 9, valid: 4 });
    });
  });

  it('double entry: forms keyed once wait for the second keying, differing ones for the supervisor; neither counts yet', async () => {
    deps = await createTestDeps();
    ({ questionnaires } = await createPublishedWave(deps.db, { perUnit: 3, reserves: 0, settings: { doubleEntry: true } }));
    await key(q('SNV', 'primary', 1).code, 'buudien1');
    await key(q('SNV', 'primary', 2).code, 'buudien1');
    await key(q('SNV', 'primary', 2).code, 'buudien2', form(16, '5'));
    await key(q('SNV', 'primary', 3).code, 'buudien1');
    await key(q('SNV', 'primary', 3).code, 'buudien2');
    const [snv] = await trackingByUnit(deps.db, 2023);
    expect(snv).toMatchObject({ paperReturned: 3, awaitingSecondPass: 1, mismatched: 1, valid: 1, responded: 3 });
  });
});
