import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTransaction } from '../server/db/unit-of-work';
import { listPreviousIndexes } from '../server/repositories/previous-indexes';
import { replaceUnits } from '../server/repositories/units';
import { importResponses } from '../server/services/collection/responses-import';
import { importFrame } from '../server/services/draw/frame-import';
import { importPreviousIndexes } from '../server/services/results/previous-import';
import { parseUnitsCsv } from '../server/services/waves/units-csv';
import { createWave, importUnits } from '../server/services/waves/waves';
import { createPublishedWave, type PublishedQuestionnaire } from './support/published-wave';
import { createTestDeps } from './support/test-deps';
import { refusal } from './support/refusal';

const CRITERIA = ['A1', 'A2', 'A3', 'B1', 'B2', 'B3', 'B4', 'C1', 'C2', 'C3', 'D1', 'D2', 'D3', 'E1', 'E2', 'E3'];
const DEMO = path.resolve(import.meta.dirname, '../server/demo');

describe('bad rows are refused with row and field named, and nothing is written', () => {
  let deps: Awaited<ReturnType<typeof createTestDeps>>;
  beforeEach(async () => {
    deps = await createTestDeps();
  });
  afterEach(() => deps.cleanup());

  describe('responses import', () => {
    let questionnaires: PublishedQuestionnaire[];
    beforeEach(async () => {
      questionnaires = (await createPublishedWave(deps.db, { perUnit: 3, reserves: 0 })).questionnaires;
    });
    const header = ['questionnaire_code', 'channel', ...CRITERIA, 'comment'].join(',');
    const row = (code: string, answers: string[], comment = 'Tốt') => [code, 'paper', ...answers, comment].join(',');
    const importCsv = (lines: string[]) => writeTransaction(deps.db, (trx) => importResponses(trx, 2023, Buffer.from(lines.join('\n')), 'admin'));
    const stored = async () => (await deps.db.selectFrom('responses').select('id').execute()).length;

    it('refuses a row with one field too many (every answer would move one question over) and one with too few', async () => {
      const [a, b, c] = questionnaires;
      const shifted = [a.code, '', 'paper', ...CRITERIA.map(() => '4'), 'Tốt'].join(',');
      const short = row(b.code, CRITERIA.slice(0, 9).map(() => '5')).split(',').slice(0, 11).join(',');
      const error = await refusal(importCsv([header, shifted, short, row(c.code, CRITERIA.map(() => '3'))]));
      expect(error.message).toContain('2/3 dòng có lỗi');
      expect(error.details).toEqual([
        `dòng 2: có ${CRITERIA.length + 4} ô nhưng dòng tiêu đề có ${CRITERIA.length + 3} cột (thừa hoặc thiếu dấu phân cách, hoặc ô có dấu phẩy chưa đặt trong ngoặc kép)`,
        `dòng 3: có 11 ô nhưng dòng tiêu đề có ${CRITERIA.length + 3} cột (thừa hoặc thiếu dấu phân cách, hoặc ô có dấu phẩy chưa đặt trong ngoặc kép)`,
      ]);
      expect(await stored()).toBe(0);
    });

    it('names an oversized cell by row and column', async () => {
      const error = await refusal(importCsv([header, row(questionnaires[0].code, CRITERIA.map(() => '4'), 'x'.repeat(100_000))]));
      expect(error.details).toEqual(['dòng 2, cột comment: ô dài 100000 ký tự, tối đa 4000']);
      expect(await stored()).toBe(0);
    });
  });

  describe('units import', () => {
    it('refuses extra columns, a 10 MB unit name and a million columns, naming row and field', () => {
      const extra = parseUnitsCsv(Buffer.from('unit_code,unit_name,unit_kind,ghi_chu\nSNV,Sở Nội vụ,department,x\n'));
      expect(extra).toEqual({ ok: false, problems: [{ row: 1, message: 'cột không có trong mẫu: ghi_chu (chỉ nhận unit_code,unit_name,unit_kind[,predecessors])' }] });
      const shifted = parseUnitsCsv(Buffer.from('unit_code,unit_name,unit_kind\nSNV,Sở Nội vụ,department,x\n'));
      expect(shifted.ok ? [] : shifted.problems.map((p) => p.row)).toEqual([2]);
      const longName = parseUnitsCsv(Buffer.from(`unit_code,unit_name,unit_kind\nSNV,${'Sở'.repeat(5_000_000)},department\n`));
      expect(longName).toEqual({ ok: false, problems: [{ row: 2, field: 'unit_name', message: 'ô dài 10000000 ký tự, tối đa 4000' }] });
      const wide = parseUnitsCsv(Buffer.from(`unit_code,unit_name,unit_kind${',x'.repeat(1_000_000)}\nSNV,Sở Nội vụ,department\n`));
      expect(wide.ok ? [] : wide.problems).toEqual([{ row: 1, message: 'Dòng tiêu đề có 1000003 cột, tối đa 200: đây không phải tệp theo mẫu' }]);
      const named = parseUnitsCsv(Buffer.from(`unit_code,unit_name,unit_kind\nSNV,${'a'.repeat(201)},department\n`));
      expect(named.ok ? [] : named.problems).toEqual([{ row: 2, field: 'unit_name', message: 'tên dài 201 ký tự, tối đa 200' }]);
    });
  });

  describe('previous import', () => {
    beforeEach(async () => {
      await createWave(deps.db, { year: 2026, actor: 'test' });
      await replaceUnits(deps.db, 2026, [
        { code: 'SNV', name: 'Sở Nội vụ', kind: 'department', predecessors: null },
        { code: 'SNNMT', name: 'Sở Nông nghiệp và Môi trường', kind: 'department', predecessors: ['SNN', 'STNMT'] },
        { code: 'SKHCN', name: 'Sở Khoa học và Công nghệ', kind: 'department', predecessors: [] },
      ]);
    });
    const importCsv = (text: string) => writeTransaction(deps.db, (trx) => importPreviousIndexes(trx, 2026, Buffer.from(text), 'admin'));

    it("takes this wave's codes and the predecessors its units name", async () => {
      const done = await importCsv('unit_code,unit_name,index\nSNV,Sở Nội vụ,"88,56"\nSNN,Sở Nông nghiệp,80\nSTNMT,Sở Tài nguyên,82\n');
      expect(done.rows.map((r) => r.unitCode)).toEqual(['SNV', 'SNN', 'STNMT']);
    });

    it('names every code that is no unit of the wave nor a predecessor, and keeps the table as it was', async () => {
      await importCsv('unit_code,unit_name,index\nSNV,Sở Nội vụ,88\n');
      const error = await refusal(importCsv(`unit_code,unit_name,index\n+1+1,x,50\nSNV' OR 1=1,x,50\nＳＮＶ,x,50\nSNV,Sở Nội vụ,90\n`));
      expect(error.message).toContain(`3 mã đơn vị không khớp, chưa nhập dòng nào: "+1+1", "SNV' OR 1=1", "ＳＮＶ"`);
      expect((await listPreviousIndexes(deps.db, 2026)).map((r) => [r.unitCode, r.index])).toEqual([['SNV', 88]]);
    });

    it('refuses a row with more cells than the header (an index typed 88,56 without quotes)', async () => {
      const error = await refusal(importCsv('unit_code,unit_name,index\nSNV,Sở Nội vụ,88,56\n'));
      expect(error.details).toEqual(['dòng 2: có 4 ô nhưng dòng tiêu đề có 3 cột (số thập phân có dấu phẩy cần đặt trong ngoặc kép, ví dụ "88,56")']);
    });
  });

  describe('frame import', () => {
    const FRAME_HEADER = 'Mã hồ sơ,Mã đơn vị,Tên thủ tục,Họ và tên,Loại đối tượng,Số CCCD,Số điện thoại,Địa chỉ,Ngày trả kết quả,Hình thức nộp';
    const person = (n: number, name = `Nguyễn Văn ${n}`) => `SNV-2023-${n},SNV,Chứng thực,${name},Cá nhân,0901${String(n).padStart(8, '0')},0912345678,"Số ${n}, đường Lê Lợi, tỉnh An Giang",12/07/2023,Trực tiếp`;
    beforeEach(async () => {
      await createWave(deps.db, { year: 2023, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'test' });
      await importUnits(deps.db, 2023, fs.readFileSync(path.join(DEMO, 'units-2023.csv')), 'test');
    });
    const upload = (text: string, strict: boolean) =>
      importFrame({ db: deps.db, dataDir: deps.config.dataDir }, 2023, { fileName: 'khung.csv', bytes: Readable.from([Buffer.from(text)]), strict }, 'test');
    const frames = () => deps.db.selectFrom('frame_imports').select(['id', 'rows_accepted']).execute();

    it('refuses a file with no valid row and keeps the good frame', async () => {
      const good = await upload([FRAME_HEADER, person(1), person(2), ''].join('\n'), false);
      expect(good.ok).toBe(true);
      const empty = await upload([FRAME_HEADER, person(3).replace('SNV-2023-3', ''), person(4).replace(',SNV,', ',KHONGCO,'), ''].join('\n'), false);
      expect(empty.ok).toBe(false);
      expect(empty.ok ? '' : empty.error.message).toContain('không có dòng hợp lệ nào (2/2 dòng bị từ chối)');
      expect(await frames()).toEqual([{ id: 1, rows_accepted: 2 }]);
    });

    it('refuses under --strict a last row cut off (inside quotes or short of cells) and a NUL byte in a name', async () => {
      const cutInQuotes = [FRAME_HEADER, person(1), person(2).slice(0, person(2).indexOf('đường'))].join('\n');
      const shortRow = [FRAME_HEADER, person(1), person(2).split(',').slice(0, 5).join(',')].join('\n');
      // Past the first kilobyte, which the reader already refuses as binary when it holds a NUL.
      const nul = [FRAME_HEADER, ...Array.from({ length: 20 }, (_, i) => person(i + 1)), person(21, 'Nguyễn\u0000Văn'), ''].join('\n');
      const reasons: string[] = [];
      for (const text of [cutInQuotes, shortRow, nul]) {
        const outcome = await upload(text, true);
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) reasons.push(...outcome.report.rejections.map((r) => `${r.row}: ${r.reason}`));
      }
      expect(reasons).toEqual([
        '3: Dấu ngoặc kép (") không được đóng: dòng bị cắt ngắn',
        '3: Số ô khác số cột của dòng tiêu đề (dòng bị cắt ngắn hoặc thừa dấu phân cách)',
        '22: Có ký tự NUL (byte 0) trong ô: tệp bị hỏng',
      ]);
      expect(await frames()).toEqual([]);
    });
  });
});
