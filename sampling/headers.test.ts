import { describe, expect, it } from 'vitest';
import { mapColumns, matchHeader } from './headers';

describe('matchHeader', () => {
  it.each([
    ['Mã hồ sơ', 'dossier_code'],
    ['MÃ HỒ SƠ', 'dossier_code'],
    ['Ma ho so', 'dossier_code'],
    ['dossier_code', 'dossier_code'],
    ['Mã đơn vị', 'unit_code'],
    ['Cơ quan giải quyết', 'unit_code'],
    ['unit_code', 'unit_code'],
    ['Tên thủ tục', 'procedure'],
    ['Lĩnh vực', 'procedure'],
    ['Họ và tên', 'applicant_name'],
    ['Tên tổ chức', 'applicant_name'],
    ['Họ và tên / Tên tổ chức', 'applicant_name'],
    ['Loại đối tượng', 'applicant_type'],
    ['Cá nhân / Tổ chức', 'applicant_type'],
    ['Số CCCD', 'id_number'],
    ['Số CCCD/CMND', 'id_number'],
    ['CMND', 'id_number'],
    ['Mã số thuế', 'id_number'],
    ['Số điện thoại', 'phone'],
    ['Địa chỉ', 'address'],
    ['Ngày trả kết quả', 'result_date'],
    ['result_date', 'result_date'],
    ['Hình thức nộp', 'channel'],
    ['Ma ho so'.normalize('NFD'), 'dossier_code'],
    ['Mã hồ sơ'.normalize('NFD'), 'dossier_code'],
  ])('%s → %s', (header, field) => {
    expect(matchHeader(header)).toBe(field);
  });

  it('does not match unknown or mixed headers', () => {
    expect(matchHeader('Ghi chú')).toBeNull();
    expect(matchHeader('Số CCCD / Địa chỉ')).toBeNull();
  });
});

describe('mapColumns', () => {
  it('keeps unknown and repeated columns aside', () => {
    const map = mapColumns(['Mã hồ sơ', 'Ghi chú', 'Mã đơn vị', 'Cơ quan giải quyết', '']);
    expect(map.index.dossier_code).toBe(0);
    expect(map.index.unit_code).toBe(2);
    expect(map.index.address).toBe(-1);
    expect(map.ignoredColumns).toEqual(['Ghi chú', 'Cơ quan giải quyết']);
    expect(map.columns).toEqual([
      { field: 'dossier_code', header: 'Mã hồ sơ' },
      { field: 'unit_code', header: 'Mã đơn vị' },
    ]);
  });
});
