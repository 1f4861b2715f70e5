import fs from 'node:fs';
import path from 'node:path';
import { responsesWithShare } from '../../analysis/fixtures/builders';
import type { Db } from '../../server/db/connect';
import { insertResponse } from '../../server/repositories/responses';
import { replaceUnits, type Unit } from '../../server/repositories/units';
import { parseUnitsCsv } from '../../server/services/waves/units-csv';
import { createWave } from '../../server/services/waves/waves';
import { seededRandom } from '../../sampling/test-support';

/** The merged An Giang's fixtures (server/demo/an-giang-2025/README.md). */
export const AN_GIANG_2025_DIR = path.resolve(import.meta.dirname, '../../server/demo/an-giang-2025');
export const AN_GIANG_GEOJSON_FILE = path.join(AN_GIANG_2025_DIR, 'an-giang-2025-communes.geojson');

interface FeatureCollection {
  type: 'FeatureCollection';
  features: { type: 'Feature'; properties: { code: string | number; name?: string }; geometry: unknown }[];
}

/** The 102 communes' outlines; `without` drops the features of those codes. */
export function anGiangGeoJson(without: string[] = []): FeatureCollection {
  const collection = JSON.parse(fs.readFileSync(AN_GIANG_GEOJSON_FILE, 'utf8')) as FeatureCollection;
  return { ...collection, features: collection.features.filter((f) => !without.includes(String(f.properties.code))) };
}

/** The 13 departments and 102 communes of the merged province, with their lineage. */
export function anGiangUnits(): Unit[] {
  const parsed = parseUnitsCsv(fs.readFileSync(path.join(AN_GIANG_2025_DIR, 'units-2025-an-giang.csv')));
  if (!parsed.ok) throw new Error(`units-2025-an-giang.csv: ${JSON.stringify(parsed.problems)}`);
  return parsed.units;
}

/**
 * Wave `year` with the 2025 units and synthetic answers imported without questionnaire codes
 * (no draw needed for the dashboard): 12 respondents per unit, satisfied share drawn from a fixed
 * seed so every band occurs; the units of `unanswered` get none (no data on the map).
 */
export async function createCommuneWave(db: Db, options: { year?: number; unanswered?: string[]; seed?: number } = {}): Promise<{ year: number; units: Unit[] }> {
  const year = options.year ?? 2025;
  const units = anGiangUnits();
  await createWave(db, { year, name: `SIPAS ${year} An Giang (sau sáp nhập)`, actor: 'test' });
  await replaceUnits(db, year, units);
  const random = seededRandom(options.seed ?? 2025);
  const respondents = 12;
  await db.transaction().execute(async (trx) => {
    for (const unit of units) {
      if (options.unanswered?.includes(unit.code)) continue;
      // 12 → 100 %, 11 → 91,67 % (≥ 90), 10 and 9 → 83,33 / 75 % … : every band.
      const satisfied = 7 + Math.floor(random() * 6);
      for (const r of responsesWithShare(unit.code, satisfied, respondents)) {
        await insertResponse(trx, { waveYear: year, questionnaireId: null, unitCode: unit.code, channel: 'import', state: 'counted', answers: r.answers, profile: {}, comment: null, enteredBy: 'test' });
      }
    }
  });
  return { year, units };
}
