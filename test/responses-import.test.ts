import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../server/app';
import { runCli } from '../server/cli/run-cli';
import { writeTransaction } from '../server/db/unit-of-work';
import { updateWaveStatus } from '../server/repositories/waves';
import { importResponses as importInto } from '../server/services/collection/responses-import';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps, signIn, signInSession } from './support/test-deps';

const CRITERIA = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'];
const HEADER = ['questionnaire_code', 'unit_code', 'channel', ...CRITERIA, 'gender', 'age_band', 'priorities', 'comment'].join(',');

function line(code: string, unit: string, channel: string, answers: string[], profile = ',,,'): string {
  return [code, unit, channel, ...answers, ...profile.split(',')].join(',');
}
const all = (v: string) => CRITERIA.map(() => v);
const importResponses = (db: Parameters<typeof writeTransaction>[0], year: number, bytes: Uint8Array, actor: string) =>
  writeTransaction(db, (trx) => importInto(trx, year, bytes, actor));

describe('responses import (SIPAS.md section 11)', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  let questionnaires: PublishedQuestionnaire[];
  const env = () => ({ ...deps.databaseEnv, USER: 'tester' });

  beforeEach(async () => {
    deps = await createTestDeps();
    questionnaires = (await createPublishedWave(deps.db, { perUnit: 3, reserves: 0 })).questionnaires;
  });
  afterEach(() => deps.cleanup());

  const responses = () => deps.db.selectFrom('responses').selectAll().orderBy('id').execute();

  it('imports coded and anonymous rows through the response rules, all at once', async () => {
    const [a, b, c] = questionnaires;
    const csv = [
      HEADER,
      line(a.code, '', 'paper', all('4'), 'nu,35-49,cong_khai; RÚT NGẮN thời gian giải quyết,Tốt'),
      line(b.code.toLowerCase().replace(/-/g, ''), 'SNV', 'QR', all('5')),
      line(a.code, '', 'qr', all('1')),
      line(c.code, '', 'paper', [...all('3').slice(0, 7), ...all('').slice(7)]),
      line('', 'stp', '', all('2'), 'Nam,,,'),
      line('', 'LXU', 'paper', all('5')),
      '',
    ].join('\r\n');
    const summary = await importResponses(deps.db, 2023, Buffer.from(csv), 'admin');
    expect(summary).toEqual({ rows: 6, byState: { counted: 4, review: 1, invalid: 1, pending: 0 }, anonymous: 2, repeated: 0 });
    const stored = await responses();
    expect(stored.map((r) => [r.questionnaire_id, r.unit_code, r.channel, r.state])).toEqual([
      [a.id, 'SNV', 'paper', 'counted'],
      [b.id, 'SNV', 'qr', 'counted'],
      [a.id, 'SNV', 'qr', 'review'],
      [c.id, 'SNV', 'paper', 'invalid'],
      [null, 'STP', 'import', 'counted'],
      [null, 'LXU', 'import', 'counted'],
    ]);
    expect(JSON.parse(stored[0].profile)).toEqual({ gender: 'nu', age_band: '35-49', priorities: ['cong_khai', 'rut_ngan_thoi_gian'] });
    expect(stored[0].comment).toBe('Tốt');
    expect(JSON.parse(stored[4].profile)).toEqual({ gender: 'nam' });
    expect(stored.every((r) => r.entered_by === 'admin')).toBe(true);
    const statuses = await deps.db.selectFrom('questionnaires').select(['id', 'status']).where('id', 'in', [a.id, b.id, c.id]).orderBy('id').execute();
    expect(statuses.map((s) => s.status)).toEqual(['returned-paper', 'answered-qr', 'invalid']);
    const audit = await deps.db.selectFrom('audit_log').select('detail').where('action', '=', 'responses.import').executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail)).toEqual({ rows: 6, counted: 4, review: 1, invalid: 1, pending: 0, anonymous: 2, repeated: 0 });
  });

  it('lists every bad row with its field and writes nothing', async () => {
    const [a, b] = questionnaires;
    const mistyped = a.code.slice(0, -1) + (a.code.endsWith('0') ? '1' : '0');
    const csv = [
      HEADER,
      line(a.code, '', 'paper', all('4')),
      line(mistyped, '', 'paper', all('4')),
      line('23-SNV-9999-X', '', 'paper', all('4')),
      line(b.code, '', '', ['7', ...all('4').slice(1)]),
      line(b.code, 'STP', 'paper', all('4'), ',,a;b,'),
      line('', 'XYZ', '', all('4'), ',,cong_khai;thai_do;giam_phi;phan_hoi,'),
      line('', '', '', all('4')),
    ].join('\n');
    await expect(importResponses(deps.db, 2023, Buffer.from(csv), 'admin')).rejects.toMatchObject({
      message: expect.stringMatching(/^Tệp phiếu trả lời: 6\/7 dòng có lỗi, chưa nhập phiếu nào: dòng 3, cột questionnaire_code: /),
      details: [
        `dòng 3, cột questionnaire_code: mã phiếu "${mistyped}" sai (ký tự kiểm tra không khớp)`,
        'dòng 4, cột questionnaire_code: mã phiếu "23-SNV-9999-X" sai (ký tự kiểm tra không khớp)',
        'dòng 5, cột channel: kênh "" không hợp lệ: phiếu có mã cần paper hoặc qr',
        'dòng 5, cột A1: giá trị "7" không hợp lệ: chỉ nhận 1–5 hoặc để trống',
        `dòng 6, cột unit_code: phiếu ${b.code} thuộc đơn vị SNV, không phải STP`,
        'dòng 6, cột priorities: lựa chọn "a", "b" không có trong câu hỏi "Những nội dung cần ưu tiên cải thiện (chọn tối đa 3)"',
        'dòng 7, cột unit_code: đơn vị "XYZ" không có trong đợt 2023',
        'dòng 7, cột priorities: chọn tối đa 3 (đã chọn 4)',
        'dòng 8, cột questionnaire_code: cần mã phiếu, hoặc mã đơn vị (unit_code) cho phiếu không gắn mã',
      ],
    });
    expect(await responses()).toHaveLength(0);
  });

  it('checks the header: unknown and missing criterion columns', async () => {
    const csv = `questionnaire_code,channel,${CRITERIA.slice(0, -1).join(',')},A17\n${questionnaires[0].code},paper,${all('4').slice(0, -1).join(',')},4\n`;
    await expect(importResponses(deps.db, 2023, Buffer.from(csv), 'admin')).rejects.toMatchObject({
      details: ['dòng 1, cột a17: cột không có trong mẫu (mã phiếu, đơn vị, kênh, mã tiêu chí, thông tin chung)', 'dòng 1: thiếu cột tiêu chí E3'],
    });
  });

  it('reads a UTF-16 tab-separated file saved by Excel', async () => {
    const text = [HEADER.replace(/,/g, '\t'), line(questionnaires[0].code, '', 'paper', all('4'), 'nữ,,,Cán bộ tốt').replace(/,/g, '\t')].join('\r\n');
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    await expect(importResponses(deps.db, 2023, bytes, 'admin')).resolves.toMatchObject({ rows: 1 });
    const [stored] = await responses();
    expect(JSON.parse(stored.profile)).toEqual({ gender: 'nu' });
    expect(stored.comment).toBe('Cán bộ tốt');
  });

  it('runs from the command line: summary on success, one line and the rows on error, closed waves refused', async () => {
    const good = path.join(deps.dir, 'good.csv');
    fs.writeFileSync(good, `\uFEFF${HEADER}\n${line(questionnaires[0].code, '', 'paper', all('4'))}\n`);
    const ok = await runCli(['responses', 'import', '--wave', '2023', good], env(), deps.dir);
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(ok.stdout).toBe('Đã nhập 1 phiếu trả lời cho đợt 2023: 1 được tính, 0 chờ xem xét (trùng phiếu), 0 không hợp lệ (quá ít câu trả lời); 0 phiếu không gắn mã; 0 dòng đã có sẵn, không ghi lại\n');
    const bad = path.join(deps.dir, 'bad.csv');
    fs.writeFileSync(bad, `${HEADER}\n${line('', 'XYZ', '', all('4'))}\n`);
    const failed = await runCli(['responses', 'import', '--wave', '2023', bad], env(), deps.dir);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('Lỗi: Tệp phiếu trả lời: 1/1 dòng có lỗi, chưa nhập phiếu nào: dòng 2, cột unit_code: đơn vị "XYZ" không có trong đợt 2023\n  dòng 2, cột unit_code: đơn vị "XYZ" không có trong đợt 2023\n');
    await updateWaveStatus(deps.db, 2023, 'closed');
    const closed = await runCli(['responses', 'import', '--wave', '2023', good], env(), deps.dir);
    expect(closed).toMatchObject({ code: 1, stderr: 'Lỗi: Đợt khảo sát 2023 đã kết thúc, không nhận thêm phiếu trả lời\n' });
    expect(await responses()).toHaveLength(1);
  });

  it('has an upload page for administrators only, showing the rows to fix', async () => {
    const app = createApp(deps);
    const admin = await signInSession(deps, 'admin');
    const analyst = await signIn(deps, 'analyst');
    expect((await app.request('/waves/2023/responses/import', { headers: { cookie: analyst } })).status).toBe(403);
    const page = await (await app.request('/waves/2023/responses/import', { headers: { ...admin } })).text();
    expect(page).toContain('questionnaire_code,unit_code,channel,A1,A2,A3,B1');
    const upload = (content: string) => {
      const body = new FormData();
      body.set('file', new File([content], 'phieu.csv', { type: 'text/csv' }));
      return app.request('/waves/2023/responses/import', { method: 'POST', body, headers: { ...admin } });
    };
    const bad = await upload(`${HEADER}\n${line(questionnaires[0].code, '', 'paper', ['9', ...all('4').slice(1)])}\n`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('<li>dòng 2, cột A1: giá trị &quot;9&quot; không hợp lệ: chỉ nhận 1–5 hoặc để trống</li>');
    const good = await upload(`${HEADER}\n${line(questionnaires[0].code, '', 'paper', all('4'))}\n`);
    expect(good.status).toBe(200);
    expect(await good.text()).toContain('Đã nhập 1 phiếu trả lời: 1 được tính');
    expect(await responses()).toHaveLength(1);
  });
});
