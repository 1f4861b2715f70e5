import type { Executor, QuestionnaireStatus } from '../db/schema';

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

export async function listMailingRecipients(
  db: Executor,
  waveYear: number,
  filter: { unitCode?: string; notYetSent?: boolean } = {},
): Promise<MailingRecipient[]> {
  let query = db
    .selectFrom('questionnaires')
    .innerJoin('sample_entries', 'sample_entries.id', 'questionnaires.sample_entry_id')
    .innerJoin('contacts', 'contacts.sample_entry_id', 'questionnaires.sample_entry_id')
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
    ])
    .where('questionnaires.wave_year', '=', waveYear)
    .where('questionnaires.released', '=', 1)
    .where('questionnaires.status', 'in', filter.notYetSent ? ['drawn'] : MAILABLE_STATUSES);
  if (filter.unitCode) query = query.where('questionnaires.unit_code', '=', filter.unitCode);
  const rows = await query.orderBy('questionnaires.code').execute();
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

/** Per unit, in the wave's unit order: counts only, no personal data. */
export async function countMailingByUnit(db: Executor, waveYear: number): Promise<UnitMailingCounts[]> {
  const rows = await db
    .selectFrom('questionnaires')
    .innerJoin('sample_entries', 'sample_entries.id', 'questionnaires.sample_entry_id')
    .select(['questionnaires.unit_code', 'questionnaires.status', 'sample_entries.role', (eb) => eb.fn.countAll<number>().as('n')])
    .where('questionnaires.wave_year', '=', waveYear)
    .where('questionnaires.released', '=', 1)
    .where('questionnaires.status', 'in', MAILABLE_STATUSES)
    .groupBy(['questionnaires.unit_code', 'questionnaires.status', 'sample_entries.role'])
    .execute();
  const units = await db.selectFrom('units').select(['code', 'name']).where('wave_year', '=', waveYear).orderBy('sort_order').execute();
  const byUnit = new Map(units.map((u) => [u.code, { unitCode: u.code, unitName: u.name, letters: 0, notYetSent: 0, reserves: 0 }]));
  for (const r of rows) {
    let counts = byUnit.get(r.unit_code);
    if (!counts) byUnit.set(r.unit_code, (counts = { unitCode: r.unit_code, unitName: r.unit_code, letters: 0, notYetSent: 0, reserves: 0 }));
    const n = Number(r.n);
    counts.letters += n;
    if (r.status === 'drawn') counts.notYetSent += n;
    if (r.role === 'reserve') counts.reserves += n;
  }
  return [...byUnit.values()].filter((u) => u.letters > 0);
}
