import type { ByteSource } from '../../sampling';
import { seededRandom } from '../../sampling/seeded-random';
import type { UnitKind } from '../db/schema';

/** What the generator needs of a unit (a unit of the wave, as imported). */
export interface FrameUnit {
  code: string;
  name: string;
  kind: UnitKind;
}

/** Rows of the whole export, traps included: about what a merged province returns in half a year. */
const FRAME_2025_ROWS = 300_000;

/**
 * The smallest special zone (an island of a few hundred people) returns a handful of dossiers:
 * fewer people than the allocation's minimum, so the draw takes all of them.
 */
const ISLAND_CODE = '31105';
const ISLAND_ROWS = 28;

const HEADER = 'Mã hồ sơ,Mã đơn vị,Tên thủ tục,Họ và tên,Loại đối tượng,Số CCCD,Số điện thoại,Địa chỉ,Ngày trả kết quả,Hình thức nộp';
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Hoàng', 'Phan', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý', 'Trương', 'Châu', 'Lâm', 'Thạch', 'Danh'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Minh', 'Thanh', 'Ngọc', 'Đức', 'Mỹ', 'Tấn', 'Hồng', 'Diễm', 'Kim', 'Quốc'];
const GIVEN = ['An', 'Anh', 'Bình', 'Châu', 'Dũng', 'Hải', 'Hoa', 'Khang', 'Linh', 'Long', 'Mai', 'Nam', 'Oanh', 'Phúc', 'Tài', 'Trang', 'Tuấn', 'Yến', 'Sơn', 'Thảo'];
const STREETS = ['Lê Lợi', 'Trần Hưng Đạo', 'Nguyễn Huệ', 'Hai Bà Trưng', 'Phan Đình Phùng', 'Lý Thái Tổ', 'Nguyễn Trung Trực', 'Mạc Cửu', 'Tôn Đức Thắng', 'Nguyễn Văn Cừ'];
const COMMUNE_PROCEDURES = ['Chứng thực bản sao từ bản chính', 'Đăng ký khai sinh', 'Đăng ký kết hôn', 'Đăng ký thường trú', 'Cấp giấy phép xây dựng nhà ở riêng lẻ', 'Đăng ký thành lập hộ kinh doanh'];
const DEPARTMENT_PROCEDURES = ['Cấp phiếu lý lịch tư pháp', 'Cấp giấy phép lái xe', 'Cấp chứng chỉ hành nghề', 'Đăng ký doanh nghiệp', 'Cấp giấy chứng nhận quyền sử dụng đất', 'Cấp giấy chứng nhận đủ điều kiện an toàn thực phẩm'];
const CHANNELS = ['Trực tiếp', 'Bưu chính công ích', 'Trực tuyến'];
/** Codes of districts abolished on 1 July 2025 that a one-stop export may still carry. */
const STALE_CODES = ['LXU', 'CDO', 'TCH', 'KG-RGI', 'KG-PQU'];

/**
 * Rows per unit: communes from a few hundred to several thousand (log-uniform, so most are
 * small and a few large), departments larger, the island zone a handful; scaled so the whole
 * export has FRAME_2025_ROWS rows.
 */
function frameSizes(units: readonly FrameUnit[], seed: number): Map<string, number> {
  const random = seededRandom(seed);
  const logUniform = (low: number, high: number) => Math.exp(Math.log(low) + random() * (Math.log(high) - Math.log(low)));
  const raw = units.map((u) => (u.code === ISLAND_CODE ? 0 : u.kind === 'commune' ? logUniform(300, 6000) : logUniform(1500, 25_000)));
  const scale = (FRAME_2025_ROWS - ISLAND_ROWS) / raw.reduce((s, v) => s + v, 0);
  return new Map(units.map((u, i) => [u.code, u.code === ISLAND_CODE ? ISLAND_ROWS : Math.max(1, Math.round(raw[i] * scale))]));
}

/**
 * The one-stop system's export of dossiers returned between July and December 2025, streamed
 * in chunks (never written to the repository), with the traps of a real export: codes of
 * abolished districts, repeated dossier codes, rows returned before the merger or after the
 * period, missing addresses, organisations without an ID number, repeat applicants, four
 * date forms. Deterministic for a given seed.
 */
export async function* frame2025(units: readonly FrameUnit[], seed: number): ByteSource {
  const sizes = frameSizes(units, seed);
  const random = seededRandom(seed + 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  // Every row's unit, shuffled so units interleave as dossiers do in the export.
  const unitOfRow = new Uint16Array([...sizes.values()].reduce((s, n) => s + n, 0));
  let filled = 0;
  units.forEach((u, k) => unitOfRow.fill(k, filled, (filled += sizes.get(u.code)!)));
  for (let i = unitOfRow.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [unitOfRow[i], unitOfRow[j]] = [unitOfRow[j], unitOfRow[i]];
  }
  const places = units.filter((u) => u.kind === 'commune').map((u) => u.name.replace(/^UBND /, ''));
  let batch = '\ufeff' + HEADER + '\r\n';
  let lastId = '';
  for (let i = 0; i < unitOfRow.length; i++) {
    const unit = units[unitOfRow[i]];
    const code = random() < 0.0005 && i > 0 ? `${unit.code}-2025-${String(i).padStart(7, '0')}` : `${unit.code}-2025-${String(i + 1).padStart(7, '0')}`;
    const unitCode = random() < 0.001 ? pick(STALE_CODES) : unit.code;
    const organisation = random() < 0.05;
    const name = organisation ? `Công ty TNHH ${pick(GIVEN)} ${pick(STREETS)}` : `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
    const id = organisation ? '' : random() < 0.08 && lastId !== '' ? lastId : `${random() < 0.6 ? '089' : '091'}${String(Math.floor(random() * 1e9)).padStart(9, '0')}`;
    if (id !== '') lastId = id;
    const place = unit.kind === 'commune' ? unit.name.replace(/^UBND /, '') : pick(places);
    const address = random() < 0.008 ? '' : `Số ${1 + Math.floor(random() * 400)}, đường ${pick(STREETS)}, ${place}, tỉnh An Giang`;
    // About 1 % returned before the merger (June) or after the period (January 2026).
    const outside = random() < 0.01;
    const [year, month] = outside ? (random() < 0.5 ? [2025, 6] : [2026, 1]) : [2025, 7 + Math.floor(random() * 6)];
    const day = 1 + Math.floor(random() * 28);
    const date = oneStopDate(year, month, day, random());
    const phone = `09${String(Math.floor(random() * 1e8)).padStart(8, '0')}`;
    const procedure = pick(unit.kind === 'commune' ? COMMUNE_PROCEDURES : DEPARTMENT_PROCEDURES);
    // Only the address has commas (no field has quotes or line breaks): it alone is quoted.
    batch += `${code},${unitCode},${procedure},${name},${organisation ? 'Tổ chức' : 'Cá nhân'},${id},${phone},${address && `"${address}"`},${date},${pick(CHANNELS)}\r\n`;
    if (batch.length > 1 << 20) {
      yield Buffer.from(batch);
      batch = '';
    }
  }
  yield Buffer.from(batch);
}

/**
 * A date as one-stop exports write it, by `form` in [0, 1): mostly dd/mm/yyyy, some ISO, some
 * without leading zeros, and a few Excel serial numbers (a column Excel reformatted).
 */
export function oneStopDate(year: number, month: number, day: number, form: number): string {
  if (form < 0.6) return `${String(day).padStart(2, '0')}/${String(month).padStart(2, '0')}/${year}`;
  if (form < 0.9) return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (form < 0.97) return `${day}/${month}/${year}`;
  return String(Math.round((Date.UTC(year, month - 1, day) - Date.UTC(1899, 11, 30)) / 86_400_000));
}
