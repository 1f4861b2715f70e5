import type { Allocation } from './types';

function requireCount(value: number | undefined, what: string): void {
  if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
    throw new RangeError(`${what} phải là số nguyên không âm (nhận được ${value}).`);
  }
}

/** Rejects an allocation an administrator could not have meant; messages are shown to them. */
export function validateAllocation(allocation: Allocation): void {
  switch (allocation.kind) {
    case 'fixed':
      requireCount(allocation.perUnit, 'Cỡ mẫu mỗi đơn vị');
      return;
    case 'proportional':
      requireCount(allocation.total, 'Tổng cỡ mẫu');
      requireCount(allocation.min, 'Cỡ mẫu tối thiểu');
      requireCount(allocation.max, 'Cỡ mẫu tối đa');
      if (allocation.min !== undefined && allocation.max !== undefined && allocation.min > allocation.max) {
        throw new RangeError(`Cỡ mẫu tối thiểu (${allocation.min}) lớn hơn tối đa (${allocation.max}).`);
      }
      return;
    case 'margin':
      if (!(allocation.margin > 0 && allocation.margin < 1)) {
        throw new RangeError(`Sai số phải nằm giữa 0 và 1, ví dụ 0,05 (nhận được ${allocation.margin}).`);
      }
      requireCount(allocation.max, 'Cỡ mẫu tối đa');
      return;
    default:
      throw new RangeError(`Cách phân bổ không được hỗ trợ: ${(allocation as { kind: string }).kind}.`);
  }
}

/** n = N / (1 + N·e²) rounded up; the tolerance keeps an exact integer from being pushed up by float error. */
function marginSize(eligible: number, margin: number): number {
  if (eligible === 0) return 0;
  return Math.ceil(eligible / (1 + eligible * margin * margin) - 1e-9);
}

/**
 * Largest size any unit can be given, whatever its N: the draw keeps this many candidates per
 * unit while streaming, before the N that fixes the real size is known.
 */
export function plannedUpperBound(allocation: Allocation): number {
  switch (allocation.kind) {
    case 'fixed':
      return allocation.perUnit;
    case 'proportional':
      return Math.max(allocation.min ?? 0, allocation.max ?? allocation.total);
    case 'margin': {
      const bound = Math.ceil(1 / (allocation.margin * allocation.margin));
      return allocation.max === undefined ? bound : Math.min(bound, allocation.max);
    }
  }
}

/**
 * Proportional split with bounds. Shares are T·N_u/ΣN, computed in exact integer arithmetic
 * (T·N_u stays below 2⁵³ for any real frame). Units whose share falls outside [min, max] are
 * pinned to the bound and the rest of the total is re-split among the others until no share
 * violates a bound; then Hamilton's largest-remainder method turns shares into integers, ties
 * going to the larger unit and then to the smaller code, so the sum is exactly the total
 * unless the bounds make that impossible. Units with no eligible person get 0.
 */
function proportional(eligible: Record<string, number>, total: number, min: number, max: number): Record<string, number> {
  const codes = Object.keys(eligible).filter((c) => eligible[c] > 0);
  const result: Record<string, number> = Object.fromEntries(Object.keys(eligible).map((c) => [c, 0]));
  let free = codes;
  let remaining = total;
  for (;;) {
    const sum = free.reduce((s, c) => s + eligible[c], 0);
    if (free.length === 0 || sum === 0) break;
    const low = free.filter((c) => remaining * eligible[c] < min * sum);
    const high = free.filter((c) => remaining * eligible[c] > max * sum);
    // Pin one side at a time: pinning the low ones frees total for the others and can cure a
    // high violation that pinning both at once would have fixed too early.
    const pinned = low.length > 0 ? low : high;
    if (pinned.length === 0) break;
    for (const c of pinned) {
      result[c] = low.length > 0 ? min : max;
      remaining -= result[c];
    }
    free = free.filter((c) => !pinned.includes(c));
  }
  if (free.length === 0) return result;
  remaining = Math.max(0, remaining);
  const sum = free.reduce((s, c) => s + eligible[c], 0);
  const rest: { code: string; remainder: number }[] = [];
  let given = 0;
  for (const c of free) {
    const share = Math.floor((remaining * eligible[c]) / sum);
    result[c] = share;
    given += share;
    rest.push({ code: c, remainder: remaining * eligible[c] - share * sum });
  }
  rest.sort((a, b) => b.remainder - a.remainder || eligible[b.code] - eligible[a.code] || (a.code < b.code ? -1 : 1));
  for (let i = 0; given < remaining && i < rest.length; i++) {
    if (result[rest[i].code] < max) {
      result[rest[i].code]++;
      given++;
    }
  }
  return result;
}

/**
 * Planned sample size per unit from the distinct eligible persons N per unit. A planned size
 * may exceed N (a minimum, or a fixed n): the draw then takes everyone and reports the shortfall.
 */
export function allocate(eligibleByUnit: Record<string, number>, allocation: Allocation): Record<string, number> {
  validateAllocation(allocation);
  const codes = Object.keys(eligibleByUnit);
  switch (allocation.kind) {
    case 'fixed':
      return Object.fromEntries(codes.map((c) => [c, allocation.perUnit]));
    case 'margin':
      return Object.fromEntries(
        codes.map((c) => [c, Math.min(marginSize(eligibleByUnit[c], allocation.margin), allocation.max ?? Infinity)]),
      );
    case 'proportional':
      return proportional(eligibleByUnit, allocation.total, allocation.min ?? 0, allocation.max ?? Infinity);
  }
}
