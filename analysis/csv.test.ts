import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { spreadsheetSafeText, toCsv } from './csv.js';

describe('spreadsheetSafeText', () => {
  it.each([
    // Anything Excel would evaluate gets an apostrophe, Vietnamese names included.
    ['=Nguyễn Văn A', "'=Nguyễn Văn A"],
    ['=HYPERLINK("http://x","y")', `'=HYPERLINK("http://x","y")`],
    ['=1+1', "'=1+1"],
    ['@Trần', "'@Trần"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1+1', "'\t=1+1"],
    ['\tLê Văn C', "'\tLê Văn C"],
    ['\r=1+1', "'\r=1+1"],
    ['-Lê Thị B', "'-Lê Thị B"],
    ['+cmd|\' /C calc\'!A0', "'+cmd|' /C calc'!A0"],
    ['-2+3+cmd|\' /C calc\'!A0', "'-2+3+cmd|' /C calc'!A0"],
    ['+SUM(A1:A9)', "'+SUM(A1:A9)"],
    ['-(A1)', "'-(A1)"],
    ['+1=1', "'+1=1"],
    ['-1!A', "'-1!A"],
    ['-1|x', "'-1|x"],
    ['+84 912 345 678 (Ông Minh)', "'+84 912 345 678 (Ông Minh)"],
    ['-１２', "'-１２"],
    // Numbers and phone numbers stay exactly as they are.
    ['-1,92', '-1,92'],
    ['+3,5', '+3,5'],
    ['-12.5', '-12.5'],
    ['-1.234,50', '-1.234,50'],
    ['-4,45 %', '-4,45 %'],
    ['-', '-'],
    ['+', '+'],
    ['+84 912 345 678', '+84 912 345 678'],
    ['+84-912-345-678', '+84-912-345-678'],
    ['+84 (28) 3822 1234', '+84 (28) 3822 1234'],
    ['(028) 3822 1234', '(028) 3822 1234'],
    ['0912345678', '0912345678'],
    // Ordinary text, including a formula character that is not first.
    ['Nguyễn Văn A', 'Nguyễn Văn A'],
    ['Sở Lao động - Thương binh và Xã hội', 'Sở Lao động - Thương binh và Xã hội'],
    ['a=1+1', 'a=1+1'],
    [' =1+1', ' =1+1'],
    ["'=1+1", "'=1+1"],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(spreadsheetSafeText(input)).toBe(expected);
  });
});

describe('toCsv and formula cells', () => {
  it('escapes text cells and headers, never the numbers it formats itself', () => {
    const csv = toCsv(
      [
        ['=SUM(A1)', -1.92, -0.5, 3, true, '-1,92'],
        ['@Trần', -1234.5, null, 0, false, '+84 912 345 678'],
      ],
      ['Tên', 'Tăng/giảm', 'Tỷ lệ', 'Số', 'Có ý nghĩa', '=E1. Góp ý'],
      { formats: ['text', 'number', 'percent', 'integer', 'text', 'text'] },
    );
    const rows = Papa.parse<string[]>(csv, { skipEmptyLines: true }).data;
    expect(rows).toEqual([
      ['Tên', 'Tăng/giảm', 'Tỷ lệ', 'Số', 'Có ý nghĩa', "'=E1. Góp ý"],
      ["'=SUM(A1)", '-1,92', '-0,50 %', '3', 'Có', '-1,92'],
      ["'@Trần", '-1.234,50', '', '0', 'Không', '+84 912 345 678'],
    ]);
  });

  it('keeps machine-readable negative numbers with dot decimals', () => {
    const csv = toCsv([{ unit_name: '-Lê Thị B', delta: -3.8766 }], ['unit_name', 'delta']);
    expect(csv).toBe("unit_name,delta\r\n'-Lê Thị B,-3.8766\r\n");
  });

  it('quotes an escaped cell that holds quotes or delimiters, so it still parses back', () => {
    const csv = toCsv([['=HYPERLINK("http://x","y")', 1]], ['name', 'n']);
    expect(csv).toBe(`name,n\r\n"'=HYPERLINK(""http://x"",""y"")",1\r\n`);
    expect(Papa.parse<string[]>(csv, { skipEmptyLines: true }).data[1]).toEqual([`'=HYPERLINK("http://x","y")`, '1']);
  });
});
