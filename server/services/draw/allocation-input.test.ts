import { describe, expect, it } from 'vitest';
import { allocationFrom, describeAllocation, parseReservePercent } from './allocation-input';

describe('allocationFrom', () => {
  it('reads each allocation as typed on the form or command line', () => {
    expect(allocationFrom({ kind: 'fixed', perUnit: '25' })).toEqual({ kind: 'fixed', perUnit: 25 });
    expect(allocationFrom({ kind: 'proportional', total: '700', min: '10', max: '' })).toEqual({ kind: 'proportional', total: 700, min: 10 });
    expect(allocationFrom({ kind: 'margin', margin: '0,05', max: '40' })).toEqual({ kind: 'margin', margin: 0.05, max: 40 });
    expect(allocationFrom({ kind: 'margin', margin: ' 0.1 ' })).toEqual({ kind: 'margin', margin: 0.1 });
  });

  it('says which field is wrong', () => {
    expect(() => allocationFrom({ kind: 'fixed', perUnit: '' })).toThrow('Thiếu số phiếu mỗi đơn vị');
    expect(() => allocationFrom({ kind: 'proportional', total: '7,5' })).toThrow('tổng số phiếu phải là số nguyên không âm (nhận được "7,5")');
    expect(() => allocationFrom({ kind: 'proportional', total: '700', max: '-3' })).toThrow('số phiếu tối đa mỗi đơn vị phải là số nguyên không âm (nhận được "-3")');
    expect(() => allocationFrom({ kind: 'margin', margin: '5' })).toThrow('Sai số phải là một số giữa 0 và 1');
    expect(() => allocationFrom({ kind: 'margin', margin: '' })).toThrow('Sai số phải là một số giữa 0 và 1');
    expect(() => allocationFrom({})).toThrow('Chọn một cách phân bổ');
  });
});

describe('parseReservePercent', () => {
  it('defaults to 20 %, accepts a decimal comma and refuses what is not a percentage', () => {
    expect(parseReservePercent(undefined)).toBe(20);
    expect(parseReservePercent('')).toBe(20);
    expect(parseReservePercent('0')).toBe(0);
    expect(parseReservePercent('12,5')).toBe(12.5);
    expect(() => parseReservePercent('-1')).toThrow('Tỷ lệ dự phòng phải từ 0 đến 100 %');
    expect(() => parseReservePercent('101')).toThrow('(nhận được "101")');
    expect(() => parseReservePercent('hai mươi')).toThrow('Tỷ lệ dự phòng phải từ 0 đến 100 %');
  });
});

describe('describeAllocation', () => {
  it('puts each allocation in words, leaving out the bounds not given', () => {
    expect(describeAllocation({ kind: 'fixed', perUnit: 25 })).toBe('cố định 25 phiếu mỗi đơn vị');
    expect(describeAllocation({ kind: 'proportional', total: 700, min: 10, max: 60, version: 2 })).toBe(
      'tổng 700 phiếu chia theo tỷ lệ số người đủ điều kiện, tối thiểu 10, tối đa 60 mỗi đơn vị (quy tắc phân bổ phiên bản 2: n = λ·N giới hạn trong [tối thiểu, tối đa] và không quá N, λ chọn để tổng đúng bằng tổng đã định, làm tròn theo phần dư lớn nhất)',
    );
    expect(describeAllocation({ kind: 'proportional', total: 700, version: 1 })).toBe(
      'tổng 700 phiếu chia theo tỷ lệ số người đủ điều kiện mỗi đơn vị (quy tắc phân bổ phiên bản 1: đơn vị vượt giới hạn bị ghim ở giới hạn, phần còn lại chia lại)',
    );
    // Yamane: the rounding and the cap are stated.
    expect(describeAllocation({ kind: 'margin', margin: 0.05, max: 40 })).toBe('n = N / (1 + N·e²) với e = 0,05, làm tròn lên, tối đa 40 mỗi đơn vị (n không bao giờ quá N)');
    expect(describeAllocation({ kind: 'margin', margin: 0.05 })).toBe('n = N / (1 + N·e²) với e = 0,05, làm tròn lên, không đặt mức tối đa mỗi đơn vị (n không bao giờ quá N)');
  });
});
