import { describe, expect, it } from 'vitest';
import { codeSearch, readListQuery } from './list-query';
import { makeQuestionnaireCode } from './questionnaire-codes';

describe('readListQuery', () => {
  it('reads page, search and unit, and takes the first of repeated values', () => {
    expect(readListQuery({ page: '3', q: ' 23-snv ', unit: 'SNV' })).toEqual({
      page: 3,
      q: '23-snv',
      unit: 'SNV',
      filter: { code: { text: '23-SNV', compact: '23SNV', exactCode: null }, unitCode: 'SNV' },
    });
    expect(readListQuery({ page: ['2', '5'] }).page).toBe(2);
  });

  it('reads a page that is not a positive whole number as the first, never as an error', () => {
    for (const page of [undefined, '', '0', '-2', '1.5', 'abc', '9999999', '1e3']) expect(readListQuery({ page }).page, String(page)).toBe(1);
  });

  it('leaves out empty filters, and cuts a search far longer than any code', () => {
    expect(readListQuery({ q: '   ', unit: '' }).filter).toEqual({});
    expect(readListQuery({ q: '-- ' }).filter).toEqual({});
    expect(readListQuery({ q: 'A'.repeat(500) }).q).toHaveLength(80);
  });
});

describe('codeSearch', () => {
  it('matches a whole code exactly, in any case and with or without hyphens, and a part of one by its letters and digits', () => {
    const code = makeQuestionnaireCode(2023, 'SNV', 42)!;
    expect(codeSearch(code.replace(/-/g, '').toLowerCase())?.exactCode).toBe(code);
    expect(codeSearch(code)?.exactCode).toBe(code);
    // A typo in the check character is not a whole code: it is searched as a part.
    const typo = `${code.slice(0, -1)}${code.endsWith('0') ? '1' : '0'}`;
    expect(codeSearch(typo)).toEqual({ text: typo, compact: typo.replace(/-/g, ''), exactCode: null });
    expect(codeSearch('ab.12/c')).toEqual({ text: 'AB.12/C', compact: 'AB12C', exactCode: null });
  });
});
