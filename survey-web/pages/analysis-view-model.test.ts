import { describe, expect, it } from 'vitest';
import { responsesWithShare, settings, unit } from '../../analysis/fixtures/builders';
import { defaultQuestionnaire } from '../../analysis/questionnaire';
import type { PreviousYear } from '../../analysis/types';
import { computeWaveResults } from '../../analysis/wave-results';
import { analysisPageModel, parseAnalysisView, sortUnits, viewQuery } from './analysis-view-model';

const previous: PreviousYear = {
  source: 'published',
  year: 2023,
  rows: [
    { unitCode: 'P', unitName: 'P', index: 85, respondents: 20 },
    { unitCode: 'Q', unitName: 'Q', index: 70, respondents: 20 },
  ],
};

// P 90 %, Q 60 %, R (new, 2 answers: below the minimum of 5) 50 %, D1 a district without answers.
const results = computeWaveResults({
  year: 2024,
  questionnaire: defaultQuestionnaire,
  units: [unit('Q'), unit('P'), unit('R', 'department', []), unit('D1', 'district')],
  responses: [...responsesWithShare('P', 9, 10), ...responsesWithShare('Q', 6, 10), ...responsesWithShare('R', 1, 2)],
  previous,
  settings: settings({ minRespondents: 5 }),
});
const wave = { year: 2024, name: 'Khảo sát 2024' };
const model = (query: Record<string, string | undefined> = {}, canImport = true) =>
  analysisPageModel({ wave, results, query, canImport, publishedRows: 2 });

describe('the view read from the address', () => {
  it('keeps known sort keys (element codes too) and kinds, and drops anything else', () => {
    expect(parseAnalysisView({ sort: 'A', dir: 'desc', kind: 'district' }, results)).toEqual({ sort: 'A', dir: 'desc', kind: 'district' });
    expect(parseAnalysisView({ sort: 'Z', dir: 'up', kind: 'commune' }, results)).toEqual({ sort: null, dir: 'asc', kind: null });
  });

  it('links keep the filter and write dir only when descending', () => {
    const view = { sort: 'index', dir: 'desc' as const, kind: 'department' as const };
    expect(viewQuery(view, {})).toBe('?kind=department&sort=index&dir=desc');
    expect(viewQuery(view, { sort: 'name', dir: 'asc' })).toBe('?kind=department&sort=name');
    expect(viewQuery({ sort: null, dir: 'asc', kind: null }, {})).toBe('?');
  });
});

describe('unit order', () => {
  it('puts units without a value last in both directions', () => {
    const units = results.units.filter((u) => u.kind === 'department');
    expect(sortUnits(units, { sort: 'delta', dir: 'desc', kind: null }).map((u) => u.code)).toEqual(['P', 'Q', 'R']);
    expect(sortUnits(units, { sort: 'delta', dir: 'asc', kind: null }).map((u) => u.code)).toEqual(['Q', 'P', 'R']);
    expect(sortUnits(units, { sort: 'rank', dir: 'asc', kind: null }).map((u) => u.code)).toEqual(['P', 'Q', 'R']);
  });
});

describe('the dashboard model', () => {
  it('states what was counted and what it is compared with', () => {
    expect(model().intro).toBe('22 phiếu hợp lệ được tính chỉ số. So sánh với năm 2023 theo chỉ số đã công bố (nhập từ tệp).');
    expect(model().tableNote).toBe(
      'Bấm vào tiêu đề cột để sắp xếp. Dưới chỉ số là khoảng tin cậy 95 %, dưới mức tăng/giảm là khoảng tin cậy của nó. ' +
        'Khoảng tin cậy 95 %: Korn–Graubard (Clopper–Pearson trên cỡ mẫu hiệu dụng từ phương sai jackknife, có hiệu chỉnh quần thể hữu hạn khi biết số người đủ điều kiện). ' +
        'Dấu ≈ : Khoảng tin cậy rộng hơn 10 điểm % (một mức xếp loại): mức và thứ hạng của đơn vị chưa đủ tin cậy. ' +
        'Dấu * : khoảng tin cậy 95 % của mức tăng/giảm (MOVER) không chứa 0; năm 2023 chỉ có chỉ số đã công bố, nên sai số của năm đó được ước từ số phiếu đã công bố với hệ số thiết kế của năm 2024. ' +
        'Đơn vị không có số phiếu năm 2023: "không kiểm định được", khoảng của mức tăng/giảm chỉ tính sai số năm 2024. ' +
        '"mới": đơn vị không có số liệu năm trước. Đơn vị có dưới 5 phiếu hợp lệ được đánh dấu và không xếp hạng.',
    );
  });

  it('formats every cell of a unit row, marking new and below-minimum units', () => {
    const [departments, districts] = model().unitTables;
    const [p, q, r] = departments.rows;
    expect(p).toMatchObject({ code: 'P', index: '90,00 %', prev: '85,00 %', delta: '+5,00', band: 'high', bandLabel: '≥ 90 %', rank: '1', points: '28,80', belowMinimum: null });
    expect(q).toMatchObject({ index: '60,00 %', delta: '-10,00', bandLabel: '< 80 %', rank: '2' });
    expect(r).toMatchObject({ delta: 'mới', rank: '–', belowMinimum: '(dưới 5 phiếu)', significant: false });
    expect(p.elements).toEqual(['90,00', '90,00', '90,00', '90,00', '90,00']);
    expect(districts.rows[0]).toMatchObject({ code: 'D1', index: '–', ci: null, bandLabel: '–', points: '–' });
  });

  it('marks the active sort column with its direction and offers the other one', () => {
    const headers = model({ sort: 'index', dir: 'desc' }).unitTables[0].headers;
    const index = headers.find((h) => h.label.startsWith('Chỉ số'))!;
    expect(index).toMatchObject({ label: 'Chỉ số ▼', ariaSort: 'descending', href: '?sort=index' });
    // Numbers first sort best-first, names and ranks A to Z / 1 first.
    expect(headers.find((h) => h.label === 'Điểm CCHC')!.href).toBe('?sort=points&dir=desc');
    expect(headers.find((h) => h.label === 'Hạng')!.href).toBe('?sort=rank');
    expect(headers.find((h) => h.label === 'Mức')).toEqual({ label: 'Mức', numeric: false });
    expect(headers.map((h) => h.label)).toContain('Năm 2023');
  });

  it('filters groups and tables by kind', () => {
    const districtsOnly = model({ kind: 'district' });
    expect(districtsOnly.groups.map((g) => g.kind)).toEqual(['district']);
    expect(districtsOnly.unitTables.map((t) => t.heading)).toEqual(['UBND cấp huyện']);
    expect(districtsOnly.kindLinks.map((l) => [l.label, l.href, l.current])).toEqual([
      ['Tất cả', '?', false],
      ['Sở, ban, ngành', '?kind=department', false],
      ['UBND cấp huyện', '?kind=district', true],
    ]);
  });

  it('shows last year in the group figures', () => {
    const departments = model().groups[0];
    expect(departments.heading).toBe('Sở, ban, ngành (3 đơn vị, 22 phiếu hợp lệ)');
    expect(departments.figures.slice(0, 3)).toEqual([
      { label: 'Bình quân', value: '66,67 %', big: true },
      { label: 'Năm 2023', value: '77,50 %' },
      { label: 'Tăng/giảm', value: '-10,83 điểm %' },
    ]);
    expect(departments.figures.find((f) => f.label === 'Tăng / giảm / không đổi / mới')!.value).toBe('1 / 1 / 0 / 1');
  });

  it('offers the previous-year upload only to those who may import', () => {
    expect(model().previousImport).toEqual({
      heading: 'Chỉ số đã công bố năm 2023',
      status: 'Đã nhập 2 đơn vị. Dùng khi hệ thống không có phiếu gốc của năm 2023; tệp mới thay toàn bộ bảng cũ.',
      action: '/waves/2024/analysis/previous',
    });
    expect(model({}, false).previousImport).toBeNull();
    expect(model().downloads[0]).toEqual({ href: '/waves/2024/analysis/report.html', label: 'Báo cáo in được (HTML)' });
  });
});
