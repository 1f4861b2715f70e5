/*
 * The draw: simple random sampling without replacement within each unit, made reproducible
 * and checkable by ordering people with a keyed hash instead of a pseudo-random stream.
 *
 * Method 'hmac-sha256-rank-v1', for a seed S:
 *   0. A row whose dossier code occurs on any other row of the file is rejected, all such rows
 *      alike, so that no choice between them depends on their order.
 *   1. Every eligible row belongs to a person. personKey = 'id:' + identity number (spaces,
 *      dots and dashes removed, upper case) when the row has one, else 'na:' + name + U+0000 +
 *      address, both NFC, accents removed (đ → d), lower case, whitespace collapsed.
 *   2. rank(person) = HMAC-SHA-256(key = UTF-8(S), message = UTF-8(unitCode + U+0000 + personKey)),
 *      read as a 256-bit big-endian number (equivalently: compare the lowercase hex strings).
 *   3. In each unit, people sorted by rank ascending: the first n are the primary sample, the
 *      next ceil(n · r / 100) the reserve list, in that order.
 *   4. A person with several eligible dossiers in the unit is described by the dossier with the
 *      smallest HMAC-SHA-256(S, 'dossier' + U+0000 + dossierCode).
 *
 * Why this way: HMAC output is uniform and independent across people for a seed nobody could
 * predict, so taking the n smallest is a uniformly random n-subset with no modulo bias; the
 * ranks do not depend on the order of the rows in the file, so a re-sorted export gives the
 * same sample; and anyone can re-check a published draw with any HMAC tool (e.g.
 * `printf 'CMO\0id:0901…' | openssl dgst -sha256 -hmac SEED`) without this code. Only the k
 * smallest ranks per unit are kept while streaming (a bounded max-heap), so memory is
 * O(sample), and the rank is computed once per distinct person.
 */
import { plannedUpperBound, allocate, validateAllocation, withVersion } from './allocate';
import { isoOfDay } from './dates';
import type { RecordFields } from './frame-reader';
import { compareDigests } from './sha256';
import type { DrawOptions, DrawResult, DrawnEntry, FrameScan, SampleLine, UnitDraw, UnitRef } from './types';

export const SAMPLING_METHOD = 'hmac-sha256-rank-v1';
/**
 * Bump whenever any rule above or in the frame reading changes what a draw selects, and keep
 * the old rules selectable below: a draw is re-checked under the version it was drawn with.
 * 1.1.0: persons by identity number (one lost leading zero repaired) or name+address.
 * 1.2.0: identity keys without leading zeros, exact scientific notation read back, and rows
 *        without a number linked to the one number their name+address carries in the unit
 *        (docs/phuong-phap-boc-mau.md, section 4).
 * The allocation's own rules are versioned apart, in the recorded allocation (allocate.ts).
 */
export const SAMPLING_CODE_VERSION = 'sipas-sampling-1.2.0';
const FRAME_RULES: Record<string, 1 | 2> = { 'sipas-sampling-1.1.0': 1, 'sipas-sampling-1.2.0': 2 };
export const SAMPLING_CODE_VERSIONS = Object.keys(FRAME_RULES);

/** A person kept in a unit's selection; the draw from an index keeps other things per person. */
export interface Ranked {
  rank: Int32Array;
  personId: number;
}

/**
 * A fresh copy of a field kept beyond the text it was read from. Papa's fields are slices of
 * the text parsed, and a kept slice would keep the whole text alive.
 */
function own(text: string): string {
  return text === '' ? '' : text.split('').join('');
}

function nullable(text: string): string | null {
  return text === '' ? null : own(text);
}

/** The drawn row as listed, from its record read back alone. */
export function describe(unitCode: string, row: RecordFields): DrawnEntry {
  return {
    unitCode,
    role: 'primary',
    rank: 0,
    dossierCode: own(row.dossierCode),
    procedure: nullable(row.text('procedure')),
    resultDate: isoOfDay(row.resultDay),
    channel: nullable(row.text('channel')),
    applicant: {
      name: own(row.text('applicant_name')),
      type: row.organisation ? 'organisation' : 'individual',
      idNumber: nullable(row.idNumber),
      phone: nullable(row.text('phone')),
      address: nullable(row.text('address')),
    },
  };
}

/** The k smallest ranks of one unit, largest on top so it is the one evicted. */
export class UnitSelection<C extends Ranked> {
  private readonly heap: C[] = [];
  private readonly members = new Map<number, C>();

  constructor(private readonly capacity: number) {}

  /** Would a person of this rank be kept? */
  admits(rank: Int32Array): boolean {
    if (this.heap.length < this.capacity) return true;
    return this.capacity > 0 && compareDigests(rank, this.heap[0].rank) < 0;
  }

  add(candidate: C): void {
    const heap = this.heap;
    if (heap.length >= this.capacity) {
      this.members.delete(heap[0].personId);
      heap[0] = candidate;
      this.siftDown(0);
    } else {
      heap.push(candidate);
      this.siftUp(heap.length - 1);
    }
    this.members.set(candidate.personId, candidate);
  }

  member(personId: number): C | undefined {
    return this.members.get(personId);
  }

  ordered(): C[] {
    return [...this.heap].sort((a, b) => compareDigests(a.rank, b.rank));
  }

  private siftUp(i: number): void {
    const heap = this.heap;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (compareDigests(heap[i].rank, heap[parent].rank) <= 0) return;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const heap = this.heap;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let largest = i;
      if (left < heap.length && compareDigests(heap[left].rank, heap[largest].rank) > 0) largest = left;
      if (right < heap.length && compareDigests(heap[right].rank, heap[largest].rank) > 0) largest = right;
      if (largest === i) return;
      [heap[i], heap[largest]] = [heap[largest], heap[i]];
      i = largest;
    }
  }
}

function reserveSize(planned: number, reservePercent: number): number {
  return Math.ceil((planned * reservePercent) / 100);
}

/** What a draw is asked for, apart from the frame it reads (drawSample) or its draw index (drawFromIndex). */
export type DrawRequest = Pick<DrawOptions, 'seed' | 'allocation' | 'reservePercent' | 'codeVersion' | 'onProgress'>;

/** Checks the request; gives its method version, frame rules and how many to keep per unit while streaming. */
export function checkDrawRequest(request: DrawRequest): { codeVersion: string; frameRules: 1 | 2; capacity: number } {
  const { seed, allocation, reservePercent } = request;
  const codeVersion = request.codeVersion ?? SAMPLING_CODE_VERSION;
  const frameRules = FRAME_RULES[codeVersion];
  if (frameRules === undefined) {
    throw new RangeError(`Phiên bản phương pháp bốc mẫu "${codeVersion}" không được hỗ trợ (có: ${SAMPLING_CODE_VERSIONS.join(', ')}).`);
  }
  validateAllocation(allocation);
  if (seed === '') throw new RangeError('Cần một chuỗi hạt giống (seed) không rỗng để bốc mẫu.');
  if (!(reservePercent >= 0 && reservePercent <= 1000)) {
    throw new RangeError(`Tỷ lệ dự phòng phải từ 0 đến 1000 % (nhận được ${reservePercent}).`);
  }
  const bound = plannedUpperBound(allocation);
  return { codeVersion, frameRules, capacity: bound + reserveSize(bound, reservePercent) };
}

/**
 * The result of a draw once the frame was read: each unit's n primary and reserves, the first
 * of its kept people in rank order (`ordered`, smallest rank first); `describeAll` gives the
 * entries of all those chosen at once, in their order.
 */
export async function drawResult<C>(
  scan: FrameScan,
  request: DrawRequest,
  codeVersion: string,
  units: UnitRef[],
  ordered: (unitIndex: number) => C[],
  describeAll: (chosen: C[]) => DrawnEntry[] | Promise<DrawnEntry[]>,
): Promise<DrawResult> {
  const { seed, allocation, reservePercent } = request;
  const result: DrawResult = {
    ok: scan.ok,
    ...(scan.fatal !== undefined ? { fatal: scan.fatal } : {}),
    sha256: scan.sha256,
    dedupBytes: scan.dedupBytes,
    seed,
    // Recorded with its rules' version, so a re-run years later splits the total the same way.
    allocation: withVersion(allocation),
    reservePercent,
    method: SAMPLING_METHOD,
    codeVersion,
    report: scan.report,
    units: [],
    entries: [],
  };
  if (!scan.ok) return result;

  const planned = allocate(scan.report.eligibleByUnit, allocation);
  const unitIndexes = units.map((_, i) => i).sort((a, b) => byCodeUnits(units[a].code, units[b].code));
  const chosen: C[] = [];
  const slots: { role: 'primary' | 'reserve'; rank: number }[] = [];
  for (const unitIndex of unitIndexes) {
    const code = units[unitIndex].code;
    const kept = ordered(unitIndex);
    const n = planned[code];
    const drawn = Math.min(n, kept.length);
    const reserve = Math.min(reserveSize(n, reservePercent), kept.length - drawn);
    kept.slice(0, drawn + reserve).forEach((c, i) => {
      const primary = i < drawn;
      chosen.push(c);
      slots.push({ role: primary ? 'primary' : 'reserve', rank: primary ? i + 1 : i - drawn + 1 });
    });
    const unit: UnitDraw = {
      unitCode: code,
      eligible: scan.report.eligibleByUnit[code],
      planned: n,
      drawn,
      reserve,
      shortfall: n - drawn,
    };
    result.units.push(unit);
  }
  const entries = await describeAll(chosen);
  result.entries = entries.map((entry, i) => ({ ...entry, ...slots[i] }));
  return result;
}

/** Plain UTF-16 order, the same on every machine and locale. */
function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sampleLines(result: DrawResult): SampleLine[] {
  return result.entries.map((e) => ({ unitCode: e.unitCode, role: e.role, rank: e.rank, dossierCode: e.dossierCode }));
}

function slotOrder(a: SampleLine, b: SampleLine): number {
  return byCodeUnits(a.unitCode, b.unitCode) || (a.role === b.role ? 0 : a.role === 'primary' ? -1 : 1) || a.rank - b.rank;
}

function lineOrder(a: SampleLine, b: SampleLine): number {
  return slotOrder(a, b) || byCodeUnits(a.dossierCode, b.dossierCode);
}

function describeLine(line: SampleLine): string {
  const list = line.role === 'primary' ? 'danh sách chính' : 'danh sách dự phòng';
  return `đơn vị ${line.unitCode}, ${list}, thứ tự ${line.rank}`;
}

/**
 * Compares a stored sample with a re-run, independent of the order the lines are given in.
 * `expected` is what was published, `actual` what the re-run produced.
 */
export function compareSamples(
  expected: SampleLine[],
  actual: SampleLine[],
): { identical: true } | { identical: false; firstDifference: string } {
  const a = [...expected].sort(lineOrder);
  const b = [...actual].sort(lineOrder);
  // Walk both lists slot by slot, so one missing line is reported as missing, not as a shift.
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const x = a[i];
    const y = b[j];
    const order = x === undefined ? 1 : y === undefined ? -1 : slotOrder(x, y);
    if (order < 0) {
      return { identical: false, firstDifference: `Mẫu đã lưu có ${describeLine(x)} (hồ sơ ${x.dossierCode}) mà chạy lại không có.` };
    }
    if (order > 0) {
      return { identical: false, firstDifference: `Chạy lại có thêm ${describeLine(y)} (hồ sơ ${y.dossierCode}) không có trong mẫu đã lưu.` };
    }
    if (x.dossierCode !== y.dossierCode) {
      return {
        identical: false,
        firstDifference: `Khác nhau ở ${describeLine(x)}: mẫu đã lưu là hồ sơ ${x.dossierCode}, chạy lại ra hồ sơ ${y.dossierCode}.`,
      };
    }
    i++;
    j++;
  }
  return { identical: true };
}
