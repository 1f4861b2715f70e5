import { describe, expect, it } from 'vitest';
import { computeWaveResults } from '../../../analysis/wave-results';
import { response, settings, unit } from '../../../analysis/fixtures/builders';
import { defaultQuestionnaire } from '../../../analysis/questionnaire';
import { buildExport, contentDisposition, parseExportFormat, parseTableName } from './analysis-exports';

describe('contentDisposition', () => {
  it('gives an ASCII name for old clients and the exact UTF-8 name for the rest', () => {
    expect(contentDisposition('Báo cáo SIPAS 2023 (Đợt 1).html')).toBe(
      `attachment; filename="Bao_cao_SIPAS_2023_Dot_1_.html"; filename*=UTF-8''B%C3%A1o%20c%C3%A1o%20SIPAS%202023%20%28%C4%90%E1%BB%A3t%201%29.html`,
    );
    expect(contentDisposition('sipas-2023-bao-cao.html', 'inline')).toBe(
      `inline; filename="sipas-2023-bao-cao.html"; filename*=UTF-8''sipas-2023-bao-cao.html`,
    );
  });

  it('cannot be broken out of by quotes or line breaks in a name', () => {
    const header = contentDisposition('a"b\r\nSet-Cookie: x.csv');
    expect(header).not.toMatch(/[\r\n]/);
    expect(header).toMatch(/^attachment; filename="a_b_Set-Cookie_x\.csv"; /);
  });
});

describe('buildExport', () => {
  const results = computeWaveResults({
    year: 2025,
    questionnaire: defaultQuestionnaire,
    units: [unit('X'), unit('Y', 'district')],
    responses: [response('X', 4), response('X', 3), response('Y', 5)],
    previous: null,
    settings: settings(),
  });

  it('csv without a table and with --table units is the machine table; other tables are person tables', async () => {
    const machine = await buildExport(results, { format: 'csv' });
    expect(machine).toEqual(await buildExport(results, { format: 'csv', table: 'units' }));
    expect(String(machine.body).split('\r\n')[1]).toMatch(/^2025,X,Đơn vị X,department,2,50,\d+\.\d+,\d+\.\d+,,,,low,16,50,50,50,50,50,,,,true$/);
    const groups = await buildExport(results, { format: 'csv', table: 'groups' });
    expect(String(groups.body)).toContain('"50,00 %"');
    expect(groups.fileName).toBe('sipas-2025-nhom-don-vi.csv');
  });

  it('json carries the machine table and, when asked, one person table with raw numbers', async () => {
    const plain = JSON.parse(String((await buildExport(results, { format: 'json' })).body));
    expect(plain.table).toBeUndefined();
    expect(plain.units.map((u: { index: number }) => u.index)).toEqual([50, 100]);
    const withTable = JSON.parse(String((await buildExport(results, { format: 'json', table: 'groups' })).body));
    expect(withTable.table.key).toBe('groups');
    expect(withTable.table.rows[0][3]).toBe(50);
  });

  it('rejects unknown formats and tables with the choices', () => {
    expect(() => parseExportFormat('pdf')).toThrowError('định dạng "pdf" không hỗ trợ: chọn một trong csv, xlsx, json, html');
    expect(() => parseTableName('people')).toThrowError('bảng "people" không có: chọn một trong units, groups, criteria, tracking, profile');
  });
});
