import { fold } from './text';

const FIELDS = [
  'dossier_code',
  'unit_code',
  'procedure',
  'applicant_name',
  'applicant_type',
  'id_number',
  'phone',
  'address',
  'result_date',
  'channel',
] as const;

export type Field = (typeof FIELDS)[number];

/** How each field is named to the administrator in messages. */
export const FIELD_LABELS: Record<Field, string> = {
  dossier_code: 'Mã hồ sơ',
  unit_code: 'Mã đơn vị',
  procedure: 'Tên thủ tục',
  applicant_name: 'Họ và tên',
  applicant_type: 'Loại đối tượng',
  id_number: 'Số CCCD/CMND',
  phone: 'Số điện thoại',
  address: 'Địa chỉ',
  result_date: 'Ngày trả kết quả',
  channel: 'Hình thức nộp',
};

// Header spellings seen in one-stop exports, written here already folded (see fold()).
const ALIASES: Record<Field, string[]> = {
  dossier_code: ['ma ho so', 'so ho so', 'ma so ho so', 'dossier code', 'dossier', 'dossier id', 'ma hs'],
  unit_code: [
    'ma don vi', 'don vi', 'ten don vi', 'co quan giai quyet', 'co quan', 'don vi giai quyet',
    'unit code', 'unit', 'unit name', 'agency',
  ],
  procedure: ['ten thu tuc', 'thu tuc', 'thu tuc hanh chinh', 'linh vuc', 'procedure', 'procedure name', 'field'],
  applicant_name: [
    'ho va ten', 'ho ten', 'ten to chuc', 'ten ca nhan', 'nguoi nop', 'ten nguoi nop', 'chu ho so',
    'applicant name', 'applicant', 'name', 'full name',
  ],
  applicant_type: ['loai doi tuong', 'doi tuong', 'ca nhan', 'to chuc', 'applicant type', 'type'],
  id_number: [
    'so cccd', 'cccd', 'so cmnd', 'cmnd', 'so dinh danh', 'ma so thue', 'mst', 'so giay to',
    'id number', 'id', 'national id', 'tax code',
  ],
  phone: ['so dien thoai', 'dien thoai', 'sdt', 'so dt', 'phone', 'phone number', 'telephone', 'mobile'],
  address: ['dia chi', 'dia chi lien he', 'dia chi nhan ket qua', 'address', 'postal address'],
  result_date: [
    'ngay tra ket qua', 'ngay tra', 'ngay co ket qua', 'ngay hoan thanh', 'result date', 'date returned',
  ],
  channel: ['hinh thuc nop', 'hinh thuc', 'kenh nop', 'channel', 'submission channel'],
};

export const REQUIRED_FIELDS: readonly Field[] = ['dossier_code', 'unit_code', 'applicant_name', 'result_date'];

const BY_ALIAS = new Map<string, Field>();
for (const field of FIELDS) for (const alias of ALIASES[field]) BY_ALIAS.set(alias, field);

function headerKey(header: string): string {
  return fold(header).replace(/[_\-:()*]/g, ' ').replace(/\s+/g, ' ').trim();
}

/**
 * The field a header names, or null. A header such as "Số CCCD/CMND" or "Cá nhân / Tổ chức"
 * matches when the whole text, or every '/'-separated part, is a known spelling of one field.
 */
export function matchHeader(header: string): Field | null {
  const whole = BY_ALIAS.get(headerKey(header));
  if (whole) return whole;
  const parts = header.split('/').map(headerKey).filter((p) => p !== '');
  if (parts.length < 2) return null;
  const first = BY_ALIAS.get(parts[0]);
  return first && parts.every((p) => BY_ALIAS.get(p) === first) ? first : null;
}

export interface ColumnMap {
  index: Record<Field, number>;
  columns: { field: Field; header: string }[];
  ignoredColumns: string[];
}

/** Column index per field (-1 when absent); a second column for the same field is ignored. */
export function mapColumns(headers: string[]): ColumnMap {
  const index = Object.fromEntries(FIELDS.map((f) => [f, -1])) as Record<Field, number>;
  const columns: { field: Field; header: string }[] = [];
  const ignoredColumns: string[] = [];
  headers.forEach((raw, i) => {
    const header = raw.trim();
    if (header === '') return;
    const field = matchHeader(header);
    if (field && index[field] === -1) {
      index[field] = i;
      columns.push({ field, header });
    } else {
      ignoredColumns.push(header);
    }
  });
  return { index, columns, ignoredColumns };
}
