import { createReadStream, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drawSample, scanFrame } from './index';
import type { UnitRef } from './types';

// The 2023 frame and unit list kept in the repository (the demo wave seeds from the same files).
const DIR = new URL('../server/demo/', import.meta.url);
const FRAME = new URL('frame-2023-sample.csv', DIR);

function units(): UnitRef[] {
  const lines = readFileSync(new URL('units-2023.csv', DIR), 'utf8').trim().split(/\r?\n/).slice(1);
  return lines.map((line) => {
    const [, code, quoted, plain] = /^([^,]+),(?:"([^"]*)"|([^,]*)),/.exec(line)!;
    return { code, name: quoted ?? plain };
  });
}

const OPTIONS = { units: units(), period: { from: '2023-01-01', to: '2023-12-31' } };

// Every figure below was checked by hand against the file with an independent Python script.
describe('the 2023 sample frame', () => {
  it('is read with its traps: unknown units, duplicated codes, 2022 rows, blank addresses, quoted line breaks', async () => {
    const { ok, sha256, report } = await scanFrame(createReadStream(FRAME), OPTIONS);
    expect(ok).toBe(true);
    expect(sha256).toBe('170348a042779da357cc644eec583483f6502ffe3021ea57ebf51c01c91052f9');
    expect(report).toMatchObject({
      rowsRead: 3000,
      rowsAccepted: 2988,
      rowsRejected: 12,
      duplicateDossierCodes: 3,
      personsMerged: 267,
      ineligible: { outsidePeriod: 28, noAddress: 26, organisation: 0 },
      unitsWithoutRows: [],
      encoding: 'utf-8',
      delimiter: ',',
      ignoredColumns: [],
    });
    expect(report.columns).toHaveLength(10);
    // Each repeated code occurs twice, in two units: both rows are rejected.
    expect(report.rejectionCounts).toEqual({ 'Đơn vị không thuộc đợt khảo sát': 6, 'Mã hồ sơ bị trùng': 6 });
    expect(report.rejections.map((r) => r.row)).toEqual([72, 84, 292, 953, 1117, 1394, 1395, 1417, 1418, 2631, 2632, 2722]);
    expect(report.rejections[6]).toEqual({
      row: 1395,
      field: 'Mã hồ sơ',
      value: 'CTH-2023-0001393',
      reason: 'Mã hồ sơ bị trùng (xuất hiện ở các dòng 1394, 1395): không biết dòng nào đúng',
    });
    expect(report.unknownUnits).toEqual([
      { value: 'XYZ1', rows: 2 },
      { value: 'XYZ7', rows: 1 },
      { value: 'XYZ6', rows: 1 },
      { value: 'XYZ9', rows: 1 },
      { value: 'XYZ4', rows: 1 },
    ]);
    expect(report.eligibleByUnit).toEqual({
      SNV: 21, STP: 23, STC: 35, SKHDT: 18, SGTVT: 40, STTTT: 37, SCT: 16, SXD: 48, SYT: 24, SGDDT: 36,
      SNGV: 28, STNMT: 30, SNNPTNT: 48, SKHCN: 63, SLDTBXH: 20, SVHTTDL: 31, BQLKKT: 46, LXU: 297,
      CDO: 212, TCH: 156, TBI: 325, APH: 90, CPH: 270, CTH: 138, CMO: 99, PTA: 116, TSO: 154, TTO: 246,
    });
    expect(report.rowsByUnit.TBI).toBe(378);
  });

  it('draws the sample the Python re-check gives for TSO under method 1.1.0, still selectable for old draws', async () => {
    // The independent re-check implemented the 1.1.0 identity rules (ids keep their leading zero).
    const result = await drawSample(() => createReadStream(FRAME), {
      ...OPTIONS,
      codeVersion: 'sipas-sampling-1.1.0',
      seed: 'sipas-2023',
      allocation: { kind: 'fixed', perUnit: 25 },
      reservePercent: 20,
    });
    const tso = result.entries.filter((e) => e.unitCode === 'TSO');
    expect(tso.filter((e) => e.role === 'primary').map((e) => e.dossierCode.slice(9))).toEqual([
      '0001506', '0000491', '0000239', '0002736', '0001414', '0002433', '0002216', '0000967', '0000832',
      '0001941', '0001812', '0002001', '0001056', '0002219', '0000863', '0000933', '0002848', '0001367',
      '0002852', '0002805', '0002164', '0001299', '0001919', '0000878', '0001753',
    ]);
    expect(tso.filter((e) => e.role === 'reserve').map((e) => e.dossierCode.slice(9))).toEqual([
      '0002588', '0002099', '0002338', '0001228', '0002783',
    ]);
    expect(tso[5].applicant).toMatchObject({ type: 'organisation', idNumber: null });
    expect(result.units.find((u) => u.unitCode === 'SCT')).toEqual({ unitCode: 'SCT', eligible: 16, planned: 25, drawn: 16, reserve: 0, shortfall: 9 });
    expect(result.units.find((u) => u.unitCode === 'SNGV')).toEqual({ unitCode: 'SNGV', eligible: 28, planned: 25, drawn: 25, reserve: 3, shortfall: 0 });
    // Six units below 25 give all they have (122 people), SNGV 28, the other 21 units 30 each.
    expect(result.entries).toHaveLength(122 + 28 + 21 * 30);
    // Addresses written over two lines in the file come out on one.
    expect(result.entries.some((e) => e.applicant.address?.includes('\n'))).toBe(false);
  });
});
