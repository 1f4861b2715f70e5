import fs from 'node:fs';
import type { DatabaseTarget } from '../../config';
import { migrateToLatest, openDatabase } from '../../db/connect';
import type { Db } from '../../db/schema';
import { COPIED_TABLES, copyTable, countRows, unknownTables } from '../../db/table-copy';
import { readTransaction, writeTransaction } from '../../db/unit-of-work';
import { UserError } from '../../errors';
import { listStoredFrameImports } from '../../repositories/frame-imports';
import { listWaves } from '../../repositories/waves';
import { unitTableCsv } from '../results/analysis-exports';
import { analyseWave } from '../results/wave-results';

export interface MigrateDataOutcome {
  tables: { name: string; source: number; target: number }[];
  /** Each wave's unit table (the s.11 CSV the results pages export), compared between both sides. */
  waves: { year: number; identical: boolean }[];
  identical: boolean;
}

/**
 * Copies a whole installation (SQLite ⇄ PostgreSQL) into an empty database: migrates both to
 * the latest schema, copies every table in one transaction on the target (ids kept), then
 * verifies row counts and every wave's unit table on both sides.
 */
export async function migrateData(from: DatabaseTarget, to: DatabaseTarget): Promise<MigrateDataOutcome> {
  // Opening a missing file would create an empty database and "copy" nothing: a mistyped path must say so.
  if (from.kind === 'sqlite' && !fs.existsSync(from.file)) throw new UserError(`không có tệp cơ sở dữ liệu nguồn ${from.file}`);
  const source = openDatabase(from);
  let target: Db | undefined;
  try {
    await migrateToLatest(source);
    await refuseUnpublishedFrames(source);
    target = openDatabase(to);
    await migrateToLatest(target);
    const unknown = [...new Set([...(await unknownTables(source)), ...(await unknownTables(target))])];
    if (unknown.length > 0) throw new Error(`migrate-data does not know the tables ${unknown.join(', ')}: add them to COPIED_TABLES`);
    const destination = target;
    await readTransaction(source, (snapshot) =>
      writeTransaction(destination, async (trx) => {
        const filled = [];
        for (const table of [...COPIED_TABLES.map((t) => t.name), 'sessions']) if ((await countRows(trx, table)) > 0) filled.push(table);
        if (filled.length > 0) {
          throw new UserError(`Cơ sở dữ liệu đích đã có dữ liệu (bảng ${filled.join(', ')}): migrate-data chỉ chép vào một cơ sở dữ liệu trống, không ghi đè`, 409);
        }
        for (const table of COPIED_TABLES) await copyTable(snapshot, trx, table);
      }),
    );
    return await verify(source, destination);
  } finally {
    await target?.destroy();
    await source.destroy();
  }
}

/**
 * A frame imported but not yet published has its raw file on the source's disk or in its
 * database (services/storage), which the target's server may not reach: refused rather than
 * copied, so no draw is left pointing at a file elsewhere. Publishing the draw deletes the file
 * and clears the reference.
 */
async function refuseUnpublishedFrames(source: Db): Promise<void> {
  const waves = [];
  for (const wave of await listWaves(source)) if ((await listStoredFrameImports(source, wave.year)).length > 0) waves.push(wave.year);
  if (waves.length > 0) {
    throw new UserError(
      `Đợt ${waves.join(', ')} có khung mẫu đã nhập nhưng chưa công bố kết quả chọn mẫu (tệp khung mẫu còn nằm ở máy nguồn): hãy công bố kết quả chọn mẫu rồi chạy lại migrate-data`,
      409,
    );
  }
}

async function verify(source: Db, target: Db): Promise<MigrateDataOutcome> {
  const tables = [];
  for (const { name } of COPIED_TABLES) tables.push({ name, source: await countRows(source, name), target: await countRows(target, name) });
  const waves = [];
  for (const { year } of await listWaves(source)) {
    const [a, b] = await Promise.all([unitTable(source, year), unitTable(target, year)]);
    waves.push({ year, identical: a === b });
  }
  return { tables, waves, identical: tables.every((t) => t.source === t.target) && waves.every((w) => w.identical) };
}

async function unitTable(db: Db, year: number): Promise<string> {
  return readTransaction(db, async (trx) => unitTableCsv((await analyseWave(trx, year)).results));
}
