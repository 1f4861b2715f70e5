import { describe, expect, it } from 'vitest';
import { responsesWithShare, settings, unit } from './fixtures/builders.js';
import { defaultQuestionnaire } from './questionnaire.js';
import { barChartSvg, escapeHtml, reportHtml, summarySentence } from './report-html.js';
import type { PreviousYear } from './types.js';
import { computeWaveResults } from './wave-results.js';

function results(previous: PreviousYear) {
  return computeWaveResults({
    year: 2024,
    questionnaire: defaultQuestionnaire,
    units: [
      { ...unit('P'), name: 'Sở <Thử> & "Nghiệm"' },
      unit('Q'),
      unit('N', 'department', []),
      unit('C1', 'commune'),
    ],
    responses: [
      ...responsesWithShare('P', 19, 20),
      ...responsesWithShare('Q', 15, 20),
      ...responsesWithShare('N', 14, 20),
      ...responsesWithShare('C1', 17, 20),
    ],
    previous,
    settings: settings(),
  });
}

const raw: PreviousYear = {
  source: 'raw',
  year: 2023,
  units: [unit('P'), unit('Q'), unit('C1', 'commune')],
  responses: [...responsesWithShare('P', 18, 20), ...responsesWithShare('Q', 15, 20), ...responsesWithShare('C1', 18, 20)],
};

describe('summary sentences', () => {
  it('words zero counts as "không có", pads others, and mentions unchanged and new units', () => {
    const r = results(raw);
    expect(summarySentence(r.groups[0], r)).toBe(
      'Bình quân Chỉ số hài lòng của các sở, ban, ngành đạt 80,00 %, giảm 2,50 điểm % so với năm 2023 (82,50 %); ' +
        'có 01 cơ quan có Chỉ số hài lòng từ 90 % trở lên, không có cơ quan từ 80 % đến dưới 90 %, 02 cơ quan dưới 80 %; ' +
        '01 cơ quan tăng, không có cơ quan giảm, 01 cơ quan không đổi, 01 cơ quan mới (không so sánh). Điểm CCHC: 25,60/32.',
    );
    expect(summarySentence(r.groups[1], r)).toContain('UBND các xã, phường, đặc khu đạt 85,00 %, giảm 5,00 điểm %');
  });

  it('leaves out the comparison when there is no previous year', () => {
    const r = results(null);
    expect(summarySentence(r.groups[0], r)).toBe(
      'Bình quân Chỉ số hài lòng của các sở, ban, ngành đạt 80,00 %; có 01 cơ quan có Chỉ số hài lòng từ 90 % trở lên, ' +
        'không có cơ quan từ 80 % đến dưới 90 %, 02 cơ quan dưới 80 %. Điểm CCHC: 25,60/32.',
    );
  });
});

describe('report HTML', () => {
  it('escapes all text', () => {
    const html = reportHtml(results(raw), { province: '<b>An Giang</b>' });
    expect(html).not.toContain('<Thử>');
    expect(html).not.toContain('<b>An Giang</b>');
    expect(html).toContain('Sở &lt;Thử&gt; &amp; &quot;Nghiệm&quot;');
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe('&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
  });

  it('charts every element this year vs last year per kind when last year is raw', () => {
    const html = reportHtml(results(raw));
    // Per kind: the unit index plus the five elements.
    expect(html.match(/<svg /g)).toHaveLength(12);
    expect(html).toContain('Yếu tố C. Công chức – Sở, ban, ngành');
    expect(html).toContain('Năm 2023');
    expect(html).toContain('size: A4');
    // Printed, each kind's heading stays with its first chart (test/browser-report-print.test.ts).
    expect(html).toContain('<div class="keep"><h3>Sở, ban, ngành</h3>\n<figure><svg ');
    expect(html).toContain('<div class="keep"><h3>UBND cấp xã</h3>\n<figure><svg ');
  });

  it('charts the unit index only, and says so, when last year is published figures', () => {
    const html = reportHtml(
      results({
        source: 'published',
        year: 2023,
        rows: [{ unitCode: 'P', unitName: 'P', index: 90, respondents: 20 }],
      }),
    );
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('chỉ có Chỉ số hài lòng đã công bố');
    expect(html).toContain('sai số của năm đó được ước từ số phiếu đã công bố với hệ số thiết kế của năm 2024');
  });

  it('draws bars proportional to the value on a 0–100 axis and marks missing values', () => {
    const svg = barChartSvg('T', ['a', 'b'], [{ label: 'x', values: [50, null], color: '#000' }]);
    const plotWidth = 720 - 240 - 60;
    expect(svg).toContain(`width="${(plotWidth / 2).toFixed(2)}"`);
    expect(svg).toContain('>50,00<');
    expect(svg).toContain('>–<');
  });
});
