import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SAMPLING_CODE_VERSION, compareSamples, sampleLines } from './draw';
import { drawSample } from './draw-sample';
import { UNITS, csv, row, shuffled, source } from './test-support';
import type { DrawOptions } from './types';

function frame(): string[] {
  const rows: string[] = [];
  let code = 0;
  const next = (unit: string) => `${unit}-${String(++code).padStart(6, '0')}`;
  for (let i = 0; i < 120; i++) rows.push(row({ code: next('CMO'), unit: 'CMO', id: `0890${String(i).padStart(8, '0')}` }));
  // Some CMO people have two or three dossiers; some come without an id.
  for (let i = 0; i < 30; i++) rows.push(row({ code: next('CMO'), unit: 'CMO', id: `0890${String(i).padStart(8, '0')}` }));
  for (let i = 0; i < 10; i++) rows.push(row({ code: next('CMO'), unit: 'CMO', id: `0890${String(i).padStart(8, '0')}` }));
  for (let i = 0; i < 20; i++) rows.push(row({ code: next('CMO'), unit: 'CMO', name: `Người ${i}`, address: `Số ${i} Lê Lợi` }));
  for (let i = 0; i < 40; i++) rows.push(row({ code: next('LXU'), unit: 'LXU', id: `0891${String(i).padStart(8, '0')}` }));
  for (let i = 0; i < 3; i++) rows.push(row({ code: next('STP'), unit: 'STP', id: `0892${String(i).padStart(8, '0')}` }));
  return rows;
}

const ROWS = frame();
const OPTIONS: DrawOptions = {
  units: UNITS,
  seed: 'dot-khao-sat-2023',
  allocation: { kind: 'fixed', perUnit: 10 },
  reservePercent: 20,
};

const draw = (rows: string[], options: Partial<DrawOptions> = {}, chunkSize?: number) =>
  drawSample(() => source(csv(rows), chunkSize), { ...OPTIONS, ...options });

describe('drawSample', () => {
  it('draws n primary and ceil(n·r/100) reserve per unit and reports a shortfall', async () => {
    const result = await draw(ROWS);
    expect(result.ok).toBe(true);
    expect(result).toMatchObject({ seed: OPTIONS.seed, reservePercent: 20, method: 'hmac-sha256-rank-v1', codeVersion: SAMPLING_CODE_VERSION });
    expect(result.units).toEqual([
      { unitCode: 'CMO', eligible: 140, planned: 10, drawn: 10, reserve: 2, shortfall: 0 },
      { unitCode: 'LXU', eligible: 40, planned: 10, drawn: 10, reserve: 2, shortfall: 0 },
      { unitCode: 'STP', eligible: 3, planned: 10, drawn: 3, reserve: 0, shortfall: 7 },
    ]);
    const cmo = result.entries.filter((e) => e.unitCode === 'CMO');
    expect(cmo.map((e) => `${e.role}${e.rank}`)).toEqual([...Array.from({ length: 10 }, (_, i) => `primary${i + 1}`), 'reserve1', 'reserve2']);
    expect(new Set(result.entries.map((e) => e.applicant.idNumber ?? e.applicant.name)).size).toBe(result.entries.length);
    expect(result.entries[0]).toMatchObject({
      procedure: 'Cấp phiếu lý lịch tư pháp',
      channel: 'Bưu chính công ích',
      resultDate: '2023-03-15',
      applicant: { type: 'individual', phone: '0912345678', address: 'Số 1, đường Lê Lợi, phường Mỹ Bình' },
    });
  });

  it('can be re-checked with any HMAC tool: ranks and dossier choice follow the documented method', async () => {
    const result = await draw(ROWS, { allocation: { kind: 'fixed', perUnit: 5 }, reservePercent: 0 });
    const hmac = (message: string) => createHmac('sha256', OPTIONS.seed).update(message).digest('hex');
    const cmoRows = ROWS.filter((r) => r.includes(',CMO,'));
    const keyOf = (r: string) => {
      const cells = r.split(',');
      // Method 1.2.0: an all-digit identity number without its leading zeros.
      return cells[5] ? `id:${cells[5].replace(/^0+/, '')}` : `na:${cells[3].toLowerCase().replace('người', 'nguoi')}\u0000${r.match(/Số \d+ Lê Lợi/)![0].toLowerCase().replace('số', 'so').replace('lê lợi', 'le loi')}`;
    };
    const persons = new Map<string, string[]>();
    for (const r of cmoRows) persons.set(keyOf(r), [...(persons.get(keyOf(r)) ?? []), r.split(',')[0]]);
    const expected = [...persons]
      .map(([key, dossiers]) => ({
        rank: hmac(`CMO\u0000${key}`),
        dossier: dossiers.sort((a, b) => (hmac(`dossier\u0000${a}`) < hmac(`dossier\u0000${b}`) ? -1 : 1))[0],
      }))
      .sort((a, b) => (a.rank < b.rank ? -1 : 1))
      .slice(0, 5)
      .map((p) => p.dossier);
    expect(result.entries.filter((e) => e.unitCode === 'CMO').map((e) => e.dossierCode)).toEqual(expected);
  });

  it('gives a byte-identical sample and report for the same frame and seed, whatever the row order and chunking', async () => {
    // Dossier codes repeated across units, as one-stop exports do: which row is meant is unknown.
    const repeated = [ROWS[0], ROWS[125], ROWS[200]].map((r) => r.split(',')[0]);
    const rows = [
      ...ROWS,
      row({ code: repeated[0], unit: 'LXU', id: '089300000001' }),
      row({ code: repeated[1], unit: 'STP', id: '089300000002' }),
      row({ code: repeated[2], unit: 'CMO', id: '089300000003' }),
    ];
    const reference = await draw(rows);
    expect(reference.report).toMatchObject({ duplicateDossierCodes: 3, rowsRejected: 6 });
    expect(reference.entries.filter((e) => repeated.includes(e.dossierCode))).toEqual([]);
    const first = JSON.stringify(reference.entries);
    const { rejections: _listed, ...counts } = reference.report;
    expect(JSON.stringify((await draw(rows, {}, 17)).entries)).toBe(first);
    for (const seed of [1, 2, 3]) {
      const again = await draw(shuffled(rows, seed));
      expect(JSON.stringify(again.entries)).toBe(first);
      const { rejections: _again, ...againCounts } = again.report;
      expect(againCounts).toEqual(counts);
    }
  });

  it('gives a different sample for a different seed', async () => {
    const a = sampleLines(await draw(ROWS));
    const b = sampleLines(await draw(ROWS, { seed: 'dot-khao-sat-2023-lan-2' }));
    expect(compareSamples(a, b).identical).toBe(false);
  });

  it('handles every allocation kind and a zero reserve', async () => {
    const proportional = await draw(ROWS, { allocation: { kind: 'proportional', total: 30, min: 2, max: 20 }, reservePercent: 0 });
    expect(proportional.units.map((u) => [u.unitCode, u.planned, u.drawn, u.reserve])).toEqual([
      ['CMO', 20, 20, 0],
      ['LXU', 8, 8, 0],
      ['STP', 2, 2, 0],
    ]);
    const margin = await draw(ROWS, { allocation: { kind: 'margin', margin: 0.1 }, reservePercent: 50 });
    // ceil(140/2.4) = 59, ceil(40/1.4) = 29, ceil(3/1.03) = 3; reserves limited by who is left.
    expect(margin.units.map((u) => [u.unitCode, u.planned, u.drawn, u.reserve])).toEqual([
      ['CMO', 59, 59, 30],
      ['LXU', 29, 29, 11],
      ['STP', 3, 3, 0],
    ]);
    const none = await draw(ROWS, { allocation: { kind: 'fixed', perUnit: 0 } });
    expect(none.entries).toEqual([]);
  });

  it('returns no entries when the frame cannot be imported', async () => {
    const result = await draw([...ROWS, row({ code: 'X1', unit: 'NOPE' })], { strict: true });
    expect(result.ok).toBe(false);
    expect(result.entries).toEqual([]);
    expect(result.report.rowsRejected).toBe(1);
  });

  it('reads malformed rows as method 1.1.0 did, so a draw made under it re-runs the same; 1.2.0 rejects them', async () => {
    // STP has 3 people: one row short of its last cell, one with a NUL byte in the name.
    const short = row({ code: 'STP-X1', unit: 'STP', id: '089300000001' }).replace(/,[^,]*$/, '');
    const nul = row({ code: 'STP-X2', unit: 'STP', id: '089300000002', name: 'Lê\u0000 Văn Bình' });
    const rows = [...ROWS, short, nul];
    const old = await draw(rows, { codeVersion: 'sipas-sampling-1.1.0' });
    const now = await draw(rows, { codeVersion: SAMPLING_CODE_VERSION });
    expect(old.report.rowsRejected).toBe(0);
    expect(old.units.find((u) => u.unitCode === 'STP')?.eligible).toBe(5);
    expect(old.entries.map((e) => e.dossierCode)).toEqual(expect.arrayContaining(['STP-X1', 'STP-X2']));
    expect(now.report.rejectionCounts).toMatchObject({ 'Số ô khác số cột của dòng tiêu đề (dòng bị cắt ngắn hoặc thừa dấu phân cách)': 1, 'Có ký tự NUL (byte 0) trong ô: tệp bị hỏng': 1 });
    expect(now.units.find((u) => u.unitCode === 'STP')?.eligible).toBe(3);
  });

  it('refuses an empty seed', async () => {
    await expect(draw(ROWS, { seed: '' })).rejects.toThrow(/seed/);
  });
});

describe('compareSamples', () => {
  it('is identical for the same lines in any order', async () => {
    const lines = sampleLines(await draw(ROWS));
    expect(compareSamples(lines, shuffled(lines, 9))).toEqual({ identical: true });
  });

  it('names unit, role, rank and both dossier codes when a stored line was tampered with', async () => {
    const lines = sampleLines(await draw(ROWS));
    const tampered = lines.map((l) => (l.unitCode === 'LXU' && l.role === 'reserve' && l.rank === 2 ? { ...l, dossierCode: 'LXU-FAKE' } : l));
    const original = lines.find((l) => l.unitCode === 'LXU' && l.role === 'reserve' && l.rank === 2)!;
    const result = compareSamples(tampered, lines);
    expect(result).toEqual({
      identical: false,
      firstDifference: `Khác nhau ở đơn vị LXU, danh sách dự phòng, thứ tự 2: mẫu đã lưu là hồ sơ LXU-FAKE, chạy lại ra hồ sơ ${original.dossierCode}.`,
    });
    expect(compareSamples(lines.slice(1), lines)).toMatchObject({ identical: false, firstDifference: expect.stringMatching(/^Chạy lại có thêm đơn vị CMO, danh sách chính, thứ tự 1 \(hồ sơ .+\) không có trong mẫu đã lưu\.$/) });
    expect(compareSamples(lines, lines.slice(0, -1))).toMatchObject({ identical: false, firstDifference: expect.stringMatching(/^Mẫu đã lưu có đơn vị STP, danh sách chính, thứ tự 3 \(hồ sơ .+\) mà chạy lại không có\.$/) });
  });

  it('detects a tampered frame: a changed address changes the hash, a changed dossier code the sample', async () => {
    const original = await draw(ROWS);
    const drawnCode = original.entries.find((e) => e.unitCode === 'LXU')!.dossierCode;
    const i = ROWS.findIndex((r) => r.startsWith(drawnCode + ','));

    const addressChanged = [...ROWS];
    addressChanged[i] = ROWS[i].replace('phường Mỹ Bình', 'phường Mỹ Long');
    const a = await draw(addressChanged);
    expect(a.sha256).not.toBe(original.sha256);
    expect(compareSamples(sampleLines(original), sampleLines(a))).toEqual({ identical: true });

    const codeChanged = [...ROWS];
    codeChanged[i] = ROWS[i].replace(drawnCode, 'LXU-999999');
    const b = await draw(codeChanged);
    expect(b.sha256).not.toBe(original.sha256);
    const verdict = compareSamples(sampleLines(original), sampleLines(b));
    expect(verdict.identical).toBe(false);
    expect(!verdict.identical && verdict.firstDifference).toContain(drawnCode);
    expect(!verdict.identical && verdict.firstDifference).toContain('LXU-999999');
  });
});
