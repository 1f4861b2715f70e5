import { readFramePart, type FrameFile, type PartReader } from './frame-parts';
import { seededRandom } from './seeded-random';
import type { ByteSource, UnitRef } from './types';

/** Feeds bytes in fixed-size chunks, so tests cross chunk boundaries inside rows and characters. */
export function source(data: string | Uint8Array, chunkSize = 64 * 1024): ByteSource {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return {
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < bytes.length; i += chunkSize) yield bytes.subarray(i, i + chunkSize);
    },
  };
}

/**
 * A frame file read in parts (frame-parts.ts) from any size up: its second part is read by
 * readFramePart on this same thread, interleaved with the first (the server gives a real
 * thread). `readPart` can be replaced to watch or to fail the part.
 */
export function partedFile(data: string | Uint8Array, chunkSize = 4096, readPart?: PartReader): FrameFile {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  return {
    size: bytes.length,
    read: (start, end) => source(bytes.subarray(start, end), chunkSize),
    ranges: async (ranges) => ranges.map((r) => bytes.slice(r.offset, r.offset + r.length)),
    readPart: readPart ?? ((task, log, onProgress) => readFramePart(source(bytes.subarray(task.start, task.end), chunkSize), task, log, onProgress)),
    partsFromBytes: 0,
  };
}

export const UNITS: UnitRef[] = [
  { code: 'CMO', name: 'Huyện Chợ Mới' },
  { code: 'LXU', name: 'Thành phố Long Xuyên' },
  { code: 'STP', name: 'Sở Tư pháp' },
];

export const HEADER = 'Mã hồ sơ,Mã đơn vị,Tên thủ tục,Họ và tên,Loại đối tượng,Số CCCD,Số điện thoại,Địa chỉ,Ngày trả kết quả,Hình thức nộp';

export interface RowSpec {
  code: string;
  unit?: string;
  name?: string;
  type?: string;
  id?: string;
  address?: string;
  date?: string;
}

function quote(value: string): string {
  return /[",\n\r;\t]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function row(spec: RowSpec): string {
  return [
    spec.code,
    spec.unit ?? 'CMO',
    'Cấp phiếu lý lịch tư pháp',
    spec.name ?? 'Nguyễn Văn An',
    spec.type ?? 'Cá nhân',
    spec.id ?? '',
    '0912345678',
    spec.address ?? 'Số 1, đường Lê Lợi, phường Mỹ Bình',
    spec.date ?? '15/03/2023',
    'Bưu chính công ích',
  ]
    .map(quote)
    .join(',');
}

export function csv(rows: string[], header = HEADER, eol = '\r\n'): string {
  return [header, ...rows].join(eol) + eol;
}

/** A frame of `count` distinct persons in one unit, each with one dossier. */
export function personsFrame(count: number, unit = 'CMO'): string {
  const rows: string[] = [];
  for (let i = 1; i <= count; i++) {
    rows.push(row({ code: `${unit}-${String(i).padStart(5, '0')}`, unit, id: `0890${String(i).padStart(8, '0')}` }));
  }
  return csv(rows);
}

// Kept importable from here, where the tests and benches look for it; the demo needs it too.
export { seededRandom };

export function shuffled<T>(items: T[], seed: number): T[] {
  const random = seededRandom(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
