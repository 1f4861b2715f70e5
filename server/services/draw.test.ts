import { describe, expect, it } from 'vitest';
import { allocationFrom, describeAllocation, parseReservePercent } from './draw';

describe('allocationFrom', () => {
  it('reads each allocation as typed on the form or command line', () => {
    expect(allocationFrom({ kind: 'fixed', perUnit: '25' })).toEqual({ kind: 'fixed', perUnit: 25 });
    expect(allocationFrom({ kind: 'proportional', total: '700', min: '10', max: '' })).toEqual({ kind: 'proportional', total: 700, min: 10 });
    expect(allocationFrom({ kind: 'margin', margin: '0,05', max: '40' })).toEqual({ kind: 'margin', margin: 0.05, max: 40 });
    expect(describeAllocation({ kind: 'margin', margin: 0.05, max: 40 })).toBe('n = N / (1 + N·e²) với e = 0,05, tối đa 40 mỗi đơn vị');
  });

  it('says which field is wrong', () => {
    expect(() => allocationFrom({ kind: 'fixed', perUnit: '' })).toThrow('Thiếu số phiếu mỗi đơn vị');
    expect(() => allocationFrom({ kind: 'proportional', total: '7,5' })).toThrow('tổng số phiếu phải là số nguyên không âm (nhận được "7,5")');
    expect(() => allocationFrom({ kind: 'margin', margin: '5' })).toThrow('Sai số phải là một số giữa 0 và 1');
    expect(() => allocationFrom({})).toThrow('Chọn một cách phân bổ');
    expect(parseReservePercent('')).toBe(20);
    expect(parseReservePercent('12,5')).toBe(12.5);
    expect(() => parseReservePercent('-1')).toThrow('Tỷ lệ dự phòng phải từ 0 đến 100 %');
  });
});
