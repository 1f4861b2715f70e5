import type { Db } from '../../server/db/connect';
import { issueQuestionnaireCodes, newQrToken } from '../../server/forms/questionnaire-codes';
import { createWave } from '../../server/services/waves/waves';
import { replaceUnits, type Unit } from '../../server/repositories/units';
import { updateWaveStatus, type WaveSettings } from '../../server/repositories/waves';

export interface PublishedQuestionnaire {
  id: number;
  code: string;
  token: string;
  unitCode: string;
  role: 'primary' | 'reserve';
  rank: number;
}

/** What the frame reader reports for a file with no rows: the stored report must read back through its codec. */
function emptyReport(units: Unit[]) {
  const zero = Object.fromEntries(units.map((u) => [u.code, 0]));
  return {
    rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, rejections: [], rejectionCounts: {}, duplicateDossierCodes: 0, personsMerged: 0,
    eligibleByUnit: zero, rowsByUnit: zero, ineligible: { outsidePeriod: 0, noAddress: 0, organisation: 0 }, unknownUnits: [],
    unitsWithoutRows: units.map((u) => u.code), encoding: 'utf-8', delimiter: ',', columns: [], ignoredColumns: [],
  };
}

/**
 * A wave whose draw is published, built by direct inserts so collection and analysis tests do
 * not depend on the frame reader: `perUnit` primaries and `reserves` reserves per unit, with
 * made-up contacts. Primaries are released for printing; reserves are not.
 */
export async function createPublishedWave(
  db: Db,
  options: {
    year?: number;
    units?: Unit[];
    perUnit?: number;
    reserves?: number;
    settings?: Partial<WaveSettings>;
    /** Unit code → people the draw planned but the frame lacked (planned = perUnit + this). */
    shortfall?: Record<string, number>;
  } = {},
): Promise<{ year: number; questionnaires: PublishedQuestionnaire[] }> {
  const year = options.year ?? 2023;
  const units: Unit[] = options.units ?? [
    { code: 'SNV', name: 'Sở Nội vụ', kind: 'department', predecessors: null },
    { code: 'STP', name: 'Sở Tư pháp', kind: 'department', predecessors: null },
    { code: 'LXU', name: 'UBND thành phố Long Xuyên', kind: 'district', predecessors: null },
  ];
  const perUnit = options.perUnit ?? 5;
  const reserves = options.reserves ?? 2;
  await createWave(db, { year, settings: options.settings, actor: 'test' });
  await replaceUnits(db, year, units);
  const now = new Date().toISOString();
  const questionnaires: PublishedQuestionnaire[] = [];
  await db.transaction().execute(async (trx) => {
    const { id: frameImportId } = await trx
      .insertInto('frame_imports')
      .values({ wave_year: year, file_name: 'test.csv', file_sha256: '0'.repeat(64), stored_file: null, strict: 0, rows_read: 0, rows_accepted: 0, rows_rejected: 0, report: JSON.stringify(emptyReport(units)), created_at: now, created_by: 'test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id: drawId } = await trx
      .insertInto('draws')
      .values({
        wave_year: year,
        frame_import_id: frameImportId,
        frame_sha256: '0'.repeat(64),
        seed: 'test',
        allocation: JSON.stringify({ kind: 'fixed', perUnit }),
        reserve_percent: 0,
        method: 'test',
        code_version: 'test',
        // Eligible 0 = unknown, so no finite population correction is applied, as with an empty frame report.
        unit_summary: JSON.stringify(
          units.map((u) => {
            const shortfall = options.shortfall?.[u.code] ?? 0;
            return { unitCode: u.code, eligible: 0, planned: perUnit + shortfall, drawn: perUnit, reserve: reserves, shortfall };
          }),
        ),
        status: 'published',
        created_at: now,
        created_by: 'test',
        published_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const unit of units) {
      const codes = issueQuestionnaireCodes(year, unit.code, perUnit + reserves);
      for (let i = 0; i < perUnit + reserves; i++) {
        const role = i < perUnit ? 'primary' : 'reserve';
        const rank = role === 'primary' ? i + 1 : i - perUnit + 1;
        const { id: entryId } = await trx
          .insertInto('sample_entries')
          .values({ draw_id: drawId, wave_year: year, unit_code: unit.code, role, rank, dossier_code: `${unit.code}-${i + 1}`, procedure: 'Chứng thực bản sao', result_date: `${year}-03-01`, submission_channel: 'Trực tiếp' })
          .returning('id')
          .executeTakeFirstOrThrow();
        await trx
          .insertInto('contacts')
          .values({ sample_entry_id: entryId, applicant_name: `Nguyễn Văn ${unit.code}${i + 1}`, applicant_type: 'individual', id_number: `0890${entryId}`.padEnd(12, '7'), phone: '0912345678', address: `Số ${i + 1}, đường Trần Hưng Đạo, ${unit.name}` })
          .execute();
        const token = newQrToken();
        const { id } = await trx
          .insertInto('questionnaires')
          .values({ wave_year: year, sample_entry_id: entryId, unit_code: unit.code, code: codes[i], token, status: 'drawn', released: role === 'primary' ? 1 : 0, replaces_id: null, status_changed_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        questionnaires.push({ id, code: codes[i], token, unitCode: unit.code, role, rank });
      }
    }
  });
  await updateWaveStatus(db, year, 'collecting');
  return { year, questionnaires };
}
