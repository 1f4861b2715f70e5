/**
 * Prints the coverage of the unit interval, the false-star rate with no real change and the power
 * for real changes, by seeded simulation through computeWaveResults (analysis/fixtures/simulation.ts).
 * Run: npx tsx bench/uncertainty.ts [samples per cell, default 1000]
 */
import { coverage, population, POPULATIONS, starRate } from '../analysis/fixtures/simulation.js';

const samples = Number(process.argv[2] ?? 1000);
const FRAME = 2000;
const SIZES = [10, 25, 50];
const pct = (x: number) => `${(100 * x).toFixed(1).replace('.', ',')} %`;

console.log(`Độ phủ của khoảng tin cậy 95 % (${samples} mẫu mỗi ô; độ rộng trung bình, điểm %)`);
Object.entries(POPULATIONS).forEach(([name, mood], p) => {
  const pop = population(FRAME, 100 + p, mood);
  const cells = SIZES.map((n) => {
    const c = coverage(pop, n, samples, 7 * n + p);
    return `n=${n}: ${pct(c.coverage)} (rộng ${c.width.toFixed(1).replace('.', ',')})`;
  });
  console.log(`  ${name.padEnd(44)} ${cells.join('   ')}`);
});

console.log('\nTỷ lệ gắn dấu * khi không có thay đổi thật (sai), năm trước từ phiếu gốc / đã công bố');
Object.entries(POPULATIONS).forEach(([name, mood], p) => {
  const pop = population(FRAME, 200 + p, mood);
  const cells = SIZES.map((n) => `n=${n}: ${pct(starRate(pop, pop, n, samples, 31 + p, 'raw'))} / ${pct(starRate(pop, pop, n, samples, 31 + p, 'published'))}`);
  console.log(`  ${name.padEnd(44)} ${cells.join('   ')}`);
});

console.log('\nĐộ nhạy (tỷ lệ gắn dấu * khi có thay đổi thật), năm trước từ phiếu gốc / đã công bố');
const changes: [string, string][] = [
  ['điển hình ~85 %', 'cao ~95 %'],
  ['8 % rất không hài lòng', 'cao ~95 %'],
];
changes.forEach(([from, to], p) => {
  const before = population(FRAME, 300 + p, POPULATIONS[from]);
  const after = population(FRAME, 310 + p, POPULATIONS[to]);
  const cells = SIZES.map((n) => `n=${n}: ${pct(starRate(before, after, n, samples, 41 + p, 'raw'))} / ${pct(starRate(before, after, n, samples, 41 + p, 'published'))}`);
  console.log(`  ${`${from} → ${to}`.padEnd(44)} ${cells.join('   ')}`);
});
