import { describe, expect, it } from 'vitest';
import { parseDecimal, parsePublishedIndexes } from './published.js';

describe('published unit indexes of last year', () => {
  it('reads the SIPAS.md s.13 columns with a BOM and dot or comma decimals', () => {
    const csv = '\uFEFFunit_code,unit_name,index,respondents\r\nSNV,Sở Nội vụ,87.52,25\r\nSTP,Sở Tư pháp,"92,56",\r\n';
    expect(parsePublishedIndexes(csv)).toEqual({
      rows: [
        { unitCode: 'SNV', unitName: 'Sở Nội vụ', index: 87.52, respondents: 25 },
        { unitCode: 'STP', unitName: 'Sở Tư pháp', index: 92.56, respondents: null },
      ],
      errors: [],
    });
  });

  it('accepts Vietnamese headers, semicolons, percent signs and a unit kind', () => {
    const csv = 'Mã đơn vị;Tên đơn vị;Chỉ số hài lòng;Số phiếu;Loại đơn vị\nLXU;TP Long Xuyên;89,55 %;24;district\n';
    expect(parsePublishedIndexes(csv).rows).toEqual([
      { unitCode: 'LXU', unitName: 'TP Long Xuyên', index: 89.55, respondents: 24, unitKind: 'district' },
    ]);
  });

  it('reports every bad row with its line number', () => {
    const csv = 'unit_code,unit_name,index,respondents\nA,a,101,\nA,a,80,2.5\n,b,80,\nC,c,abc,\nD,d,70,10\nD,d,71,10\n';
    const r = parsePublishedIndexes(csv);
    expect(r.rows.map((x) => x.unitCode)).toEqual(['D']);
    expect(r.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 7]);
    expect(r.errors[0].message).toContain('0 đến 100');
    expect(r.errors[4].message).toContain('trùng');
  });

  it('refuses a file without the index column', () => {
    expect(parsePublishedIndexes('unit_code,unit_name\nA,a\n').errors).toEqual([{ line: 1, message: 'thiếu cột index' }]);
  });

  it('parses decimals written either way', () => {
    expect([parseDecimal('88,56'), parseDecimal('88.56'), parseDecimal('1.234,5'), parseDecimal('x'), parseDecimal('')]).toEqual([
      88.56,
      88.56,
      1234.5,
      null,
      null,
    ]);
  });
});
