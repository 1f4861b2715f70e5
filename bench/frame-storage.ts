/*
 * Where an uploaded frame waits for its draw (issue 14): the data folder's disk (SQLite, as
 * before) against the database (PostgreSQL, so that every instance reads it).
 *
 *   npx tsx bench/frame-storage.ts [MB]     default 64 MB of bench/out/frame-1000000.csv
 *                                           (written by `npx tsx bench/draw.ts` once)
 *
 * In one run, alternating, 3 rounds, median wall time:
 *   store:  the file written in 64 KiB pieces as an upload arrives, then read back whole (what an
 *           import's second pass and the draw do), through server/services/storage:
 *           disk (the baseline), database on PostgreSQL, database on SQLite (not used by default);
 *   import: `frame import` end to end (scan, store, record): SQLite with the file on disk (the
 *           baseline), PostgreSQL with the file in the database.
 * PostgreSQL is a throwaway cluster like the tests' (fsync and synchronous_commit off) unless
 * BENCH_POSTGRES_URL names a server: on a real one each chunk's commit waits for its disk.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrateToLatest, openDatabase, type Db } from '../server/db/connect';
import { importFrame } from '../server/services/draw/frame-import';
import { newDatabaseFile } from '../server/services/storage/database-files';
import { newDiskFile } from '../server/services/storage/disk-files';
import type { NewStoredFile } from '../server/services/storage/stored-files';
import { createWave, importUnits } from '../server/services/waves/waves';
import { benchPostgresDatabase } from './postgres-target';

const ROUNDS = 3;
const SOURCE = fileURLToPath(new URL('./out/frame-1000000.csv', import.meta.url));
const UNITS_CSV = fileURLToPath(new URL('../server/demo/units-2023.csv', import.meta.url));
const megabytes = Number(process.argv[2] ?? 64);

/** The first `megabytes` of the generated frame, cut at a line's end. */
function sliceOfFrame(dir: string): string {
  if (!fs.existsSync(SOURCE)) throw new Error(`${SOURCE} is missing: run npx tsx bench/draw.ts once`);
  const bytes = Buffer.alloc(megabytes * 1024 * 1024);
  const handle = fs.openSync(SOURCE, 'r');
  const read = fs.readSync(handle, bytes, 0, bytes.length, 0);
  fs.closeSync(handle);
  const file = path.join(dir, 'frame.csv');
  fs.writeFileSync(file, bytes.subarray(0, bytes.lastIndexOf(0x0a, read - 1) + 1));
  return file;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await work();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

async function storeAndReadBack(file: NewStoredFile, frame: string): Promise<void> {
  try {
    for await (const piece of fs.createReadStream(frame, { highWaterMark: 64 * 1024 })) await file.write(piece as Buffer);
    await file.finish();
    let bytes = 0;
    for await (const chunk of file.open()) bytes += chunk.byteLength;
    if (bytes !== fs.statSync(frame).size) throw new Error(`read back ${bytes} bytes`);
  } finally {
    await file.discard();
  }
}

async function freshWave(db: Db, year: number): Promise<void> {
  await createWave(db, { year, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'bench' });
  await importUnits(db, year, fs.readFileSync(UNITS_CSV), 'bench');
}

async function importOnce(db: Db, dataDir: string, year: number, frame: string): Promise<void> {
  const outcome = await importFrame({ db, dataDir }, year, { fileName: 'frame.csv', bytes: fs.createReadStream(frame), strict: false }, 'bench');
  if (!outcome.ok) throw outcome.error;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-bench-storage-'));
  const postgres = await benchPostgresDatabase();
  const sqlite = openDatabase({ kind: 'sqlite', file: path.join(dir, 'sipas.db') });
  const pg = postgres && openDatabase({ kind: 'postgres', url: postgres.url });
  try {
    const frame = sliceOfFrame(dir);
    const mb = fs.statSync(frame).size / 1e6;
    await migrateToLatest(sqlite);
    if (pg) await migrateToLatest(pg);
    const phases: [string, () => Promise<unknown>][] = [
      ['store: disk (baseline)', () => storeAndReadBack(newDiskFile(dir, 'verify', 2023), frame)],
      ...(pg ? [['store: database, PostgreSQL', async () => storeAndReadBack(await newDatabaseFile(pg, 'verify'), frame)] as [string, () => Promise<unknown>]] : []),
      ['store: database, SQLite', async () => storeAndReadBack(await newDatabaseFile(sqlite, 'verify'), frame)],
    ];
    let year = 2000;
    const imports: [string, () => Promise<unknown>][] = [
      ['import: SQLite, file on disk (baseline)', async () => importOnce(sqlite, dir, year, frame)],
      ...(pg ? [['import: PostgreSQL, file in the database', async () => importOnce(pg, dir, year, frame)] as [string, () => Promise<unknown>]] : []),
    ];
    const seconds = new Map<string, number[]>();
    for (let round = 0; round < ROUNDS; round++) {
      year++;
      await freshWave(sqlite, year);
      if (pg) await freshWave(pg, year);
      for (const [label, run] of [...phases, ...imports]) seconds.set(label, [...(seconds.get(label) ?? []), await timed(run)]);
    }
    console.log(`node ${process.version}, ${mb.toFixed(0)} MB frame, ${ROUNDS} rounds alternating, median wall time`);
    for (const group of [phases, imports]) {
      const base = median(seconds.get(group[0][0])!);
      for (const [label] of group) {
        const s = median(seconds.get(label)!);
        console.log(`${label.padEnd(44)} ${s.toFixed(2).padStart(7)} s ${(mb / s).toFixed(0).padStart(5)} MB/s ${(s / base).toFixed(2).padStart(6)}×`);
      }
    }
  } finally {
    await sqlite.destroy();
    await pg?.destroy();
    await postgres?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
