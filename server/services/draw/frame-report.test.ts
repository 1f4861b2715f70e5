import { describe, expect, it } from 'vitest';
import type { ImportReport } from '../../../sampling';
import { HIDDEN_VALUE, withoutPersonalData } from './frame-report';

const base: ImportReport = {
  rowsRead: 5, rowsAccepted: 0, rowsRejected: 5, rejections: [], rejectionCounts: {}, duplicateDossierCodes: 0, personsMerged: 0,
  eligibleByUnit: {}, rowsByUnit: {}, ineligible: { outsidePeriod: 0, noAddress: 0, organisation: 0 }, unknownUnits: [],
  unitsWithoutRows: [], encoding: 'utf-8', delimiter: ',', columns: [], ignoredColumns: [],
};

describe('withoutPersonalData', () => {
  it('keeps codes, dates and agency names, and hides what could be a name, address or phone', () => {
    const report = withoutPersonalData({
      ...base,
      rejections: [
        { row: 2, field: 'Mã hồ sơ', value: 'CTH-2023-0001393', reason: 'Mã hồ sơ bị trùng' },
        { row: 3, field: 'Mã đơn vị', value: 'XYZ1', reason: 'Đơn vị không thuộc đợt khảo sát' },
        { row: 4, field: 'Mã đơn vị', value: 'Sở Du lịch', reason: 'Đơn vị không thuộc đợt khảo sát' },
        { row: 5, field: 'Mã đơn vị', value: 'Nguyễn Thị Bảy', reason: 'Đơn vị không thuộc đợt khảo sát' },
        { row: 6, field: 'Mã đơn vị', value: 'Số 12, phường Mỹ Bình', reason: 'Đơn vị không thuộc đợt khảo sát' },
        { row: 7, field: 'Ngày trả kết quả', value: '31/02/2023', reason: 'Ngày trả kết quả không hợp lệ' },
        { row: 8, field: 'Ngày trả kết quả', value: '0912345678', reason: 'Ngày trả kết quả không hợp lệ' },
        { row: 9, field: 'Ngày trả kết quả', value: 'Số 5 Lê Lợi', reason: 'Ngày trả kết quả không hợp lệ' },
      ],
      unknownUnits: [
        { value: 'XYZ1', rows: 2 },
        { value: 'Nguyễn Thị Bảy', rows: 1 },
        { value: 'Số 12, phường Mỹ Bình', rows: 1 },
      ],
    });
    expect(report.rejections.map((r) => r.value)).toEqual(['CTH-2023-0001393', 'XYZ1', 'Sở Du lịch', undefined, undefined, '31/02/2023', undefined, undefined]);
    expect(report.rejections.every((r) => r.reason.length > 0)).toBe(true);
    expect(report.unknownUnits).toEqual([{ value: 'XYZ1', rows: 2 }, { value: HIDDEN_VALUE, rows: 2 }]);
  });
});
