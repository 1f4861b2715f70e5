import { z } from 'zod';
import type { ImportReport } from '../../sampling';
import { jsonColumn, type JsonColumn } from '../db/json-column';
import type { Executor } from '../db/schema';

export interface FrameImport {
  id: number;
  waveYear: number;
  fileName: string;
  fileSha256: string;
  /** Reference to the raw file waiting for its draw (services/storage/stored-files.ts); null once deleted (after publish or a newer import). */
  storedFile: string | null;
  /** Reference to the draw index the import wrote beside the file (issue 15); null for older imports, and once the file is deleted. */
  drawIndexFile: string | null;
  strict: boolean;
  report: ImportReport;
  createdAt: string;
  createdBy: string | null;
}

const counts = z.record(z.string(), z.number());

// Typed as the sampling library's ImportReport, so a schema that drifts from it fails to compile.
const reportColumn: JsonColumn<ImportReport> = jsonColumn(
  'frame_imports.report',
  z.object({
    rowsRead: z.number(),
    rowsAccepted: z.number(),
    rowsRejected: z.number(),
    rejections: z.array(z.object({ row: z.number(), field: z.string().optional(), value: z.string().optional(), reason: z.string() })),
    rejectionCounts: counts,
    duplicateDossierCodes: z.number(),
    personsMerged: z.number(),
    eligibleByUnit: counts,
    rowsByUnit: counts,
    ineligible: z.object({ outsidePeriod: z.number(), noAddress: z.number(), organisation: z.number() }),
    unknownUnits: z.array(z.object({ value: z.string(), rows: z.number() })),
    unitsWithoutRows: z.array(z.string()),
    encoding: z.string(),
    delimiter: z.string(),
    columns: z.array(z.object({ field: z.string(), header: z.string() })),
    ignoredColumns: z.array(z.string()),
  }),
);

export async function insertFrameImport(
  db: Executor,
  input: { waveYear: number; fileName: string; fileSha256: string; storedFile: string; drawIndexFile: string; strict: boolean; report: ImportReport; createdBy: string | null },
): Promise<FrameImport> {
  const createdAt = new Date().toISOString();
  const { id } = await db
    .insertInto('frame_imports')
    .values({
      wave_year: input.waveYear,
      file_name: input.fileName,
      file_sha256: input.fileSha256,
      stored_file: input.storedFile,
      draw_index_file: input.drawIndexFile,
      strict: input.strict ? 1 : 0,
      rows_read: input.report.rowsRead,
      rows_accepted: input.report.rowsAccepted,
      rows_rejected: input.report.rowsRejected,
      report: reportColumn.write(input.report),
      created_at: createdAt,
      created_by: input.createdBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, ...input, createdAt };
}

/** The wave's current frame: its latest import. */
export async function findLatestFrameImport(db: Executor, waveYear: number): Promise<FrameImport | undefined> {
  const row = await db.selectFrom('frame_imports').selectAll().where('wave_year', '=', waveYear).orderBy('id', 'desc').executeTakeFirst();
  return row && toFrameImport(row);
}

export async function findFrameImport(db: Executor, id: number): Promise<FrameImport | undefined> {
  const row = await db.selectFrom('frame_imports').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toFrameImport(row);
}

/** Imports of the wave whose raw file is still kept. */
export async function listStoredFrameImports(db: Executor, waveYear: number): Promise<{ id: number; storedFile: string }[]> {
  const rows = await db
    .selectFrom('frame_imports')
    .select(['id', 'stored_file'])
    .where('wave_year', '=', waveYear)
    .where('stored_file', 'is not', null)
    .execute();
  return rows.map((r) => ({ id: r.id, storedFile: r.stored_file as string }));
}

/** Every frame file and draw index still referenced, of any wave. */
export async function listStoredFrameFiles(db: Executor): Promise<string[]> {
  const rows = await db
    .selectFrom('frame_imports')
    .select(['stored_file', 'draw_index_file'])
    .where((eb) => eb.or([eb('stored_file', 'is not', null), eb('draw_index_file', 'is not', null)]))
    .execute();
  return rows.flatMap((r) => [r.stored_file, r.draw_index_file].filter((f) => f !== null));
}

/** The frame file and its draw index go together: the index holds person keys too. */
export async function clearStoredFile(db: Executor, id: number): Promise<void> {
  await db.updateTable('frame_imports').set({ stored_file: null, draw_index_file: null }).where('id', '=', id).execute();
}

function toFrameImport(row: {
  id: number;
  wave_year: number;
  file_name: string;
  file_sha256: string;
  stored_file: string | null;
  draw_index_file: string | null;
  strict: number;
  report: string;
  created_at: string;
  created_by: string | null;
}): FrameImport {
  return {
    id: row.id,
    waveYear: row.wave_year,
    fileName: row.file_name,
    fileSha256: row.file_sha256,
    storedFile: row.stored_file,
    drawIndexFile: row.draw_index_file,
    strict: row.strict === 1,
    report: reportColumn.read(row.report),
    createdAt: row.created_at,
    createdBy: row.created_by,
  };
}
