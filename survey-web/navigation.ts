/**
 * Who may open which staff page, as one table: the navigation shows a person only the pages of
 * this table their role may open, and the routes' guards take their roles from it
 * (`requireRole(...PAGES.tracking.roles)`), so a link that ends in "no permission" cannot be
 * drawn. Plain data: survey-web may not import server/, so the roles are spelled here and the
 * server's `Role` type must accept them (server/db/schema.ts).
 */

export type StaffRole = 'admin' | 'analyst' | 'clerk' | 'supervisor';

export interface StaffPage {
  /** The page's path: after `/waves/<year>` for a wave's page, from the site's root otherwise. */
  path: string;
  label: string;
  roles: readonly StaffRole[];
  /** Shown in the wave's navigation; downloads and sub-pages reached from their page are not. */
  inNav: boolean;
}

const EVERY_STAFF_ROLE: readonly StaffRole[] = ['admin', 'analyst', 'clerk', 'supervisor'];

/** A wave's pages, in the order the work goes (the wave navigation's order). */
export const PAGES = {
  units: { path: '', label: 'Đơn vị', roles: EVERY_STAFF_ROLE, inNav: true },
  frame: { path: '/frame', label: 'Khung mẫu', roles: ['admin', 'supervisor'], inNav: true },
  draw: { path: '/draw', label: 'Bốc mẫu', roles: ['admin', 'supervisor'], inNav: true },
  drawRecord: { path: '/draw/record.csv', label: 'Biên bản bốc mẫu (CSV)', roles: ['admin', 'supervisor'], inNav: false },
  mailing: { path: '/mailing', label: 'Gửi thư mời', roles: ['admin'], inNav: true },
  entry: { path: '/entry', label: 'Nhập phiếu giấy', roles: ['admin', 'clerk'], inNav: true },
  mismatches: { path: '/entry/mismatches', label: 'Đối chiếu nhập hai lần', roles: ['admin', 'supervisor'], inNav: true },
  entrySettings: { path: '/entry/settings', label: 'Cài đặt nhập phiếu', roles: ['admin'], inNav: false },
  responsesImport: { path: '/responses/import', label: 'Nhập phiếu trả lời từ tệp', roles: ['admin'], inNav: true },
  tracking: { path: '/tracking', label: 'Theo dõi thu phiếu', roles: ['admin', 'analyst', 'supervisor'], inNav: true },
  analysis: { path: '/analysis', label: 'Kết quả', roles: ['admin', 'analyst', 'supervisor'], inNav: true },
  settings: { path: '/settings', label: 'Quy tắc của đợt', roles: ['admin'], inNav: true },
  audit: { path: '/audit', label: 'Nhật ký thao tác', roles: ['admin', 'supervisor'], inNav: true },
} as const satisfies Record<string, StaffPage>;

export type WavePageKey = keyof typeof PAGES;

/** Pages outside a wave, linked from every staff page's header for the roles that may open them. */
export const SITE_PAGES = {
  admin: { path: '/admin', label: 'Quản trị', roles: ['admin'], inNav: true },
} as const satisfies Record<string, StaffPage>;

export function mayOpen(page: Pick<StaffPage, 'roles'>, role: string | null | undefined): boolean {
  return role !== null && role !== undefined && (page.roles as readonly string[]).includes(role);
}

/** The wave's pages a role may open, in the navigation's order, with their addresses. */
export function waveNavLinks(year: number, role: string | null | undefined): { key: WavePageKey; href: string; label: string }[] {
  return (Object.keys(PAGES) as WavePageKey[])
    .filter((key) => PAGES[key].inNav && mayOpen(PAGES[key], role))
    .map((key) => ({ key, href: `/waves/${year}${PAGES[key].path}`, label: PAGES[key].label }));
}
