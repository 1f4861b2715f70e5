import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { responsesWithShare, settings, unit } from './fixtures/builders.js';
import { defaultQuestionnaire } from './questionnaire.js';
import { vietnameseUnitCsv } from './unit-csv-vi.js';
import { computeWaveResults } from './wave-results.js';

const units = [
  { ...unit('SLDTBXH'), name: 'Sở Lao động - Thương binh và Xã hội' },
  { ...unit('SVH'), name: 'Sở Văn hóa; Thể thao' },
  { ...unit('MOI', 'department', []), name: '=HYPERLINK("http://x","y")' },
  { ...unit('LXU', 'district'), name: 'Thành phố Long Xuyên' },
];
const responses = [
  ...responsesWithShare('SLDTBXH', 23, 25),
  ...responsesWithShare('SVH', 20, 24),
  ...responsesWithShare('MOI', 7, 8),
  ...responsesWithShare('LXU', 21, 24),
];

function parse(csv: string): Record<string, string>[] {
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const parsed = Papa.parse<Record<string, string>>(csv.slice(1), { header: true, delimiter: ';', skipEmptyLines: true });
  expect(parsed.errors).toEqual([]);
  return parsed.data;
}

describe('the unit table as a Vietnamese CSV', () => {
  const results = computeWaveResults({
    year: 2024,
    questionnaire: defaultQuestionnaire,
    units,
    responses,
    previous: {
      source: 'published',
      year: 2023,
      rows: [
        { unitCode: 'SLDTBXH', unitName: '', index: 94.1234, respondents: 25 },
        { unitCode: 'SVH', unitName: '', index: 86.5, respondents: 25 },
        { unitCode: 'LXU', unitName: '', index: 90, respondents: null },
      ],
    },
    settings: settings({ minRespondents: 10 }),
  });
  const csv = vietnameseUnitCsv(results);
  const rows = parse(csv);
  const row = (code: string) => rows.find((r) => r['Mã đơn vị'] === code)!;

  it('is ";"-separated with Vietnamese headers, CRLF and no "sep=" line (Excel would then ignore the BOM)', () => {
    expect(csv.slice(1, csv.indexOf('\r\n')).split(';').slice(0, 11)).toEqual([
      'Mã đơn vị',
      'Tên đơn vị',
      'Nhóm đơn vị',
      'Số phiếu hợp lệ',
      'Chỉ số SIPAS (%)',
      'Khoảng tin cậy 95 %',
      'Chỉ số năm 2023 (%)',
      'Thay đổi so với năm trước (điểm %)',
      'Khoảng tin cậy 95 % của thay đổi',
      'Thay đổi có ý nghĩa thống kê',
      'Mức',
    ]);
    expect(csv).not.toMatch(/^\uFEFF?sep=/);
    expect(csv.split('\r\n')).toHaveLength(units.length + 2);
  });

  it('writes numbers rounded to 2 decimals with comma decimals and no "%" in the cell, so Excel reads them as numbers', () => {
    const lao = row('SLDTBXH');
    expect(lao).toMatchObject({
      'Tên đơn vị': 'Sở Lao động - Thương binh và Xã hội',
      'Nhóm đơn vị': 'Sở, ban, ngành',
      'Số phiếu hợp lệ': '25',
      'Chỉ số SIPAS (%)': '92,00',
      'Chỉ số năm 2023 (%)': '94,12',
      'Thay đổi so với năm trước (điểm %)': '-2,12',
      'Mức': 'Từ 90 % trở lên',
      'A. Tiếp cận dịch vụ (%)': '92,00',
    });
    expect(lao['Khoảng tin cậy 95 %']).toMatch(/^từ \d+,\d\d đến \d+,\d\d$/);
    expect(lao['Khoảng tin cậy 95 % của thay đổi']).toMatch(/^từ -\d+,\d\d đến \d+,\d\d$/);
    expect(lao['Thay đổi có ý nghĩa thống kê']).toMatch(/^(Có|Không)$/);
    for (const u of results.units) {
      const cell = row(u.code)['Chỉ số SIPAS (%)'];
      expect(cell).toMatch(/^\d{1,3},\d\d$/);
      expect(cell).toBe(u.index!.toFixed(2).replace('.', ','));
    }
    // A text cell holding the separator is quoted and reads back whole.
    expect(row('SVH')['Tên đơn vị']).toBe('Sở Văn hóa; Thể thao');
  });

  it('says "mới" for a new unit, "không kiểm định được" without last year\'s count, and why a unit is not ranked', () => {
    expect(row('MOI')).toMatchObject({
      'Thay đổi so với năm trước (điểm %)': 'mới',
      'Thay đổi có ý nghĩa thống kê': '',
      'Xếp hạng trong nhóm': '',
      'Ghi chú': 'Dưới 10 phiếu hợp lệ, không xếp hạng; Khoảng tin cậy rộng hơn một mức: mức và thứ hạng chưa đủ tin cậy',
    });
    expect(row('LXU')['Thay đổi có ý nghĩa thống kê']).toBe('không kiểm định được');
  });

  it('keeps the formula protection of every CSV the platform writes', () => {
    expect(row('MOI')['Tên đơn vị']).toBe(`'=HYPERLINK("http://x","y")`);
  });

  it('leaves out the comparison columns when there is no previous year', () => {
    const alone = parse(vietnameseUnitCsv(computeWaveResults({ year: 2024, questionnaire: defaultQuestionnaire, units, responses, previous: null, settings: settings() })));
    expect(Object.keys(alone[0])).not.toContain('Thay đổi so với năm trước (điểm %)');
    expect(Object.keys(alone[0]).slice(0, 7)).toEqual(['Mã đơn vị', 'Tên đơn vị', 'Nhóm đơn vị', 'Số phiếu hợp lệ', 'Chỉ số SIPAS (%)', 'Khoảng tin cậy 95 %', 'Mức']);
  });
});
