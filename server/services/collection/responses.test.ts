import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPublishedWave, type PublishedQuestionnaire } from '../../../test/support/published-wave';
import { createTestDeps } from '../../../test/support/test-deps';
import { writeTransaction } from '../../db/unit-of-work';
import { insertResponse } from '../../repositories/responses';
import { updateWaveStatus } from '../../repositories/waves';
import { UserError } from '../../errors';
import { recordResponse, type ResponseInput } from './responses';

const codes = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'];

function answersWith(count: number, value = 4): Record<string, number | null> {
  return Object.fromEntries(codes.map((c, i) => [c, i < count ? value : null]));
}

describe('recordResponse', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let year: number;
  let first: PublishedQuestionnaire;

  beforeEach(async () => {
    deps = await createTestDeps();
    const wave = await createPublishedWave(deps.db, { perUnit: 3, reserves: 1 });
    year = wave.year;
    first = wave.questionnaires[0];
  });
  afterEach(() => deps.cleanup());

  const input = (over: Partial<ResponseInput> = {}): ResponseInput => ({
    waveYear: year,
    questionnaireId: first.id,
    unitCode: first.unitCode,
    channel: 'qr',
    answers: answersWith(16),
    profile: { gender: 'nu', priorities: ['cong_khai', 'giam_phi'] },
    comment: null,
    enteredBy: null,
    ...over,
  });
  const record = (over: Partial<ResponseInput> = {}) =>
    writeTransaction(deps.db, (trx) => recordResponse(trx, input(over)));
  const responsesOf = (id: number) => deps.db.selectFrom('responses').selectAll().where('questionnaire_id', '=', id).orderBy('id').execute();
  const statusOf = async (id: number) => (await deps.db.selectFrom('questionnaires').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;

  it('counts the first valid response and marks the questionnaire answered by QR', async () => {
    const result = await record();
    expect(result).toMatchObject({ state: 'counted', note: null, questionnaireStatus: 'answered-qr' });
    expect(await statusOf(first.id)).toBe('answered-qr');
    const [stored] = await responsesOf(first.id);
    expect(stored.id).toBe(result.responseId);
    expect(Object.keys(JSON.parse(stored.answers_json))).toHaveLength(16);
    expect(JSON.parse(stored.profile)).toEqual({ gender: 'nu', priorities: ['cong_khai', 'giam_phi'] });
  });

  it('keeps a second QR submission and a later paper form for review, never overwriting the first', async () => {
    await record({ answers: answersWith(16, 5) });
    const again = await record({ answers: answersWith(16, 1) });
    const paper = await record({ channel: 'paper', enteredBy: 'buudien' });
    expect(again.state).toBe('review');
    expect(again.note).toMatch(new RegExp(`Phiếu ${first.code} đã có câu trả lời được tính .*QR.*giữ lại để xem xét`));
    expect(paper.state).toBe('review');
    expect(paper.note).toContain('(phiếu giấy)');
    const stored = await responsesOf(first.id);
    expect(stored.map((r) => r.state)).toEqual(['counted', 'review', 'review']);
    const countedAnswers = Object.values(JSON.parse(stored[0].answers_json));
    expect(countedAnswers).toHaveLength(16);
    expect(countedAnswers.every((value) => value === 5)).toBe(true);
    expect(await statusOf(first.id)).toBe('answered-qr');
  });

  it('keeps a response with too few answers as invalid, and a later valid paper form then counts', async () => {
    const sparse = await record({ answers: answersWith(7) });
    expect(sparse.state).toBe('invalid');
    expect(sparse.note).toBe('Chỉ trả lời 7/16 tiêu chí, cần ít nhất 8 để được tính');
    expect(await statusOf(first.id)).toBe('invalid');
    const paper = await record({ channel: 'paper', answers: answersWith(8) });
    expect(paper).toMatchObject({ state: 'counted', questionnaireStatus: 'returned-paper' });
    expect((await responsesOf(first.id)).map((r) => r.state)).toEqual(['invalid', 'counted']);
  });

  it('follows the wave setting for validity', async () => {
    await deps.db.updateTable('waves').set({ settings: JSON.stringify({ validity: { minAnsweredShare: 0.75 } }) }).execute();
    expect((await record({ answers: answersWith(11) })).state).toBe('invalid');
    expect((await record({ answers: answersWith(12) })).state).toBe('counted');
  });

  it('names every bad field and writes nothing', async () => {
    const attempt = record({
      answers: { ...answersWith(16), A1: 7, B2: 0, X9: 3, constructor: 4 },
      profile: { gender: 'khong_ro', priorities: ['cong_khai', 'giam_phi', 'thai_do', 'phan_hoi'], hobby: 'x' },
      comment: 'y'.repeat(2001),
    });
    await expect(attempt).rejects.toBeInstanceOf(UserError);
    const error = (await attempt.catch((e: unknown) => e)) as UserError;
    expect(error.status).toBe(400);
    expect(error.fields.map((p) => p.field)).toEqual(['A1', 'B2', 'X9', 'constructor', 'gender', 'priorities', 'hobby', 'comment']);
    expect(error.details).toContain('A1: giá trị "7" không hợp lệ: chỉ nhận 1–5 hoặc để trống (không ý kiến)');
    expect(error.details).toContain('priorities: chọn tối đa 3 (đã chọn 4)');
    expect(error.details).toContain('gender: lựa chọn "khong_ro" không có trong câu hỏi "Giới tính"');
    expect(error.details).toContain('comment: ý kiến dài 2001 ký tự, tối đa 2000');
    expect(await responsesOf(first.id)).toHaveLength(0);
    expect(await statusOf(first.id)).toBe('drawn');
  });

  it("takes the comment's field and length limit from the wave's questionnaire", async () => {
    const stored = await deps.db.selectFrom('questionnaire_versions').select('definition').where('wave_year', '=', year).executeTakeFirstOrThrow();
    const definition = { ...JSON.parse(stored.definition), comment: { code: 'gop_y', label: 'Góp ý', maxLength: 10 } };
    await deps.db.updateTable('questionnaire_versions').set({ definition: JSON.stringify(definition) }).where('wave_year', '=', year).execute();
    await expect(record({ comment: 'Cán bộ nhiệt tình' })).rejects.toMatchObject({ fields: [{ field: 'gop_y', message: 'ý kiến dài 17 ký tự, tối đa 10' }] });
    expect((await record({ comment: ' Tốt ' })).state).toBe('counted');
  });

  it('stores the comment in NFC, trimmed', async () => {
    const decomposed = '  Cán bộ nhiệt tình '.normalize('NFD');
    await record({ comment: decomposed });
    const [stored] = await responsesOf(first.id);
    expect(stored.comment).toBe('Cán bộ nhiệt tình');
    expect(stored.comment).toBe(stored.comment?.normalize('NFC'));
  });

  it('refuses responses once the wave is closed', async () => {
    await updateWaveStatus(deps.db, year, 'closed');
    await expect(record()).rejects.toThrowError(`Đợt khảo sát ${year} đã kết thúc, không nhận thêm phiếu trả lời`);
    expect(await responsesOf(first.id)).toHaveLength(0);
  });

  it('rejects a questionnaire of another unit and an unknown unit for anonymous rows', async () => {
    await expect(record({ unitCode: 'STP' })).rejects.toThrowError(/unit_code: phiếu .* thuộc đơn vị SNV, không phải STP/);
    await expect(record({ questionnaireId: null, unitCode: 'XYZ', channel: 'import' })).rejects.toThrowError(/đơn vị "XYZ" không có trong đợt 2023/);
    const anonymous = await record({ questionnaireId: null, unitCode: 'STP', channel: 'import' });
    expect(anonymous).toMatchObject({ state: 'counted', questionnaireStatus: null });
  });

  it('counts exactly one of many simultaneous submissions for one questionnaire', async () => {
    // Six different answers: one counted, five kept for review (the most a questionnaire keeps).
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => record({ answers: answersWith(16 - (i % 3), (i % 5) + 1) })));
    expect(results.filter((r) => r.state === 'counted')).toHaveLength(1);
    expect(results.filter((r) => r.state === 'review')).toHaveLength(5);
    expect(await responsesOf(first.id)).toHaveLength(6);
  });

  it('has the database refuse a second counted response even past the service', async () => {
    await record();
    const sneak = insertResponse(deps.db, { waveYear: year, questionnaireId: first.id, unitCode: first.unitCode, channel: 'paper', state: 'counted', answers: {}, profile: {}, comment: null, enteredBy: null });
    await expect(sneak).rejects.toThrowError(/UNIQUE constraint failed|duplicate key value violates unique constraint/);
  });
});
