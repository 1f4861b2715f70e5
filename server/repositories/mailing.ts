import { byteOrder } from '../db/dialect';
import type { Executor, QuestionnaireStatus } from '../db/schema';
import { fetchPage, questionnaireCodeMatches, type ListFilter, type Paged } from './list-page';

/**
 * What the mailing pack and the post-office manifest need about each released questionnaire.
 * This is personal data (name, address, phone from `contacts`): only administrators' pages and
 * commands read it.
 */
export interface MailingRecipient {
  questionnaireId: number;
  code: string;
  token: string;
  unitCode: string;
  unitName: string;
  role: 'primary' | 'reserve';
  status: QuestionnaireStatus;
  applicantName: string;
  applicantType: 'individual' | 'organisation';
  address: string | null;
  phone: string | null;
}

/** Statuses that still need (or had) a letter: people who could not be reached or refused are left out. */
export const MAILABLE_STATUSES: QuestionnaireStatus[] = ['drawn', 'dispatched', 'returned-paper', 'answered-qr', 'invalid'];

export interface MailingFilter {
  unitCode?: string;
  notYetSent?: boolean;
  /** Only these questionnaires (one printed batch); at most a few hundred. */
  questionnaireIds?: number[];
}

/** The released questionnaires that get a letter, with their contacts. */
function mailableQuestionnaires(db: Executor, waveYear: number, filter: MailingFilter) {
  let query = db
    .selectFrom('questionnaires')
    .innerJoin('contacts', 'contacts.sample_entry_id', 'questionnaires.sample_entry_id')
    .where('questionnaires.wave_year', '=', waveYear)
    .where('questionnaires.released', '=', 1)
    .where('questionnaires.status', 'in', filter.notYetSent ? ['drawn'] : MAILABLE_STATUSES);
  if (filter.unitCode) query = query.where('questionnaires.unit_code', '=', filter.unitCode);
  // An empty batch matches nothing (SQL has no empty IN list).
  if (filter.questionnaireIds) query = query.where('questionnaires.id', 'in', filter.questionnaireIds.length > 0 ? filter.questionnaireIds : [-1]);
  return query;
}

/** What putting the letters in delivery order needs: each one's address, and its code to break ties. */
export async function listMailingOrder(db: Executor, waveYear: number, filter: MailingFilter = {}): Promise<{ questionnaireId: number; code: string; address: string | null }[]> {
  const rows = await mailableQuestionnaires(db, waveYear, filter).select(['questionnaires.id', 'questionnaires.code', 'contacts.address']).execute();
  return rows.map((r) => ({ questionnaireId: r.id, code: r.code, address: r.address }));
}

export async function listMailingRecipients(db: Executor, waveYear: number, filter: MailingFilter = {}): Promise<MailingRecipient[]> {
  const query = mailableQuestionnaires(db, waveYear, filter)
    .innerJoin('sample_entries', 'sample_entries.id', 'questionnaires.sample_entry_id')
    .leftJoin('units', (join) => join.onRef('units.wave_year', '=', 'questionnaires.wave_year').onRef('units.code', '=', 'questionnaires.unit_code'))
    .select([
      'questionnaires.id',
      'questionnaires.code',
      'questionnaires.token',
      'questionnaires.unit_code',
      'questionnaires.status',
      'units.name as unit_name',
      'sample_entries.role',
      'contacts.applicant_name',
      'contacts.applicant_type',
      'contacts.address',
      'contacts.phone',
    ]);
  const rows = await query.orderBy(byteOrder(db, 'questionnaires.code')).execute();
  return rows.map((r) => ({
    questionnaireId: r.id,
    code: r.code,
    token: r.token,
    unitCode: r.unit_code,
    unitName: r.unit_name ?? r.unit_code,
    role: r.role,
    status: r.status,
    applicantName: r.applicant_name,
    applicantType: r.applicant_type,
    address: r.address,
    phone: r.phone,
  }));
}

/** drawn → dispatched for the given questionnaires; others keep their status. Returns how many changed. */
export async function markDispatched(db: Executor, waveYear: number, questionnaireIds: number[]): Promise<number> {
  let changed = 0;
  const now = new Date().toISOString();
  // Chunked so a large wave stays under every database's bound-parameter limit.
  for (let i = 0; i < questionnaireIds.length; i += 500) {
    const result = await db
      .updateTable('questionnaires')
      .set({ status: 'dispatched', status_changed_at: now })
      .where('wave_year', '=', waveYear)
      .where('status', '=', 'drawn')
      .where('released', '=', 1)
      .where('id', 'in', questionnaireIds.slice(i, i + 500))
      .executeTakeFirst();
    changed += Number(result.numUpdatedRows);
  }
  return changed;
}

export interface UnitMailingCounts {
  unitCode: string;
  unitName: string;
  /** Released questionnaires that still need or had a letter. */
  letters: number;
  notYetSent: number;
  reserves: number;
}

function mailingCountsQuery(db: Executor, waveYear: number, filter: ListFilter) {
  let query = db
    .selectFrom('units')
    .innerJoin('questionnaires', (join) => join.onRef('questionnaires.wave_year', '=', 'units.wave_year').onRef('questionnaires.unit_code', '=', 'units.code'))
    .innerJoin('sample_entries', 'sample_entries.id', 'questionnaires.sample_entry_id')
    .where('units.wave_year', '=', waveYear)
    .where('questionnaires.released', '=', 1)
    .where('questionnaires.status', 'in', MAILABLE_STATUSES);
  if (filter.unitCode) query = query.where('units.code', '=', filter.unitCode);
  const code = filter.code;
  if (code) {
    query = query.where('units.code', 'in', (eb) =>
      eb.selectFrom('questionnaires as found').select('found.unit_code').where('found.wave_year', '=', waveYear).where(questionnaireCodeMatches('found.code', code)),
    );
  }
  return query;
}

/**
 * One page of the units that have letters, in the wave's unit order, with their counts: the
 * unit asked for, or the units holding a questionnaire whose code matches. Counts only.
 */
export async function pageMailingUnits(db: Executor, waveYear: number, filter: ListFilter, page: number): Promise<Paged<UnitMailingCounts>> {
  const query = mailingCountsQuery(db, waveYear, filter);
  return fetchPage(
    page,
    async () => Number((await query.select((eb) => eb.fn.count<number>('units.code').distinct().as('n')).executeTakeFirstOrThrow()).n),
    async (limit, offset) => {
      const rows = await query
        .select((eb) => [
          'units.code',
          'units.name',
          eb.fn.countAll<number>().as('letters'),
          eb.fn.sum<number>(eb.case().when('questionnaires.status', '=', 'drawn').then(1).else(0).end()).as('not_yet_sent'),
          eb.fn.sum<number>(eb.case().when('sample_entries.role', '=', 'reserve').then(1).else(0).end()).as('reserves'),
        ])
        .groupBy(['units.code', 'units.name', 'units.sort_order'])
        .orderBy('units.sort_order')
        .limit(limit)
        .offset(offset)
        .execute();
      return rows.map((r) => ({ unitCode: r.code, unitName: r.name, letters: Number(r.letters), notYetSent: Number(r.not_yet_sent), reserves: Number(r.reserves) }));
    },
  );
}

/** The wave's letters, and how many are not marked sent yet, whatever page of units is shown. */
export async function mailingTotals(db: Executor, waveYear: number): Promise<{ letters: number; notYetSent: number }> {
  const row = await mailingCountsQuery(db, waveYear, {})
    .select((eb) => [eb.fn.countAll<number>().as('letters'), eb.fn.sum<number>(eb.case().when('questionnaires.status', '=', 'drawn').then(1).else(0).end()).as('not_yet_sent')])
    .executeTakeFirstOrThrow();
  return { letters: Number(row.letters), notYetSent: Number(row.not_yet_sent ?? 0) };
}
