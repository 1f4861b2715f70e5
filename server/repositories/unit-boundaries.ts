import type { Executor } from '../db/schema';

export interface StoredBoundaries {
  waveYear: number;
  /** The GeoJSON as uploaded (NFC). */
  geojson: string;
  fileName: string;
  featureCount: number;
  importedAt: string;
  importedBy: string | null;
}

/** One file per wave: a new import replaces the previous one. */
export async function replaceUnitBoundaries(db: Executor, boundaries: StoredBoundaries): Promise<void> {
  await db.deleteFrom('unit_boundaries').where('wave_year', '=', boundaries.waveYear).execute();
  await db
    .insertInto('unit_boundaries')
    .values({
      wave_year: boundaries.waveYear,
      geojson: boundaries.geojson,
      file_name: boundaries.fileName,
      feature_count: boundaries.featureCount,
      imported_at: boundaries.importedAt,
      imported_by: boundaries.importedBy,
    })
    .execute();
}

export async function findUnitBoundaries(db: Executor, waveYear: number): Promise<StoredBoundaries | null> {
  const row = await db.selectFrom('unit_boundaries').selectAll().where('wave_year', '=', waveYear).executeTakeFirst();
  if (!row) return null;
  return {
    waveYear: row.wave_year,
    geojson: row.geojson,
    fileName: row.file_name,
    featureCount: row.feature_count,
    importedAt: row.imported_at,
    importedBy: row.imported_by,
  };
}
