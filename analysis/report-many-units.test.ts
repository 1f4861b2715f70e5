import { describe, expect, it } from 'vitest';
import { MERGED_MIN_RESPONDENTS, mergedProvinceResults } from './fixtures/merged-province.js';
import { indexHistogram, MANY_UNITS, reportHtml, summarySentence } from './report-html.js';
import { KIND_LABELS, personTableCsv, personTables } from './tables.js';

const results = mergedProvinceResults();
const communes = results.units.filter((u) => u.kind === 'commune');
const html = reportHtml(results, { province: 'An Giang' });

/** The section of the report between the communes' heading and the next section. */
const communeSection = html.slice(html.indexOf('<h3>UBND cấp xã</h3>'), html.indexOf('<section class="tables">'));

/** Bar labels of the chart titled `title`, top to bottom. */
function barLabels(section: string, title: string): string[] {
  const start = section.indexOf(`<title>${title}`);
  const svg = section.slice(start, section.indexOf('</svg>', start));
  return [...svg.matchAll(/<text [^>]*text-anchor="end">(.*?)<\/text>/g)].map((m) => m[1].replace(/<tspan[^>]*>(.*?)<\/tspan>/g, '$1 ').trim());
}

describe('a merged province: 13 departments and 102 communes', () => {
  it('computes the commune group as the district group: average, count at or above 90 %, best and worst', () => {
    expect(communes).toHaveLength(102);
    const group = results.groups.find((g) => g.kind === 'commune')!;
    const indexes = communes.map((u) => u.index!);
    expect(group.average).toBeCloseTo(indexes.reduce((a, b) => a + b, 0) / indexes.length, 10);
    expect(group.atOrAbove90).toBe(indexes.filter((i) => i >= 90).length);
    expect(group.bandCounts.high + group.bandCounts.mid + group.bandCounts.low).toBe(102);
    expect(group.new).toBe(102);
    const best = Math.max(...communes.filter((u) => !u.belowMinimum).map((u) => u.index!));
    expect(communes.find((u) => u.rank === 1)!.index).toBe(best);
    expect(communes.filter((u) => u.rank === null).map((u) => u.respondents)).toEqual([MERGED_MIN_RESPONDENTS - 2, MERGED_MIN_RESPONDENTS - 2]);
    expect(summarySentence(group, results)).toMatch(/^Bình quân Chỉ số hài lòng của UBND các xã, phường, đặc khu đạt \d+,\d\d %/);
    const groupsTable = personTables(results)[1];
    expect(groupsTable.rows.map((r) => r[0])).toEqual(['Sở, ban, ngành', 'UBND cấp xã']);
    expect(groupsTable.rows[1][1]).toBe(102);
    const csv = personTableCsv(groupsTable);
    expect(csv).toContain('\nUBND cấp xã,102,');
  });

  it('keeps one bar per unit for the 13 departments and draws the communes as distribution, extremes and ranking', () => {
    expect(communes.length).toBeGreaterThan(MANY_UNITS);
    // Departments: index + 5 elements; communes: histogram, top ten, bottom ten, element averages.
    expect(html.match(/<svg /g)).toHaveLength(10);
    expect(html).toContain('<div class="keep"><h3>UBND cấp xã</h3>\n<figure><svg class="chart histogram"');
    expect(communeSection).not.toContain('Yếu tố A.');
  });

  it('names the ten best and the ten worst ranked communes, in rank order', () => {
    const ranked = communes.filter((u) => u.rank !== null).sort((a, b) => a.rank! - b.rank! || b.index! - a.index! || a.code.localeCompare(b.code));
    const label = (u: (typeof ranked)[number]) => `${u.rank}. ${u.name}`;
    expect(barLabels(communeSection, '10 đơn vị có chỉ số cao nhất')).toEqual(ranked.slice(0, 10).map(label));
    expect(barLabels(communeSection, '10 đơn vị có chỉ số thấp nhất')).toEqual(ranked.slice(-10).map(label));
  });

  it('counts the communes per 5-point bin as a hand count does, with the band limits marked', () => {
    const hand = new Map<number, number>();
    for (const u of communes) {
      let from = 0;
      while (from + 5 <= u.index! && from < 95) from += 5;
      hand.set(from, (hand.get(from) ?? 0) + 1);
    }
    const drawn = [...communeSection.matchAll(/data-from="(\d+)" data-count="(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    const lowest = Math.min(...hand.keys());
    const expected = [];
    for (let from = lowest; from <= 95; from += 5) expected.push([from, hand.get(from) ?? 0]);
    expect(drawn).toEqual(expected);
    expect(drawn.reduce((s, [, n]) => s + n, 0)).toBe(102);
    expect(communeSection).toContain('>80 %</text>');
    expect(communeSection).toContain('>90 %</text>');
    expect(indexHistogram([100, 95, 94.99, 0])).toEqual([
      ...Array.from({ length: 19 }, (_, i) => ({ from: i * 5, to: i * 5 + 5, count: i === 0 || i === 18 ? 1 : 0 })),
      { from: 95, to: 100, count: 2 },
    ]);
  });

  it('lists every commune once in the ranking table, the unranked ones last', () => {
    const table = communeSection.slice(communeSection.indexOf('<h4>Xếp hạng UBND cấp xã (102 đơn vị)</h4>'));
    const rows = [...table.matchAll(/<tr><td>([^<]*)<\/td><td>([^<]*)<\/td>/g)].map((m) => ({ rank: m[1], code: m[2] }));
    expect(rows).toHaveLength(102);
    expect(new Set(rows.map((r) => r.code)).size).toBe(102);
    expect(rows.slice(-2).map((r) => r.rank)).toEqual(['–', '–']);
    expect(rows[0].rank).toBe('1');
    expect(KIND_LABELS.commune.group).toBe('UBND cấp xã');
  });
});
