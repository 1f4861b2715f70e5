import type { Selectable } from 'kysely';
import { z } from 'zod';
import type { Allocation, DrawnEntry, FrameOptions, SampleLine, UnitDraw } from '../../sampling';
import { byteOrder } from '../db/dialect';
import { jsonColumn, type JsonColumn } from '../db/json-column';
import type { DrawTable, Executor } from '../db/schema';
import { dossierCodeMatches, fetchPage, questionnaireCodeMatches, type ListFilter, type Paged } from './list-page';

export type DrawStatus = 'draft' | 'published' | 'superseded';

export interface Draw {
  id: number;
  waveYear: number;
  frameImportId: number;
  frameSha256: string;
  seed: string;
  allocation: Allocation;
  reservePercent: number;
  method: string;
  codeVersion: string;
  units: UnitDraw[];
  /** The rules the draw ran under (null for a draw recorded before they were kept). */
  eligibility: DrawEligibility | null;
  /** The commitment (commit–reveal) whose rule gave the seed; null when the seed was chosen freely. */
  commitmentId: number | null;
  status: DrawStatus;
  createdAt: string;
  createdBy: string | null;
  publishedAt: string | null;
}

export type DrawEligibility = Pick<FrameOptions, 'period' | 'requirePostalAddress' | 'excludeOrganisations'>;

/** A drawn line as people see it: no personal data. */
export interface DrawnLine extends SampleLine {
  sampleEntryId: number;
  /** Empty until the draw is published. */
  questionnaireCode: string | null;
}

type DrawRow = Selectable<DrawTable>;

/** Draws recorded before allocation rules were versioned ran under version 1, and re-run under it. */
const allocationVersion = z.union([z.literal(1), z.literal(2)]).default(1);

// Typed as the sampling library's own types, so a schema that drifts from them fails to compile.
export const allocationColumn: JsonColumn<Allocation> = jsonColumn(
  'draws.allocation',
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('fixed'), perUnit: z.number(), version: allocationVersion }),
    z.object({ kind: z.literal('proportional'), total: z.number(), min: z.number().optional(), max: z.number().optional(), version: allocationVersion }),
    z.object({ kind: z.literal('margin'), margin: z.number(), max: z.number().optional(), version: allocationVersion }),
  ]),
);

/** Also read by the analysis, for the eligible N per unit of the finite population correction. */
export const unitSummaryColumn: JsonColumn<UnitDraw[]> = jsonColumn(
  'draws.unit_summary',
  z.array(z.object({ unitCode: z.string(), eligible: z.number(), planned: z.number(), drawn: z.number(), reserve: z.number(), shortfall: z.number() })),
);

/** The column itself is nullable: null (a draw recorded before the rules were kept) never goes through the codec. */
const eligibilityColumn: JsonColumn<DrawEligibility> = jsonColumn(
  'draws.eligibility',
  z.object({
    period: z.object({ from: z.string(), to: z.string() }).optional(),
    requirePostalAddress: z.boolean().optional(),
    excludeOrganisations: z.boolean().optional(),
  }),
);

function toDraw(row: DrawRow): Draw {
  return {
    id: row.id,
    waveYear: row.wave_year,
    frameImportId: row.frame_import_id,
    frameSha256: row.frame_sha256,
    seed: row.seed,
    allocation: allocationColumn.read(row.allocation),
    reservePercent: row.reserve_percent,
    method: row.method,
    codeVersion: row.code_version,
    units: unitSummaryColumn.read(row.unit_summary),
    eligibility: row.eligibility === null ? null : eligibilityColumn.read(row.eligibility),
    commitmentId: row.commitment_id,
    status: row.status,
    createdAt: row.created_at,
    createdBy: row.created_by,
    publishedAt: row.published_at,
  };
}

export async function insertDraw(
  db: Executor,
  draw: Omit<Draw, 'id' | 'status' | 'publishedAt'>,
): Promise<Draw> {
  const row = {
    wave_year: draw.waveYear,
    frame_import_id: draw.frameImportId,
    frame_sha256: draw.frameSha256,
    seed: draw.seed,
    allocation: allocationColumn.write(draw.allocation),
    reserve_percent: draw.reservePercent,
    method: draw.method,
    code_version: draw.codeVersion,
    // The analysis reads eligible N per unit from here for the finite population correction.
    unit_summary: unitSummaryColumn.write(draw.units),
    eligibility: draw.eligibility === null ? null : eligibilityColumn.write(draw.eligibility),
    commitment_id: draw.commitmentId,
    status: 'draft' as const,
    created_at: draw.createdAt,
    created_by: draw.createdBy,
    published_at: null,
  };
  const { id } = await db.insertInto('draws').values(row).returning('id').executeTakeFirstOrThrow();
  return toDraw({ id, ...row });
}

/**
 * Rows per INSERT when a draw is recorded: 9 values a row stays far below SQLite's 32,766
 * parameters a statement; a proportional draw of 10,000 people is then 44 statements, not 20,000.
 */
const ENTRIES_PER_INSERT = 500;

/**
 * Stores the drawn people, in the draw's order: each case in sample_entries, the personal data
 * apart in contacts. Each entry is known by its unit, role and rank (unique within a draw), which
 * is how contacts find their entry's id whatever order RETURNING gives.
 */
export async function insertSampleEntries(db: Executor, drawId: number, waveYear: number, entries: readonly DrawnEntry[]): Promise<void> {
  const key = (unitCode: string, role: string, rank: number) => `${unitCode}\u0000${role}\u0000${rank}`;
  for (let start = 0; start < entries.length; start += ENTRIES_PER_INSERT) {
    const part = entries.slice(start, start + ENTRIES_PER_INSERT);
    const inserted = await db
      .insertInto('sample_entries')
      .values(
        part.map((entry) => ({
          draw_id: drawId,
          wave_year: waveYear,
          unit_code: entry.unitCode,
          role: entry.role,
          rank: entry.rank,
          dossier_code: entry.dossierCode,
          procedure: entry.procedure,
          result_date: entry.resultDate,
          submission_channel: entry.channel,
        })),
      )
      .returning(['id', 'unit_code', 'role', 'rank'])
      .execute();
    const ids = new Map(inserted.map((row) => [key(row.unit_code, row.role, row.rank), row.id]));
    if (ids.size !== part.length) throw new Error(`insertSampleEntries: ${part.length} entries but ${ids.size} distinct unit, role and rank`);
    await db
      .insertInto('contacts')
      .values(
        part.map((entry) => ({
          sample_entry_id: ids.get(key(entry.unitCode, entry.role, entry.rank))!,
          applicant_name: entry.applicant.name,
          applicant_type: entry.applicant.type,
          id_number: entry.applicant.idNumber,
          phone: entry.applicant.phone,
          address: entry.applicant.address,
        })),
      )
      .execute();
  }
}

/** The wave's draw in force (draft or published); superseded ones are only kept for the log. */
export async function findCurrentDraw(db: Executor, waveYear: number): Promise<Draw | undefined> {
  const row = await db
    .selectFrom('draws')
    .selectAll()
    .where('wave_year', '=', waveYear)
    .where('status', '!=', 'superseded')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row && toDraw(row);
}

export async function listDraws(db: Executor, waveYear: number): Promise<Draw[]> {
  const rows = await db.selectFrom('draws').selectAll().where('wave_year', '=', waveYear).orderBy('id', 'desc').execute();
  return rows.map(toDraw);
}

/**
 * Retires a draw: kept for the log, but its people's personal data and its questionnaires go,
 * so nobody is contacted for a draw that no longer holds.
 */
export async function supersedeDraw(db: Executor, drawId: number): Promise<void> {
  const entryIds = db.selectFrom('sample_entries').select('id').where('draw_id', '=', drawId);
  await db.deleteFrom('questionnaires').where('sample_entry_id', 'in', entryIds).execute();
  await db.deleteFrom('contacts').where('sample_entry_id', 'in', entryIds).execute();
  await db.updateTable('draws').set({ status: 'superseded' }).where('id', '=', drawId).execute();
}

/** Deletes the contacts of every person drawn in the wave; returns how many went. */
export async function deleteWaveContacts(db: Executor, waveYear: number): Promise<number> {
  const entriesOfWave = db.selectFrom('sample_entries').select('id').where('wave_year', '=', waveYear);
  const deleted = await db.deleteFrom('contacts').where('sample_entry_id', 'in', entriesOfWave).executeTakeFirst();
  return Number(deleted.numDeletedRows);
}

const ERASED_DOSSIER_CODE = '(đã xóa)';

/** Replaces the wave's dossier codes with a mark (the column stays NOT NULL); returns how many were still there. */
export async function eraseDossierCodes(db: Executor, waveYear: number): Promise<number> {
  const erased = await db
    .updateTable('sample_entries')
    .set({ dossier_code: ERASED_DOSSIER_CODE })
    .where('wave_year', '=', waveYear)
    .where('dossier_code', '!=', ERASED_DOSSIER_CODE)
    .executeTakeFirst();
  return Number(erased.numUpdatedRows);
}

export async function markDrawPublished(db: Executor, drawId: number): Promise<string> {
  const at = new Date().toISOString();
  await db.updateTable('draws').set({ status: 'published', published_at: at }).where('id', '=', drawId).execute();
  return at;
}

function drawnLinesQuery(db: Executor, drawId: number) {
  return db
    .selectFrom('sample_entries')
    .leftJoin('questionnaires', 'questionnaires.sample_entry_id', 'sample_entries.id')
    .where('sample_entries.draw_id', '=', drawId);
}

type DrawnLineRow = { id: number; unit_code: string; role: 'primary' | 'reserve'; rank: number; dossier_code: string; code: string | null };

function toDrawnLine(r: DrawnLineRow): DrawnLine {
  return { sampleEntryId: r.id, unitCode: r.unit_code, role: r.role, rank: r.rank, dossierCode: r.dossier_code, questionnaireCode: r.code };
}

const DRAWN_LINE_COLUMNS = ['sample_entries.id', 'sample_entries.unit_code', 'sample_entries.role', 'sample_entries.rank', 'sample_entries.dossier_code', 'questionnaires.code'] as const;

/** The drawn lines of a draw by unit code, primaries before reserves, then rank. */
export async function listDrawnLines(db: Executor, drawId: number): Promise<DrawnLine[]> {
  const rows = await drawnLinesQuery(db, drawId)
    .select(DRAWN_LINE_COLUMNS)
    .orderBy(byteOrder(db, 'sample_entries.unit_code'))
    .orderBy('sample_entries.role')
    .orderBy('sample_entries.rank')
    .execute();
  return rows.map(toDrawnLine);
}

/**
 * One page of the drawn list, in listDrawnLines' order. A draft is searched by dossier code
 * (its questionnaire codes do not exist yet); a published draw only by questionnaire code,
 * since finding a questionnaire from a dossier code would tie the person to their answers.
 */
export async function pageDrawnLines(db: Executor, draw: Pick<Draw, 'id' | 'status'>, filter: ListFilter, page: number): Promise<Paged<DrawnLine>> {
  let query = drawnLinesQuery(db, draw.id);
  if (filter.unitCode) query = query.where('sample_entries.unit_code', '=', filter.unitCode);
  if (filter.code) {
    query = query.where(draw.status === 'draft' ? dossierCodeMatches('sample_entries.dossier_code', filter.code) : questionnaireCodeMatches('questionnaires.code', filter.code));
  }
  return fetchPage(
    page,
    async () => Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    async (limit, offset) => {
      const rows = await query
        .select(DRAWN_LINE_COLUMNS)
        .orderBy(byteOrder(db, 'sample_entries.unit_code'))
        .orderBy('sample_entries.role')
        .orderBy('sample_entries.rank')
        .limit(limit)
        .offset(offset)
        .execute();
      return rows.map(toDrawnLine);
    },
  );
}

/**
 * Codes already issued per unit by earlier published draws of the wave (now superseded):
 * a redraw numbers after them so a letter already printed can never match a new person.
 */
export async function countCodesIssuedBefore(db: Executor, waveYear: number, drawId: number): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('sample_entries')
    .innerJoin('draws', 'draws.id', 'sample_entries.draw_id')
    .select(['sample_entries.unit_code', (eb) => eb.fn.countAll<number>().as('n')])
    .where('draws.wave_year', '=', waveYear)
    .where('draws.id', '!=', drawId)
    .where('draws.published_at', 'is not', null)
    .groupBy('sample_entries.unit_code')
    .execute();
  return new Map(rows.map((r) => [r.unit_code, Number(r.n)]));
}

export async function insertQuestionnaire(
  db: Executor,
  q: { waveYear: number; sampleEntryId: number; unitCode: string; code: string; token: string; released: boolean },
): Promise<void> {
  await db
    .insertInto('questionnaires')
    .values({
      wave_year: q.waveYear,
      sample_entry_id: q.sampleEntryId,
      unit_code: q.unitCode,
      code: q.code,
      token: q.token,
      status: 'drawn',
      released: q.released ? 1 : 0,
      replaces_id: null,
      status_changed_at: new Date().toISOString(),
    })
    .execute();
}

export async function countWaveResponses(db: Executor, waveYear: number): Promise<number> {
  const { n } = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('wave_year', '=', waveYear)
    .executeTakeFirstOrThrow();
  return Number(n);
}
