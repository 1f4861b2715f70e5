import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawSample } from './draw-sample';
import { scanFrame } from './frame';
import { csv, row, source } from './test-support';
import type { DrawOptions } from './types';

/**
 * Identity rules 2 (method 1.2.0): a row without a usable number is the person who carries,
 * under the same name and address in the same unit, exactly one number elsewhere in the frame.
 * Links are decided after the file's one read, from its row log (frame-replay.ts), where rows
 * of repeated dossier codes are rejected first: a frame with repeats must give what the frame
 * without the repeated codes' rows gives, since those rows are rejected whatever else they hold.
 */

const PEOPLE = [
  { name: 'Nguyễn Văn An', address: 'Số 1, đường Lê Lợi, phường Mỹ Bình', id: '089123456789' },
  { name: 'NGUYỄN VĂN AN', address: 'số 1, đường lê lợi, phường mỹ bình', id: '089123456780' },
  { name: 'Trần Thị Bình', address: 'Ấp Long Hòa, Chợ Mới', id: '001234567890' },
  { name: 'Lê Văn Ba', address: 'Tổ 3, khóm Đông Thịnh', id: '079000000123' },
  { name: 'Võ Thị Ánh'.normalize('NFD'), address: 'Ấp Mỹ Hòa, xã Tân Hòa', id: '089200000009' },
  { name: 'Công ty TNHH Bình Minh', address: 'Lô A2, KCN Bình Hòa', id: '' },
];

const rowArbitrary = fc.record({
  code: fc.integer({ min: 0, max: 40 }),
  unit: fc.constantFrom('CMO', 'CMO', 'LXU'),
  person: fc.integer({ min: 0, max: PEOPLE.length - 1 }),
  withId: fc.boolean(),
  date: fc.constantFrom('15/03/2023', '01/02/2022', ''),
});

const OPTIONS: DrawOptions = {
  units: [
    { code: 'CMO', name: 'Huyện Chợ Mới' },
    { code: 'LXU', name: 'Thành phố Long Xuyên' },
  ],
  period: { from: '2023-01-01', to: '2023-12-31' },
  seed: 'lien-ket-2023',
  allocation: { kind: 'fixed', perUnit: 3 },
  reservePercent: 50,
};

type RowSpec = typeof rowArbitrary extends fc.Arbitrary<infer T> ? T : never;

// A last row whose code is never repeated, so that no frame compared is empty.
const text = (rows: RowSpec[]) =>
  csv([
    ...rows.map((r) => row({ code: `HS${r.code}`, unit: r.unit, date: r.date, name: PEOPLE[r.person].name, address: PEOPLE[r.person].address, id: r.withId ? PEOPLE[r.person].id : '' })),
    row({ code: 'HS-last', unit: 'LXU', id: '089999999999' }),
  ]);

describe('identity rules 2 with repeated dossier codes', () => {
  it('links rows without a number as the frame without the repeated codes does (seeded property test)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArbitrary, { minLength: 1, maxLength: 40 }), async (rows) => {
        const uses = new Map<number, number>();
        for (const r of rows) uses.set(r.code, (uses.get(r.code) ?? 0) + 1);
        const once = rows.filter((r) => uses.get(r.code) === 1);
        const whole = await drawSample(() => source(text(rows), 97), OPTIONS);
        const clean = await drawSample(() => source(text(once), 97), OPTIONS);
        expect(whole.units).toEqual(clean.units);
        expect(whole.entries).toEqual(clean.entries);
        const [wholeScan, cleanScan] = await Promise.all([text(rows), text(once)].map((t) => scanFrame(source(t), OPTIONS)));
        expect(wholeScan.report.eligibleByUnit).toEqual(cleanScan.report.eligibleByUnit);
        expect(wholeScan.report.personsMerged).toBe(cleanScan.report.personsMerged);
      }),
      { seed: 20261202, numRuns: 300 },
    );
  });

  it('links rows through numbers seen before or after them, never through a rejected row, reading the file once', async () => {
    const draw = async (rows: string[]) => {
      let reads = 0;
      const result = await drawSample(() => (reads++, source(csv(rows))), OPTIONS);
      // Once whole; once more only for the bytes of the drawn rows.
      expect(reads).toBe(2);
      return result;
    };
    const an = PEOPLE[0];
    const company = PEOPLE[5];
    const repeat = [row({ code: 'R1', id: '089000000001' }), row({ code: 'R1', id: '089000000002' })];

    // An's rows without a number all repeat a code (rejected): the row with his number links nothing.
    const rejected = await draw([
      row({ code: 'A1', name: an.name, address: an.address, id: '' }),
      row({ code: 'A1', name: an.name, address: an.address, id: '' }),
      row({ code: 'A2', name: an.name, address: an.address, id: an.id }),
      row({ code: 'C1', name: company.name, address: company.address, id: '' }),
    ]);
    expect(rejected.units.find((u) => u.unitCode === 'CMO')?.eligible).toBe(2);

    // An's row without a number comes after a repeat and before the row with his number: ranked as him.
    const linked = await draw([
      ...repeat,
      row({ code: 'A1', name: an.name, address: an.address, id: '' }),
      row({ code: 'A2', name: an.name, address: an.address, id: an.id }),
    ]);
    expect(linked.units.find((u) => u.unitCode === 'CMO')?.eligible).toBe(1);
    expect(linked.report.personsMerged).toBe(1);
  });
});
