import type { Allocation, AllocationVersion } from './types';

/** The rules new draws use; see AllocationVersion. Recorded with every draw. */
export const ALLOCATION_VERSION: AllocationVersion = 2;

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
  if (allocation.version !== undefined && allocation.version !== 1 && allocation.version !== 2) {
    throw new RangeError(`Phiên bản quy tắc phân bổ không được hỗ trợ: ${allocation.version}.`);
  }
}

/** The allocation with its rules' version written in, as a draw records it. */
export function withVersion(allocation: Allocation): Allocation {
  return { ...allocation, version: allocation.version ?? ALLOCATION_VERSION };
}

/**
 * Yamane's n = N / (1 + N·e²), rounded up (so the margin is at most e), then capped at `max`
 * by the caller; never above N. The tolerance keeps an exact integer from being pushed up by
 * float error.
 */
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
 * Version 1 of the proportional split, kept only so draws recorded under it still verify:
 * units whose share fell outside [min, max] were pinned to the bound for good and the rest
 * re-split, which could leave a unit pinned at the minimum when later pins freed total for it,
 * and planned another total without a word when the bounds made it unreachable.
 */
function proportionalV1(eligible: Record<string, number>, total: number, min: number, max: number): Record<string, number> {
  const codes = Object.keys(eligible).filter((c) => eligible[c] > 0);
  const result: Record<string, number> = Object.fromEntries(Object.keys(eligible).map((c) => [c, 0]));
  let free = codes;
  let remaining = total;
  for (;;) {
    const sum = free.reduce((s, c) => s + eligible[c], 0);
    if (free.length === 0 || sum === 0) break;
    const low = free.filter((c) => remaining * eligible[c] < min * sum);
    const high = free.filter((c) => remaining * eligible[c] > max * sum);
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

interface Stratum {
  code: string;
  n: bigint;
  lo: bigint;
  hi: bigint;
}

/** λ = a / c, exact. */
interface Ratio {
  a: bigint;
  c: bigint;
}

const clampBig = (x: bigint, lo: bigint, hi: bigint) => (x < lo ? lo : x > hi ? hi : x);

/** c · Σ_u clamp(λ·N_u, lo_u, hi_u) for λ = a/c: the real total at λ, as an integer over c. */
function totalAt(strata: Stratum[], { a, c }: Ratio): bigint {
  return strata.reduce((s, u) => s + clampBig(a * u.n, u.lo * c, u.hi * c), 0n);
}

/**
 * Version 2 of the proportional split: n_u = clamp(λ·N_u, lo_u, hi_u) with lo_u = min(min, N_u)
 * and hi_u = min(max, N_u), so no unit is planned more people than it has and the total is
 * drawn in full. The real total g(λ) = Σ clamp(λ·N_u) grows with λ, piecewise linear between
 * the breakpoints lo_u/N_u and hi_u/N_u: the breakpoint segment holding T is found, λ solved
 * on it exactly (integers of any size, so no float error decides who gets a person), then
 * Hamilton's largest-remainder method turns the real shares into integers (ties to the larger
 * unit, then the smaller code). A unit whose share is a whole number is at or inside its bounds,
 * and only units with a fraction get the extra one, so every n_u stays within [lo_u, hi_u].
 * A total outside [Σ lo_u, Σ hi_u] is refused with that range.
 */
function proportional(eligible: Record<string, number>, total: number, min: number, max: number): Record<string, number> {
  const result: Record<string, number> = Object.fromEntries(Object.keys(eligible).map((c) => [c, 0]));
  const strata: Stratum[] = Object.keys(eligible)
    .filter((code) => eligible[code] > 0)
    .map((code) => {
      const n = eligible[code];
      return { code, n: BigInt(n), lo: BigInt(Math.min(min, n)), hi: BigInt(Math.min(max, n)) };
    });
  const low = strata.reduce((s, u) => s + u.lo, 0n);
  const high = strata.reduce((s, u) => s + u.hi, 0n);
  const T = BigInt(total);
  if (T < low || T > high) {
    const count = (x: bigint) => Number(x).toLocaleString('vi-VN');
    const given = [...(min > 0 ? [`tối thiểu ${min}`] : []), ...(max === Infinity ? [] : [`tối đa ${max}`])];
    const bounds = given.length > 0 ? `với ${given.join(', ')} phiếu mỗi đơn vị (và không quá số người đủ điều kiện)` : 'khi không đơn vị nào nhận quá số người đủ điều kiện';
    throw new RangeError(
      `Không chia được tổng ${count(T)} phiếu: ${bounds}, ` +
        `${strata.length} đơn vị có người đủ điều kiện chỉ cho tổng từ ${count(low)} đến ${count(high)} phiếu. ` +
        'Hãy chọn tổng trong khoảng này hoặc đổi mức tối thiểu, tối đa.',
    );
  }
  if (strata.length === 0) return result;

  const breakpoints: Ratio[] = strata.flatMap((u) => [
    { a: u.lo, c: u.n },
    { a: u.hi, c: u.n },
  ]);
  breakpoints.sort((x, y) => (x.a * y.c < y.a * x.c ? -1 : x.a * y.c > y.a * x.c ? 1 : 0));
  // The last breakpoint where the real total is still at most T (the first one always is:
  // every unit is at its lower bound there).
  let first = 0;
  let last = breakpoints.length - 1;
  while (first < last) {
    const mid = (first + last + 1) >> 1;
    const b = breakpoints[mid];
    if (totalAt(strata, b) <= T * b.c) first = mid;
    else last = mid - 1;
  }
  const b = breakpoints[first];
  const atB = totalAt(strata, b);
  let lambda: Ratio = b;
  if (atB < T * b.c) {
    // Between b and the next breakpoint the units strictly inside their bounds grow at slope
    // ΣN_u: λ = b + (T − g(b)) / ΣN_u.
    const slope = strata.reduce((s, u) => (u.lo * b.c <= u.n * b.a && u.n * b.a < u.hi * b.c ? s + u.n : s), 0n);
    lambda = { a: b.a * slope + T * b.c - atB, c: b.c * slope };
  }

  const rest: { stratum: Stratum; remainder: bigint }[] = [];
  let given = 0n;
  for (const u of strata) {
    const share = clampBig(lambda.a * u.n, u.lo * lambda.c, u.hi * lambda.c);
    const whole = share / lambda.c;
    result[u.code] = Number(whole);
    given += whole;
    rest.push({ stratum: u, remainder: share - whole * lambda.c });
  }
  rest.sort(
    (x, y) =>
      (x.remainder > y.remainder ? -1 : x.remainder < y.remainder ? 1 : 0) ||
      (x.stratum.n > y.stratum.n ? -1 : x.stratum.n < y.stratum.n ? 1 : 0) ||
      (x.stratum.code < y.stratum.code ? -1 : 1),
  );
  for (let i = 0; given < T; i++, given++) result[rest[i].stratum.code]++;
  return result;
}

/**
 * Planned sample size per unit from the distinct eligible persons N per unit, under the rules
 * of `allocation.version` (the current ones when absent). A fixed n may exceed N, and so could
 * a minimum under version 1: the draw then takes everyone and reports the shortfall.
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
    case 'proportional': {
      const split = (allocation.version ?? ALLOCATION_VERSION) === 1 ? proportionalV1 : proportional;
      return split(eligibleByUnit, allocation.total, allocation.min ?? 0, allocation.max ?? Infinity);
    }
  }
}
