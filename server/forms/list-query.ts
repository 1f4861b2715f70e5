import type { ListView } from '../../survey-web/pager';
import type { CodeSearch, ListFilter, Paged } from '../repositories/list-page';
import { normaliseQuestionnaireCode } from './questionnaire-codes';

/**
 * The query of a staff list (`?page=2&q=23-SNV&unit=SNV`), read the same way by the drawn list,
 * tracking, mailing and mismatches. Nothing here is refused: a page that is not a number is
 * the first, and a search that matches nothing shows an empty list that says so.
 */
export interface ListQuery {
  page: number;
  /** The search as typed (trimmed), shown back in its field. */
  q: string;
  /** A unit code, or '' for every unit. */
  unit: string;
  filter: ListFilter;
}

// Longer than any questionnaire, dossier or unit code; a longer text is cut, never stored.
const MAX_TEXT = 80;

function text(value: string | string[] | undefined): string {
  const first = Array.isArray(value) ? value[0] : value;
  return (first ?? '').normalize('NFC').trim().slice(0, MAX_TEXT);
}

export function codeSearch(typed: string): CodeSearch | undefined {
  const compact = typed.toUpperCase().replace(/[^0-9A-Z]/g, '');
  if (compact === '') return undefined;
  return { text: typed.toUpperCase(), compact, exactCode: normaliseQuestionnaireCode(typed) };
}

export function readListQuery(query: Record<string, string | string[] | undefined>): ListQuery {
  const pageText = text(query.page);
  const q = text(query.q);
  const unit = text(query.unit);
  const code = codeSearch(q);
  return {
    page: /^\d{1,6}$/.test(pageText) ? Math.max(1, Number(pageText)) : 1,
    q,
    unit,
    filter: { ...(code ? { code } : {}), ...(unit ? { unitCode: unit } : {}) },
  };
}

/** What a page's pager and search form show: the query as read, the page as served. */
export function listView(base: string, query: ListQuery, paged: Omit<Paged<unknown>, 'rows'>, anchor?: string): ListView {
  return { base, ...(anchor ? { anchor } : {}), q: query.q, unit: query.unit, page: paged.page, pageCount: paged.pageCount, total: paged.total };
}
