import { describe, expect, it } from 'vitest';
import { unitSearch } from './unit-search.js';

describe('unitSearch', () => {
  const units = [
    { code: '30292', name: 'UBND Phường Bình Đức' },
    { code: '30316', name: 'UBND Phường Châu Đốc' },
    { code: 'SNV', name: 'Sở Nội vụ' },
  ];
  const found = (typed: string) => {
    const matches = unitSearch(typed);
    return matches ? units.filter(matches).map((u) => u.code) : null;
  };

  it('finds by part of the name without accents or case, and by part of the code', () => {
    expect(found('chau doc')).toEqual(['30316']);
    expect(found('CHÂU  ĐỐC'.normalize('NFD'))).toEqual(['30316']);
    expect(found('phường')).toEqual(['30292', '30316']);
    expect(found('303')).toEqual(['30316']);
    expect(found('snv')).toEqual(['SNV']);
    expect(found('Long Xuyên')).toEqual([]);
  });

  it('is no search at all when nothing was typed', () => {
    expect(found('  ')).toBeNull();
  });
});
