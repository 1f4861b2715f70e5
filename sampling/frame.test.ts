import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { scanFrame } from './frame';
import { HEADER, UNITS, csv, row, shuffled, source } from './test-support';
import type { FrameOptions } from './types';

const OPTIONS: FrameOptions = { units: UNITS };

async function scan(data: string | Uint8Array, options: Partial<FrameOptions> = {}, chunkSize?: number) {
  return scanFrame(source(data, chunkSize), { ...OPTIONS, ...options });
}

const THREE = csv([
  row({ code: 'A1', id: '089000000001' }),
  row({ code: 'A2', unit: 'LXU', id: '089000000002' }),
  row({ code: 'A3', unit: 'STP', id: '089000000003' }),
]);

describe('scanFrame: encodings and separators', () => {
  it('reads UTF-8 without BOM, hashing the raw bytes', async () => {
    const result = await scan(THREE);
    expect(result.ok).toBe(true);
    expect(result.sha256).toBe(createHash('sha256').update(THREE).digest('hex'));
    expect(result.report).toMatchObject({ rowsRead: 3, rowsAccepted: 3, rowsRejected: 0, encoding: 'utf-8', delimiter: ',' });
    expect(result.report.eligibleByUnit).toEqual({ CMO: 1, LXU: 1, STP: 1 });
  });

  it('reads UTF-8 with BOM, UTF-16 LE and UTF-16 BE with BOM (Excel "Unicode text") alike', async () => {
    const utf8bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(THREE, 'utf8')]);
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(THREE, 'utf16le')]);
    const be = Buffer.from(le).swap16();
    const reference = (await scan(THREE)).report;
    for (const [bytes, encoding] of [[utf8bom, 'utf-8'], [le, 'utf-16le'], [be, 'utf-16be']] as const) {
      // 7-byte chunks split characters and UTF-16 code units across reads.
      const result = await scan(new Uint8Array(bytes), {}, 7);
      expect(result.ok).toBe(true);
      expect(result.report).toEqual({ ...reference, encoding });
      expect(result.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });

  it('detects ; and tab separators from the header line', async () => {
    for (const delimiter of [';', '\t']) {
      const text = THREE.split('\r\n')
        .map((line) => line.replace(/"[^"]*"|,/g, (m) => (m === ',' ? delimiter : m)))
        .join('\n');
      const result = await scan(text);
      expect(result.ok).toBe(true);
      expect(result.report.delimiter).toBe(delimiter);
      expect(result.report.rowsAccepted).toBe(3);
    }
  });

  it('reads quoted fields with line breaks, counts rows as Excel shows them, and ignores trailing empty rows', async () => {
    const text = csv([
      row({ code: 'Q1', address: 'Số 364, đường Nguyễn Huệ,\r\nphường Mỹ Long' }),
      row({ code: 'Q2', name: '' }),
      ',,,,,,,,,',
      row({ code: 'Q3', name: 'Trần "Bé" Ba' }),
      '',
      ',,,',
      '',
    ]);
    const result = await scan(text, {}, 5);
    expect(result.report.rowsRead).toBe(3);
    expect(result.report.rejections).toEqual([{ row: 3, field: 'Họ và tên', reason: 'Thiếu họ tên người nộp' }]);
    expect(result.report.eligibleByUnit.CMO).toBe(2);
  });

  it('normalises every text field to NFC so a name typed decomposed is the same person', async () => {
    const name = 'Nguyễn Thị Ánh';
    const address = 'Ấp Mỹ Hòa, xã Tân Hòa';
    const text = csv([
      row({ code: 'N1', name, address }),
      row({ code: 'N2', name: name.normalize('NFD'), address: address.normalize('NFD') }),
    ]);
    const result = await scan(text.normalize('NFD').replace(HEADER.normalize('NFD'), HEADER), {}, 3);
    expect(result.report.eligibleByUnit.CMO).toBe(1);
    expect(result.report.personsMerged).toBe(1);
  });
});

describe('scanFrame: fatal input', () => {
  it('refuses an empty file, a blank file and a header-only file', async () => {
    expect(await scan('')).toMatchObject({ ok: false, fatal: 'Tệp rỗng: không có dòng nào.' });
    expect(await scan('\ufeff\r\n\r\n')).toMatchObject({ ok: false, fatal: 'Tệp rỗng: không có dòng nào.' });
    const headerOnly = await scan(HEADER + '\r\n\r\n,,,\r\n');
    expect(headerOnly).toMatchObject({ ok: false, fatal: 'Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.' });
    expect((await scan(HEADER)).fatal).toBe('Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.');
  });

  it('refuses a binary file renamed .csv and a spreadsheet', async () => {
    const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, ...new Array(3000).fill(0)]);
    const invalidUtf8 = Uint8Array.from({ length: 4000 }, (_, i) => (i * 37 + 11) & 255);
    const nulInText = new TextEncoder().encode(HEADER + '\r\nA1,CMO\u0000\u0000,x\r\n');
    for (const bytes of [png, invalidUtf8, nulInText]) {
      const result = await scan(bytes, {}, 512);
      expect(result.ok).toBe(false);
      expect(result.fatal).toMatch(/không phải tệp CSV văn bản/);
    }
    const xlsx = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 6, 0, ...new Array(100).fill(0)]);
    expect((await scan(xlsx)).fatal).toMatch(/bảng tính Excel.*không phải tệp CSV văn bản/);
  });

  it('judges whether a file is text the same however it comes in chunks', async () => {
    // A NUL well past the first 256 characters: one bad row, not a binary file, in one chunk or many.
    const text = csv([row({ code: 'A1' }), row({ code: 'A2' }), row({ code: 'A3' }), row({ code: 'A4', name: 'Lê Văn\u0000 Ba' })]);
    const utf16 = Buffer.from(Buffer.from('\ufeff' + text, 'utf16le')).swap16();
    for (const bytes of [new TextEncoder().encode(text), new Uint8Array(utf16)]) {
      const verdicts = await Promise.all([1, 7, 512, bytes.length].map(async (size) => (await scan(bytes, {}, size)).report.rejectionCounts));
      expect(verdicts).toEqual(Array(4).fill({ 'Có ký tự NUL (byte 0) trong ô: tệp bị hỏng': 1 }));
    }
  });

  it('refuses invalid UTF-8 past the first kilobyte, naming where', async () => {
    const head = new TextEncoder().encode(csv(Array.from({ length: 40 }, (_, i) => row({ code: `B${i}` }))));
    const bytes = new Uint8Array([...head, 0xc3, 0x28, 0x0a]);
    const result = await scan(bytes, {}, 256);
    expect(result.ok).toBe(false);
    expect(result.fatal).toMatch(/không phải tệp CSV văn bản.*byte/);
  });

  it('names every missing required column', async () => {
    const result = await scan('Mã hồ sơ,Họ tên,Ghi chú\r\nA1,An,x\r\n');
    expect(result.ok).toBe(false);
    expect(result.fatal).toMatch(/Thiếu cột bắt buộc: Mã đơn vị \(unit_code\), Ngày trả kết quả \(result_date\), Địa chỉ \(address\)/);
    expect(result.fatal).toContain('Dòng tiêu đề chỉ có các cột: Mã hồ sơ, Họ và tên.');
    const withoutAddressRule = await scan('Mã hồ sơ,Họ tên,Ghi chú\r\nA1,An,x\r\n', { requirePostalAddress: false });
    expect(withoutAddressRule.fatal).not.toMatch(/Địa chỉ/);
  });

  it('never quotes a file without its header line, whose first line is a person', async () => {
    const first = row({ code: 'H1', name: 'Trần Thị Hạnh', id: '089123456789', address: 'Số 9, đường Lê Lợi' });
    const result = await scan([first, row({ code: 'H2' })].join('\r\n') + '\r\n');
    expect(result.ok).toBe(false);
    expect(result.fatal).toMatch(/^Thiếu cột bắt buộc: Mã hồ sơ \(dossier_code\), .*có lẽ tệp thiếu dòng tiêu đề\. Dòng đầu tiên của tệp phải là dòng tiêu đề có ít nhất các cột Mã hồ sơ, Mã đơn vị, Họ và tên, Ngày trả kết quả, Địa chỉ/);
    const shown = JSON.stringify(result);
    for (const value of ['Trần Thị Hạnh', '089123456789', 'Lê Lợi', '0912345678', 'H1']) expect(shown).not.toContain(value);
    expect(result.report).toMatchObject({ columns: [], ignoredColumns: [] });
  });

  it('stops at an unclosed quote instead of reading the rest of the file into one cell', async () => {
    const rest = Array.from({ length: 30_000 }, (_, i) => row({ code: `U${i + 3}`, address: 'Số 1 Lê Lợi' }));
    const rows = [row({ code: 'U1' }), 'U2,CMO,"never closed', ...rest];
    const result = await scan(csv(rows));
    expect(result.ok).toBe(false);
    expect(result.fatal).toMatch(/Dấu ngoặc kép.*dòng 3/);
  });

  it('reports a read error as fatal', async () => {
    const failing = {
      async *[Symbol.asyncIterator]() {
        yield new TextEncoder().encode(HEADER + '\r\n');
        throw new Error('EIO');
      },
    };
    const result = await scanFrame(failing, OPTIONS);
    expect(result).toMatchObject({ ok: false, fatal: 'Không đọc được tệp: EIO.', sha256: '' });
  });
});

describe('scanFrame: row validation', () => {
  const text = csv([
    row({ code: 'R1', id: '089000000001' }),
    row({ code: '', id: '089000000002' }),
    row({ code: 'R1', id: '089000000003' }),
    row({ code: 'R4', unit: 'XYZ' }),
    row({ code: 'R5', unit: 'XYZ' }),
    row({ code: 'R6', unit: '' }),
    row({ code: 'R7', name: ' ' }),
    row({ code: 'R8', date: '31/02/2023' }),
    row({ code: 'R9', date: '' }),
    row({ code: 'R10', unit: 'thành phố long xuyên', date: '45000' }),
    row({ code: 'R11', unit: 'SO TU PHAP'.normalize('NFD'), date: '2023-05-06T08:00:00' }),
    row({ code: 'R1', id: '089000000012' }),
  ]);

  it('rejects each bad row with its Excel row number, field and reason, and counts by reason', async () => {
    const { ok, report } = await scan(text);
    expect(ok).toBe(true);
    expect(report.rejections).toEqual([
      { row: 2, field: 'Mã hồ sơ', value: 'R1', reason: 'Mã hồ sơ bị trùng (xuất hiện ở các dòng 2, 4, 13): không biết dòng nào đúng' },
      { row: 3, field: 'Mã hồ sơ', reason: 'Thiếu mã hồ sơ' },
      { row: 4, field: 'Mã hồ sơ', value: 'R1', reason: 'Mã hồ sơ bị trùng (xuất hiện ở các dòng 2, 4, 13): không biết dòng nào đúng' },
      { row: 5, field: 'Mã đơn vị', value: 'XYZ', reason: 'Đơn vị không thuộc đợt khảo sát' },
      { row: 6, field: 'Mã đơn vị', value: 'XYZ', reason: 'Đơn vị không thuộc đợt khảo sát' },
      { row: 7, field: 'Mã đơn vị', reason: 'Thiếu đơn vị giải quyết' },
      { row: 8, field: 'Họ và tên', reason: 'Thiếu họ tên người nộp' },
      { row: 9, field: 'Ngày trả kết quả', value: '31/02/2023', reason: 'Ngày trả kết quả không hợp lệ' },
      { row: 10, field: 'Ngày trả kết quả', reason: 'Thiếu ngày trả kết quả' },
      { row: 13, field: 'Mã hồ sơ', value: 'R1', reason: 'Mã hồ sơ bị trùng (xuất hiện ở các dòng 2, 4, 13): không biết dòng nào đúng' },
    ]);
    expect(report.rejectionCounts).toEqual({
      'Thiếu mã hồ sơ': 1,
      'Mã hồ sơ bị trùng': 3,
      'Đơn vị không thuộc đợt khảo sát': 2,
      'Thiếu đơn vị giải quyết': 1,
      'Thiếu họ tên người nộp': 1,
      'Ngày trả kết quả không hợp lệ': 1,
      'Thiếu ngày trả kết quả': 1,
    });
    expect(report).toMatchObject({ rowsRead: 12, rowsAccepted: 2, rowsRejected: 10, duplicateDossierCodes: 1 });
    expect(report.unknownUnits).toEqual([{ value: 'XYZ', rows: 2 }]);
    expect(report.rowsByUnit).toEqual({ CMO: 0, LXU: 1, STP: 1 });
    expect(report.unitsWithoutRows).toEqual(['CMO']);
  });

  it('rejects every row of a repeated dossier code, so the report does not depend on the order of the rows', async () => {
    const rows = [
      row({ code: 'D1', unit: 'CMO', id: '089000000001' }),
      row({ code: 'D2', unit: 'CMO', id: '089000000002' }),
      row({ code: 'D3', unit: 'LXU', id: '089000000003' }),
      row({ code: 'D1', unit: 'LXU', id: '089000000004' }),
      row({ code: 'D4', unit: 'STP', id: '089000000005' }),
      ...Array.from({ length: 6 }, (_, i) => row({ code: 'D9', unit: i % 2 ? 'STP' : 'CMO', id: `08900000010${i}` })),
    ];
    const reference = await scan(csv(rows));
    expect(reference.report).toMatchObject({ rowsRead: 11, rowsAccepted: 3, rowsRejected: 8, duplicateDossierCodes: 2 });
    expect(reference.report.eligibleByUnit).toEqual({ CMO: 1, LXU: 1, STP: 1 });
    expect(reference.report.rejections[0]).toEqual({ row: 2, field: 'Mã hồ sơ', value: 'D1', reason: 'Mã hồ sơ bị trùng (xuất hiện ở các dòng 2, 5): không biết dòng nào đúng' });
    expect(reference.report.rejections[2].reason).toBe('Mã hồ sơ bị trùng (xuất hiện ở 6 dòng: 7, 8, 9, 10, 11 và 1 dòng khác): không biết dòng nào đúng');
    const { rejections: _listed, ...counts } = reference.report;
    for (const seed of [1, 2, 3, 4]) {
      const { rejections, ...other } = (await scan(csv(shuffled(rows, seed)))).report;
      expect(other).toEqual(counts);
      expect(rejections.map((r) => r.value)).toEqual(expect.arrayContaining(['D1', 'D1', 'D9']));
    }
  });

  it('reads the file once, repeated codes and rows to link included, as if they were known from the first row', async () => {
    const rows = [
      row({ code: 'C1', name: 'Lê Văn An', address: '1 Lê Lợi', id: '' }),
      row({ code: 'C1', unit: 'LXU' }),
      row({ code: 'C2', name: 'Lê Văn An', address: '1 Lê Lợi', id: '' }),
      row({ code: 'C3', name: 'Lê Văn An', address: '1 Lê Lợi', id: '089000000777' }),
    ];
    let reads = 0;
    const data = source(csv(rows));
    const counted = { [Symbol.asyncIterator]: () => (reads++, data[Symbol.asyncIterator]()) };
    const result = await scanFrame(counted, OPTIONS);
    expect(reads).toBe(1);
    // C1 is rejected on both rows; C2 joins An's number, carried by C3: one person, one merge.
    expect(result.report).toMatchObject({ rowsRead: 4, rowsRejected: 2, duplicateDossierCodes: 1, personsMerged: 1 });
    expect(result.report.eligibleByUnit.CMO).toBe(1);
  });

  it('fails in strict mode when any row is rejected, still reporting everything', async () => {
    const result = await scan(text, { strict: true });
    expect(result.ok).toBe(false);
    expect(result.fatal).toMatch(/nghiêm ngặt: 10 dòng bị từ chối/);
    expect(result.report.rejections).toHaveLength(10);
    expect((await scan(THREE, { strict: true })).ok).toBe(true);
  });

  it('lists only the first 1000 rejections but counts all', async () => {
    const rows = Array.from({ length: 1200 }, (_, i) => row({ code: `D${i}`, unit: 'NOPE' }));
    const { report } = await scan(csv([row({ code: 'OK1' }), ...rows]));
    expect(report.rowsRejected).toBe(1200);
    expect(report.rejections).toHaveLength(1000);
    expect(report.rejections[999].row).toBe(1002);
    expect(report.rejectionCounts['Đơn vị không thuộc đợt khảo sát']).toBe(1200);
    expect(report.unitsWithoutRows).toEqual(['LXU', 'STP']);
  });

  it('keeps unknown columns aside and accepts English headers', async () => {
    const text2 = 'dossier_code;unit_code;applicant_name;address;result_date;Ghi chú\n' + 'E1;CMO;An;Số 1 Lê Lợi;2023-02-01;x\n';
    const { report } = await scan(text2);
    expect(report.ignoredColumns).toEqual(['Ghi chú']);
    expect(report.columns.map((c) => c.field)).toEqual(['dossier_code', 'unit_code', 'applicant_name', 'address', 'result_date']);
    expect(report.rowsAccepted).toBe(1);
  });
});

describe('scanFrame: eligibility and persons', () => {
  const text = csv([
    row({ code: 'E1', id: '089000000001', date: '31/12/2022' }),
    row({ code: 'E2', id: '089000000002', date: '01/01/2023' }),
    row({ code: 'E3', id: '089000000003', address: '' }),
    row({ code: 'E4', id: '089000000004', address: 'không có' }),
    row({ code: 'E5', name: 'Công ty TNHH An Phú', type: 'Tổ chức', id: '' }),
    row({ code: 'E6', id: '89000000002', date: '2023-06-30' }),
    row({ code: 'E7', id: '089 000 000 002', unit: 'LXU' }),
    row({ code: 'E8', name: 'Lê Văn Bé', address: 'Số 2  Trần Phú', id: '' }),
    row({ code: 'E9', name: 'LÊ VĂN BÉ', address: 'số 2 trần phú', id: '' }),
    row({ code: 'E10', name: 'Lê Văn Bé', address: 'Số 3 Trần Phú', id: '' }),
    row({ code: 'E11', id: '089000000011', date: '01/01/2024' }),
  ]);

  it('counts distinct eligible persons per unit: same id, or same name and address', async () => {
    const { report } = await scan(text, { period: { from: '2023-01-01', to: '2023-12-31' } });
    expect(report.ineligible).toEqual({ outsidePeriod: 2, noAddress: 2, organisation: 0 });
    // CMO: E2 (= E6, id without its leading zero), E5, E8 (= E9), E10.  LXU: E7 is another unit.
    expect(report.eligibleByUnit).toEqual({ CMO: 4, LXU: 1, STP: 0 });
    expect(report.personsMerged).toBe(2);
    expect(report.rowsByUnit).toEqual({ CMO: 10, LXU: 1, STP: 0 });
    expect(report.unitsWithoutRows).toEqual(['STP']);
  });

  it('applies the organisation and postal-address options', async () => {
    const excluded = await scan(text, { excludeOrganisations: true });
    expect(excluded.report.ineligible).toEqual({ outsidePeriod: 0, noAddress: 2, organisation: 1 });
    expect(excluded.report.eligibleByUnit.CMO).toBe(5);
    const anyAddress = await scan(text, { requirePostalAddress: false });
    expect(anyAddress.report.ineligible.noAddress).toBe(0);
    expect(anyAddress.report.eligibleByUnit.CMO).toBe(8);
  });

  it('gives the same report whatever the chunk size', async () => {
    const reference = await scan(text, {}, 1 << 16);
    for (const size of [1, 2, 13, 100]) expect(await scan(text, {}, size)).toEqual(reference);
  });
});

describe('scanFrame: progress', () => {
  it('tells rows and bytes read after each chunk, then the totals once as pass 2, while repeats and links are decided', async () => {
    // 2,000 rows, the last repeating the first's dossier code.
    const rows = Array.from({ length: 2000 }, (_, i) => row({ code: `P${i % 1999}`, id: String(89_000_000_000 + i).padStart(12, '0') }));
    const data = csv(rows);
    const seen: { pass: number; rows: number; bytes: number }[] = [];
    const result = await scan(data, { onProgress: (p) => seen.push({ ...p }) }, 16 * 1024);
    expect(result.report.rowsRead).toBe(2000);
    const read = seen.filter((p) => p.pass === 1);
    // Several reports while reading, never going back, the last at the end of the file.
    expect(read.length).toBeGreaterThan(3);
    expect(read.every((p, i) => i === 0 || (p.rows >= read[i - 1].rows && p.bytes >= read[i - 1].bytes))).toBe(true);
    const totals = { rows: 2000, bytes: Buffer.byteLength(data) };
    expect(read.at(-1)).toEqual({ pass: 1, ...totals });
    expect(seen.slice(read.length)).toEqual([{ pass: 2, ...totals }]);
  });
});
