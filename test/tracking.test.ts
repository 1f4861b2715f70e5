import Papa from 'papaparse';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trackingRates } from '../analysis/tracking-table';
import type { TrackingInput } from '../analysis/types';
import { createApp } from '../server/app';
import { seedDemoIfEmpty } from '../server/demo/seed-demo';
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
      const common = { shortfall: 0, awaitingSecondPass: 0, mismatched: 0 };
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
          responded: 3,
          refusals: 0,
          valid: 2,
          filled: 2,
          imported: 0,
          importedValid: 0,
          review: 1,
          invalid: 1,
          reservesLeft: 1,
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
          responded: 0,
          refusals: 3,
          // The anonymous import is no answer of the drawn list: apart.
          valid: 0,
          filled: 0,
          imported: 1,
          importedValid: 1,
          review: 0,
          invalid: 0,
          reservesLeft: 0,
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
          responded: 1,
          refusals: 0,
          valid: 1,
          filled: 1,
          imported: 0,
          importedValid: 0,
          review: 1,
          invalid: 0,
          reservesLeft: 2,
          ...common,
        },
      ]);
      expect(sumTracking(rows)).toMatchObject({ planned: 9, drawn: 15, released: 12, valid: 3, importedValid: 1, refused: 3, review: 2, responded: 4 });
      // The analysis takes the rows as they are.
      const input: TrackingInput[] = rows;
      expect(input.map((r) => r.valid)).toEqual([2, 0, 1]);
    });

    it('the tracking page shows the figures, rates with comma decimals and their definitions, and no personal data', async () => {
      const app = createApp(deps);
      const analyst = await signIn(deps, 'analyst');
      const page = await (await app.request('/waves/2023/tracking', { headers: { cookie: analyst } })).text();
      expect(page).toContain('<strong>3</strong> phiếu hợp lệ từ danh sách đã bốc — đạt <strong>33,33 %</strong> kế hoạch');
      expect(page).toContain('Ngoài danh sách: <strong>1</strong> câu trả lời nhập không có mã phiếu (<strong>1</strong> hợp lệ)');
      // SNV: 2 places of 3 filled; RR1 2 valid of 4 released; contact 3 responded of 4; no refusals; nothing from outside.
      expect(page).toMatch(/<td>SNV<\/td><td class="unit">Sở Nội vụ<\/td>(<td class="num">\d+<\/td>){17}<td class="num">66,67 %<\/td><td class="num">50,00 %<\/td><td class="num">75,00 %<\/td><td class="num">0,00 %<\/td><td class="num">0<\/td><td class="num">0<\/td>/);
      // STP: three refusals of five released, one valid row from outside the list counted in no rate.
      expect(page).toMatch(/<td>STP<\/td><td class="unit">Sở Tư pháp<\/td>(<td class="num">\d+<\/td>){17}<td class="num">0,00 %<\/td><td class="num">0,00 %<\/td><td class="num">60,00 %<\/td><td class="num">60,00 %<\/td><td class="num">1<\/td><td class="num">1<\/td>/);
      expect(page).toContain('<dt>Tỷ lệ phản hồi RR1 (AAPOR)</dt>');
      expect(page).toContain('Tỷ lệ từ chối REF1 (AAPOR)');
      expect(page).not.toMatch(/Nguyễn Văn|Trần Hưng Đạo|0912345678/);
      const response = await app.request('/waves/2023/tracking', { headers: { cookie: analyst, accept: 'application/json' } });
      const json = (await response.json()) as { total: { planned: number; valid: number } };
      expect(json.total).toMatchObject({ planned: 9, valid: 3 });
    });
  });

  it('planned is what the draw planned, rows from outside the list are apart, and no rate passes 100 %', async () => {
    deps = await createTestDeps();
    // SNV: the draw planned 5 but the frame had 2; LXU: 2 drawn and 4 anonymous rows imported for it.
    ({ questionnaires } = await createPublishedWave(deps.db, { perUnit: 2, reserves: 1, shortfall: { SNV: 3 } }));
    await key(q('SNV', 'primary', 1).code);
    await key(q('LXU', 'primary', 1).code);
    // The same questionnaire answered on paper after its letter was marked undeliverable, and its reserve answered too.
    await noForm(q('LXU', 'primary', 2).code, 'undeliverable');
    await qr(q('LXU', 'reserve', 1));
    await qr(q('LXU', 'primary', 2));
    for (let i = 0; i < 4; i++) {
      await deps.db.transaction().execute((trx) =>
        recordResponse(trx, { waveYear: 2023, questionnaireId: null, unitCode: 'LXU', channel: 'import', answers: Object.fromEntries(criteria.map((c) => [c, 4])), profile: {}, comment: null, enteredBy: 'admin' }),
      );
    }
    const rows = await trackingByUnit(deps.db, 2023);
    const snv = rows.find((r) => r.unitCode === 'SNV')!;
    const lxu = rows.find((r) => r.unitCode === 'LXU')!;
    expect(snv).toMatchObject({ planned: 5, shortfall: 3, drawn: 3, released: 2, valid: 1, filled: 1 });
    expect(lxu).toMatchObject({ planned: 2, released: 3, valid: 3, filled: 2, imported: 4, importedValid: 4 });
    const total = sumTracking(rows);
    expect(total).toMatchObject({ planned: 9, shortfall: 3, valid: 4, filled: 3, importedValid: 4 });
    const rates = [...rows, total].map((r) => trackingRates({ ...r, returned: r.responded }));
    expect(rates.flatMap((r) => Object.values(r)).every((rate) => rate === null || rate <= 100)).toBe(true);
    expect(rates.at(-1)!.plan).toBeCloseTo((100 * 3) / 9, 12);

    // The analysis tables and the report say the same, through the one wave-results service.
    const app = createApp(deps);
    const analyst = await signIn(deps, 'analyst');
    const csv = await (await app.request('/waves/2023/analysis/tracking.csv', { headers: { cookie: analyst } })).text();
    const [header, ...lines] = Papa.parse<string[]>(csv.replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    const totalLine = lines.at(-1)!;
    const cell = (prefix: string) => totalLine[header.findIndex((h) => h.startsWith(prefix))];
    expect(cell('Kế hoạch (lần bốc mẫu)')).toBe('9');
    expect(cell('Thiếu do khung mẫu')).toBe('3');
    expect(cell('Tỷ lệ đạt kế hoạch:')).toBe('33,33 %');
    expect(cell('Ngoài danh sách: hợp lệ')).toBe('4');
    expect(header.find((h) => h.startsWith('Tỷ lệ phản hồi RR1'))).toContain('số phiếu đã phát hành có câu trả lời hợp lệ');
    const percents = lines.flatMap((l) => l.filter((c) => c.endsWith(' %')).map((c) => Number(c.replace(' %', '').replace(',', '.'))));
    expect(percents.length).toBeGreaterThan(0);
    expect(Math.max(...percents)).toBeLessThanOrEqual(100);
    const report = await (await app.request('/waves/2023/analysis/report.html', { headers: { cookie: analyst } })).text();
    expect(report).toContain('Kế hoạch 9 phiếu (khung mẫu thiếu 3 người so với kế hoạch); đã phát hành 7 phiếu; 4 phiếu hợp lệ từ danh sách đã bốc, đạt 33,33 % kế hoạch');
    expect(report).toContain('thêm 4 phiếu hợp lệ ngoài danh sách đã bốc');
    expect(report).toContain('Tỷ lệ phản hồi RR1 (AAPOR): số phiếu đã phát hành có câu trả lời hợp lệ');
  });

  it('the demo wave (An Giang 2023) tracks against the 700 its draw planned, its imported rows apart', async () => {
    deps = await createTestDeps();
    await seedDemoIfEmpty(deps.db, deps.config.dataDir);
    const rows = await trackingByUnit(deps.db, 2023);
    const total = sumTracking(rows);
    // The demo frame has fewer than 25 people in SCT (16) and SKHDT (18): 672 drawn of 700 planned.
    expect(total).toMatchObject({ planned: 700, shortfall: 28, released: 672, valid: 646, filled: 646, imported: 25, importedValid: 25 });
    // The fixture's answers beyond a unit's drawn list came in as anonymous rows: counted in the index (671), in no rate.
    expect(total.valid + total.importedValid).toBe(671);
    const rates = [...rows, total].map((r) => trackingRates({ ...r, returned: r.responded }));
    expect(Math.max(...rates.flatMap((r) => Object.values(r).filter((x): x is number => x !== null)))).toBeLessThanOrEqual(100);
    expect(rates.at(-1)!.plan).toBeCloseTo((100 * 646) / 700, 12);
    expect(rates.at(-1)!.response).toBeCloseTo((100 * 646) / 672, 12);
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
