/**
 * The search form and page links of the staff lists (drawn list, tracking, mailing, mismatches):
 * plain links and a GET form, so they work without JavaScript and every page has an address
 * that can be sent to a colleague. Links keep the search and the unit.
 */

export interface ListView {
  /** The list's address, without query. */
  base: string;
  /** Where on the page the list starts, so following a link keeps it in view. */
  anchor?: string;
  q: string;
  unit: string;
  page: number;
  pageCount: number;
  /** Rows matching the search, on every page. */
  total: number;
  /** Other parts of the address the links keep (the dashboard's group and sort). */
  params?: Record<string, string>;
}

/** Added to a page's CSS by the pages that show a list. */
export const listCss =
  '.list-search{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin:.5rem 0}.list-search label{margin:0 0 .25rem}' +
  '.pager{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center;margin:.5rem 0}.pager a,.pager strong{display:inline-block;min-width:2.75rem;padding:.5rem .25rem;text-align:center}';

export function listHref(view: Pick<ListView, 'base' | 'anchor' | 'q' | 'unit' | 'params'>, page: number): string {
  const params = new URLSearchParams(view.params);
  if (view.q) params.set('q', view.q);
  if (view.unit) params.set('unit', view.unit);
  if (page > 1) params.set('page', String(page));
  const query = params.toString();
  return `${view.base}${query ? `?${query}` : ''}${view.anchor ? `#${view.anchor}` : ''}`;
}

/** The pages shown as numbers: the first, the last and two either side of the current one. */
function pageNumbers(page: number, pageCount: number): (number | null)[] {
  const shown: (number | null)[] = [];
  for (let n = 1; n <= pageCount; n++) {
    if (n === 1 || n === pageCount || Math.abs(n - page) <= 2) shown.push(n);
    else if (shown[shown.length - 1] !== null) shown.push(null);
  }
  return shown;
}

/** "Trang 2/8 · 780 dòng", with links to the other pages when there are any. */
export function Pager({ view, rowsLabel = 'dòng' }: { view: ListView; rowsLabel?: string }) {
  const { page, pageCount } = view;
  const filtered = view.q !== '' || view.unit !== '';
  return (
    <nav class="pager no-print" aria-label="Phân trang">
      <span>
        Trang {page}/{pageCount} · {view.total.toLocaleString('vi-VN')} {rowsLabel}
        {filtered ? ' khớp với tìm kiếm' : ''}
      </span>
      {pageCount > 1 ? (
        <>
          {page > 1 ? (
            <a href={listHref(view, page - 1)} rel="prev">
              ‹ Trang trước
            </a>
          ) : null}
          {pageNumbers(page, pageCount).map((n) =>
            n === null ? (
              <span aria-hidden="true">…</span>
            ) : n === page ? (
              <strong aria-current="page">{n}</strong>
            ) : (
              <a href={listHref(view, n)} aria-label={`Trang ${n}`}>
                {n}
              </a>
            ),
          )}
          {page < pageCount ? (
            <a href={listHref(view, page + 1)} rel="next">
              Trang sau ›
            </a>
          ) : null}
        </>
      ) : null}
    </nav>
  );
}

/**
 * Search by questionnaire code and choose a unit. `codeLabel` says what the box matches (a draft
 * draw's list is searched by dossier code, since its questionnaire codes do not exist yet).
 */
export function ListSearch({ view, units, codeLabel = 'Tìm mã phiếu' }: { view: ListView; units?: { code: string; name: string }[]; codeLabel?: string }) {
  const action = `${view.base}${view.anchor ? `#${view.anchor}` : ''}`;
  return (
    <form class="list-search no-print" method="get" action={action} role="search">
      {Object.entries(view.params ?? {}).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <div>
        <label for="list-q">{codeLabel}</label>
        <input id="list-q" name="q" value={view.q} size={18} autocomplete="off" placeholder="ví dụ 23-SNV-0042" />
      </div>
      {units ? (
        <div>
          <label for="list-unit">Đơn vị</label>
          <select id="list-unit" name="unit">
            <option value="">Tất cả đơn vị</option>
            {units.map((u) => (
              <option value={u.code} selected={u.code === view.unit}>
                {u.code} — {u.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div>
        <button type="submit">Tìm</button>{' '}
        {view.q !== '' || view.unit !== '' ? (
          <a class="button secondary" href={action}>
            Bỏ lọc
          </a>
        ) : null}
      </div>
    </form>
  );
}

/** What an empty page of a list says: nothing matched, or nothing exists yet. */
export function EmptyList({ view, none }: { view: ListView; none: string }) {
  if (view.total > 0) return null;
  return <p>{view.q !== '' || view.unit !== '' ? 'Không có dòng nào khớp với tìm kiếm.' : none}</p>;
}

/** A questionnaire found by the code search, with its status named for staff. */
export interface FoundQuestionnaireView {
  code: string;
  unitCode: string;
  unitName: string;
  role: 'primary' | 'reserve';
  released: boolean;
  statusLabel: string;
}

/** The questionnaires a code search found: where each is and what became of it (no personal data). */
export function FoundQuestionnaires({ found, limit }: { found: FoundQuestionnaireView[]; limit: number }) {
  if (found.length === 0) return null;
  return (
    <section>
      <h2>Phiếu có mã khớp{found.length >= limit ? ` (${limit} phiếu đầu)` : ''}</h2>
      <table style="width:auto">
        <thead>
          <tr>
            <th>Mã phiếu</th>
            <th>Đơn vị</th>
            <th>Danh sách</th>
            <th>Trạng thái</th>
          </tr>
        </thead>
        <tbody>
          {found.map((f) => (
            <tr>
              <td>{f.code}</td>
              <td>
                {f.unitCode} — {f.unitName}
              </td>
              <td>{f.role === 'primary' ? 'chính' : f.released ? 'dự phòng (đã phát hành thay người khác)' : 'dự phòng (chưa dùng)'}</td>
              <td>{f.statusLabel}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
