import type { Allocation } from '../../../sampling';
import { UserError } from '../../errors';

/** The draw's sample size and reserve as a person types them, on the draw page or the command line. */

export interface AllocationFields {
  kind?: string;
  perUnit?: string;
  total?: string;
  min?: string;
  max?: string;
  margin?: string;
}

function parseCount(raw: string | undefined, label: string, required: boolean): number | undefined {
  const text = raw?.trim() ?? '';
  if (text === '') {
    if (required) throw new UserError(`Thiếu ${label}`);
    return undefined;
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new UserError(`${label} phải là số nguyên không âm (nhận được "${text}")`);
  return value;
}

/** The allocation a person typed (web form or command line), checked field by field. */
export function allocationFrom(fields: AllocationFields): Allocation {
  switch (fields.kind) {
    case 'fixed':
      return { kind: 'fixed', perUnit: parseCount(fields.perUnit, 'số phiếu mỗi đơn vị', true)! };
    case 'proportional': {
      const min = parseCount(fields.min, 'số phiếu tối thiểu mỗi đơn vị', false);
      const max = parseCount(fields.max, 'số phiếu tối đa mỗi đơn vị', false);
      return { kind: 'proportional', total: parseCount(fields.total, 'tổng số phiếu', true)!, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    }
    case 'margin': {
      const text = fields.margin?.trim().replace(',', '.') ?? '';
      const margin = Number(text);
      if (text === '' || !(margin > 0 && margin < 1)) throw new UserError(`Sai số phải là một số giữa 0 và 1, ví dụ 0,05 (nhận được "${fields.margin ?? ''}")`);
      const max = parseCount(fields.max, 'số phiếu tối đa mỗi đơn vị', false);
      return { kind: 'margin', margin, ...(max !== undefined ? { max } : {}) };
    }
    default:
      throw new UserError('Chọn một cách phân bổ: cố định mỗi đơn vị, theo tỷ lệ, hoặc theo sai số');
  }
}

export function parseReservePercent(raw: string | undefined): number {
  const text = raw?.trim().replace(',', '.') ?? '';
  if (text === '') return 20;
  const value = Number(text);
  if (!(value >= 0 && value <= 100)) throw new UserError(`Tỷ lệ dự phòng phải từ 0 đến 100 % (nhận được "${raw}")`);
  return value;
}

/**
 * The allocation in words, for the record and the summary, with the rule that turns it into
 * whole numbers (sampling/allocate.ts): a supervisor re-checks the sizes from this sentence.
 */
export function describeAllocation(allocation: Allocation): string {
  switch (allocation.kind) {
    case 'fixed':
      return `cố định ${allocation.perUnit} phiếu mỗi đơn vị`;
    case 'proportional': {
      const bounds = `${allocation.min !== undefined ? `, tối thiểu ${allocation.min}` : ''}${allocation.max !== undefined ? `, tối đa ${allocation.max}` : ''}`;
      const rule =
        allocation.version === 1
          ? 'quy tắc phân bổ phiên bản 1: đơn vị vượt giới hạn bị ghim ở giới hạn, phần còn lại chia lại'
          : 'quy tắc phân bổ phiên bản 2: n = λ·N giới hạn trong [tối thiểu, tối đa] và không quá N, λ chọn để tổng đúng bằng tổng đã định, làm tròn theo phần dư lớn nhất';
      return `tổng ${allocation.total} phiếu chia theo tỷ lệ số người đủ điều kiện${bounds} mỗi đơn vị (${rule})`;
    }
    case 'margin':
      return `n = N / (1 + N·e²) với e = ${String(allocation.margin).replace('.', ',')}, làm tròn lên, ${allocation.max !== undefined ? `tối đa ${allocation.max}` : 'không đặt mức tối đa'} mỗi đơn vị (n không bao giờ quá N)`;
  }
}
