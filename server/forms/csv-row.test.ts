import { describe, expect, it } from 'vitest';
import { defaultQuestionnaire, type Questionnaire } from '../../analysis/questionnaire';
import type { CollectionQuestionnaire } from '../repositories/collection';
import { makeQuestionnaireCode } from './questionnaire-codes';
import { checkCsvHeader, readCsvRow, type CsvRowContext } from './csv-row';

const code = makeQuestionnaireCode(2023, 'SNV', 42)!;
const printed: CollectionQuestionnaire = { id: 7, waveYear: 2023, unitCode: 'SNV', code, token: 't', status: 'dispatched', released: true };
const context: CsvRowContext = { year: 2023, questionnaire: defaultQuestionnaire, byCode: new Map([[code, printed]]), unitCodes: new Set(['SNV', 'STP']) };
const criteria = Object.fromEntries(['a1', 'a2', 'a3', 'b1', 'b2', 'b3', 'b4', 'c1', 'c2', 'c3', 'd1', 'd2', 'd3', 'e1', 'e2', 'e3'].map((c) => [c, '4']));

describe('CSV response rows', () => {
  it('reads a coded row: answers, options by code or label (accents and case aside), several choices, the comment', () => {
    const { row, problems } = readCsvRow(context, {
      ...criteria,
      a2: '',
      questionnaire_code: code.toLowerCase().replace(/-/g, ''),
      channel: 'QR',
      gender: 'nữ',
      priorities: 'cong_khai; RÚT NGẮN thời gian giải quyết',
      comment: 'Tốt',
    });
    expect(problems).toEqual([]);
    expect(row).toMatchObject({ questionnaireId: 7, unitCode: 'SNV', channel: 'qr' });
    expect(row.content.answers).toMatchObject({ A1: 4, A2: null, E3: 4 });
    expect(row.content.profile).toEqual({ gender: 'nu', priorities: ['cong_khai', 'rut_ngan_thoi_gian'] });
    expect(row.content.comment).toBe('Tốt');
  });

  it('reads an anonymous row by its unit, as channel import', () => {
    const { row, problems } = readCsvRow(context, { ...criteria, unit_code: 'stp', comment: '' });
    expect(problems).toEqual([]);
    expect(row).toMatchObject({ questionnaireId: null, unitCode: 'STP', channel: 'import', content: { comment: null } });
  });

  it('names every bad field of a row', () => {
    const wrongCheck = code.slice(0, -1) + (code.endsWith('0') ? '1' : '0');
    expect(readCsvRow(context, { ...criteria, questionnaire_code: wrongCheck, channel: 'paper' }).problems).toEqual([
      { field: 'questionnaire_code', message: `mã phiếu "${wrongCheck}" sai (ký tự kiểm tra không khớp)` },
    ]);
    expect(readCsvRow(context, { ...criteria, b3: '7', questionnaire_code: code, unit_code: 'STP', channel: '' }).problems).toEqual([
      { field: 'unit_code', message: `phiếu ${code} thuộc đơn vị SNV, không phải STP` },
      { field: 'channel', message: 'kênh "" không hợp lệ: phiếu có mã cần paper hoặc qr' },
      { field: 'B3', message: 'giá trị "7" không hợp lệ: chỉ nhận 1–5 hoặc để trống' },
    ]);
    expect(readCsvRow(context, { ...criteria, unit_code: 'XYZ', channel: 'fax' }).problems.map((p) => p.field)).toEqual(['unit_code', 'channel']);
  });

  it('checks the header against the questionnaire, comment column included', () => {
    const q: Questionnaire = { ...defaultQuestionnaire, comment: { code: 'Gop_Y', label: 'Góp ý', maxLength: 100 } };
    const headers = ['questionnaire_code', ...Object.keys(criteria).slice(0, -1), 'gender', 'gop_y', 'comment'];
    expect(checkCsvHeader(q, headers)).toEqual([
      { row: 1, field: 'comment', message: 'cột không có trong mẫu (mã phiếu, đơn vị, kênh, mã tiêu chí, thông tin chung)' },
      { row: 1, message: 'thiếu cột tiêu chí E3' },
    ]);
    expect(checkCsvHeader(q, Object.keys(criteria))).toEqual([{ row: 1, message: 'cần cột questionnaire_code hoặc unit_code' }]);
    expect(readCsvRow({ ...context, questionnaire: q }, { ...criteria, unit_code: 'SNV', gop_y: 'Tốt' }).row.content.comment).toBe('Tốt');
  });
});
