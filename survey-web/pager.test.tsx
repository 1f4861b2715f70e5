import { describe, expect, it } from 'vitest';
import { listHref, Pager, type ListView } from './pager';

const view: ListView = { base: '/waves/2023/draw', anchor: 'danh-sach', q: '23-U01 & x', unit: 'SNV', page: 5, pageCount: 12, total: 1150 };

describe('listHref', () => {
  it('keeps the search and the unit, encoded, leaves out page 1 and empty filters', () => {
    expect(listHref(view, 6)).toBe('/waves/2023/draw?q=23-U01+%26+x&unit=SNV&page=6#danh-sach');
    expect(listHref({ base: '/l', q: '', unit: '' }, 1)).toBe('/l');
  });
});

describe('Pager', () => {
  it('says which page of how many, and links the first, the last and the pages near the current one', async () => {
    const html = String(await (<Pager view={view} />)).replace(/&amp;/g, '&');
    expect(html).toContain('Trang 5/12 · 1.150 dòng khớp với tìm kiếm');
    const pages = [...html.matchAll(/aria-label="Trang (\d+)"/g)].map((m) => Number(m[1]));
    expect(pages).toEqual([1, 3, 4, 6, 7, 12]);
    expect(html).toContain('<strong aria-current="page">5</strong>');
    expect(html).toContain('href="/waves/2023/draw?q=23-U01+%26+x&unit=SNV&page=4#danh-sach" rel="prev"');
    expect(html.match(/…/g)).toHaveLength(2);
  });

  it('has no links when everything fits on one page', async () => {
    const html = String(await (<Pager view={{ ...view, q: '', unit: '', page: 1, pageCount: 1, total: 7 }} rowsLabel="đơn vị" />));
    expect(html).toContain('Trang 1/1 · 7 đơn vị');
    expect(html).not.toContain('href=');
  });
});
