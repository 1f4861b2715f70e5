import { sql, type Expression, type SqlBool } from 'kysely';
import { byteOrder } from '../db/dialect';
import type { Executor, QuestionnaireStatus } from '../db/schema';

/**
 * What the staff lists (drawn list, tracking, mailing, mismatches) share: one page of rows,
 * counted and cut in SQL so a wave of 10,000 questionnaires never reaches a page whole, and the
 * search by questionnaire code.
 */

/** Rows on one page of a staff list: a page stays a few hundred kilobytes at most. */
export const PAGE_SIZE = 100;

/** A questionnaire code as searched: whole (its check character fits) or a part of one. */
export interface CodeSearch {
  /** Upper case, as typed: matched inside dossier codes (a draft draw has no questionnaire codes yet). */
  text: string;
  /** Letters and digits only: matched inside questionnaire codes whatever hyphens were typed. */
  compact: string;
  /** The printed code when a whole, valid one was typed: matched exactly. */
  exactCode: string | null;
}

/** The filters of a staff list: `?q=` and `?unit=`. */
export interface ListFilter {
  code?: CodeSearch;
  unitCode?: string;
}

export interface Paged<T> {
  rows: T[];
  /** Rows matching the filters, on every page. */
  total: number;
  /** The page shown, 1-based: a page past the last shows the last. */
  page: number;
  pageCount: number;
}

/** Counts, then reads the page asked for (the last one when asked for more). */
export async function fetchPage<T>(
  requestedPage: number,
  count: () => Promise<number>,
  rows: (limit: number, offset: number) => Promise<T[]>,
  pageSize = PAGE_SIZE,
): Promise<Paged<T>> {
  const total = await count();
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const page = Math.min(Math.max(1, Math.floor(requestedPage) || 1), pageCount);
  return { rows: total === 0 ? [] : await rows(pageSize, (page - 1) * pageSize), total, page, pageCount };
}

/** LIKE pattern for "contains", its wildcards escaped (used with ESCAPE '\'). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

/**
 * The questionnaire code in `column` matches the search (hyphens ignored): the whole code, or a
 * part of one. Both, always: with all-digit unit codes a part of one commune's code can read as
 * a whole code of a shorter unit code (`25302920078` is `25-3029-2007-8`), which no unit has.
 */
export function questionnaireCodeMatches(column: string, search: CodeSearch): Expression<SqlBool> {
  const part = sql<SqlBool>`replace(${sql.ref(column)}, '-', '') like ${containsPattern(search.compact)} escape '\\'`;
  if (search.exactCode === null) return part;
  return sql<SqlBool>`(${sql.ref(column)} = ${search.exactCode} or ${part})`;
}

/** The dossier code in `column` contains the typed text, in any case. */
export function dossierCodeMatches(column: string, search: CodeSearch): Expression<SqlBool> {
  return sql<SqlBool>`upper(${sql.ref(column)}) like ${containsPattern(search.text)} escape '\\'`;
}

/** A questionnaire a code search found: where it is and what became of it, nothing about its person. */
export interface FoundQuestionnaire {
  code: string;
  unitCode: string;
  unitName: string;
  role: 'primary' | 'reserve';
  released: boolean;
  status: QuestionnaireStatus;
}

/** The wave's questionnaires whose code matches, by code; at most `limit`. */
export async function findQuestionnairesByCode(db: Executor, waveYear: number, search: CodeSearch, limit: number): Promise<FoundQuestionnaire[]> {
  const rows = await db
    .selectFrom('questionnaires')
    .innerJoin('sample_entries', 'sample_entries.id', 'questionnaires.sample_entry_id')
    .leftJoin('units', (join) => join.onRef('units.wave_year', '=', 'questionnaires.wave_year').onRef('units.code', '=', 'questionnaires.unit_code'))
    .select(['questionnaires.code', 'questionnaires.unit_code', 'units.name as unit_name', 'sample_entries.role', 'questionnaires.released', 'questionnaires.status'])
    .where('questionnaires.wave_year', '=', waveYear)
    .where(questionnaireCodeMatches('questionnaires.code', search))
    .orderBy(byteOrder(db, 'questionnaires.code'))
    .limit(limit)
    .execute();
  return rows.map((r) => ({ code: r.code, unitCode: r.unit_code, unitName: r.unit_name ?? r.unit_code, role: r.role, released: r.released === 1, status: r.status }));
}
