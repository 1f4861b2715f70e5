import { describe, expect, it } from 'vitest';
import { parseUnitsCsv } from './units-csv';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('units CSV', () => {
  it('reads codes, Vietnamese names (NFC), kinds and lineage', () => {
    const nfd = 'Sở Tư pháp'.normalize('NFD');
    const result = parseUnitsCsv(bytes(`\uFEFFunit_code,unit_name,unit_kind,predecessors\nstp,${nfd},department,\nSNN,Sở Nông nghiệp và Môi trường,department,SNNPTNT;STNMT\nX1,Xã mới,commune,-\n`));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.units).toEqual([
      { code: 'STP', name: 'Sở Tư pháp'.normalize('NFC'), kind: 'department', predecessors: null },
      { code: 'SNN', name: 'Sở Nông nghiệp và Môi trường', kind: 'department', predecessors: ['SNNPTNT', 'STNMT'] },
      { code: 'X1', name: 'Xã mới', kind: 'commune', predecessors: [] },
    ]);
  });

  it('takes predecessors from two merged provinces (`KG-` codes), new units marked `-`, and refuses hyphens in the wave’s own codes', () => {
    const result = parseUnitsCsv(bytes('unit_code,unit_name,unit_kind,predecessors\nSNV,Sở Nội vụ,department,SNV;SLDTBXH;kg-SNV;KG-SLDTBXH\n30292,UBND Phường Bình Đức,commune,-\n'));
    expect(result.ok && result.units.map((u) => u.predecessors)).toEqual([['SNV', 'SLDTBXH', 'KG-SNV', 'KG-SLDTBXH'], []]);
    const bad = parseUnitsCsv(bytes('unit_code,unit_name,unit_kind,predecessors\nKG-SNV,Sở Nội vụ,department,\nSTP,Sở Tư pháp,department,KG-;-STP\n'));
    expect(!bad.ok && bad.problems.map((p) => [p.row, p.field])).toEqual([
      [2, 'unit_code'],
      [3, 'predecessors'],
    ]);
  });

  it('reads UTF-16 files saved by Excel', () => {
    const text = 'unit_code\tunit_name\tunit_kind\r\nSNV\tSở Nội vụ\tdepartment\r\n';
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const result = parseUnitsCsv(utf16);
    expect(result.ok && result.units[0].name).toBe('Sở Nội vụ');
  });

  it('names the row and field of a duplicated code and of an unknown kind, all at once', () => {
    const result = parseUnitsCsv(bytes('unit_code,unit_name,unit_kind\nSNV,Sở Nội vụ,department\nSTP,Sở Tư pháp,ministry\nSNV,Sở Nội vụ 2,department\n'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      { row: 3, field: 'unit_kind', message: expect.stringContaining('"ministry"') },
      { row: 4, field: 'unit_code', message: expect.stringContaining('trùng với dòng 2') },
    ]);
  });

  it('says which column is missing', () => {
    const result = parseUnitsCsv(bytes('unit_code,unit_name\nSNV,Sở Nội vụ\n'));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0].message).toContain('thiếu cột unit_kind');
  });

  it('rejects a binary file', () => {
    const result = parseUnitsCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff, 0xfe, 0x00]));
    expect(result.ok).toBe(false);
  });
});
