import type { Db } from '../../db/schema';
import { readTransaction } from '../../db/unit-of-work';
import { listPreviousIndexes } from '../../repositories/previous-indexes';
import { resultsVersion } from '../../repositories/results-versions';
import { waveBoundaries, type WaveBoundaries } from './boundaries-import';
import { analyseWave, type KeptTallies, type WaveAnalysis } from './wave-results';

/**
 * Everything the results page and its downloads show from the database, read in one snapshot,
 * with the wave's change counter read in that same snapshot: the results describe exactly the
 * state that counter names. Plain data (no Map, Date or class), so it crosses from the worker
 * thread that computes it (results-worker.ts) by structured clone.
 */
export interface ResultsSnapshot extends WaveAnalysis {
  /** resultsVersion() in the snapshot the results were computed from. */
  version: number;
  /** ISO time the computation started, shown as "Số liệu tính lúc …". */
  computedAt: string;
  /** How many of last year's published indexes are imported (the page's upload panel). */
  publishedRows: number;
  boundaries: WaveBoundaries | null;
}

/** With `kept`, the pass over the responses is carried on from the last computation when still right (wave-results.ts). */
export function computeResultsSnapshot(db: Db, year: number, kept?: KeptTallies): Promise<ResultsSnapshot> {
  const computedAt = new Date().toISOString();
  return readTransaction(db, async (trx) => {
    // The first read fixes the snapshot (SQLite at its first read, PostgreSQL's repeatable read
    // at its first statement): the counter and every table below are of one moment.
    const version = await resultsVersion(trx, year);
    const analysis = await analyseWave(trx, year, kept);
    const publishedRows = (await listPreviousIndexes(trx, year)).length;
    return { ...analysis, version, computedAt, publishedRows, boundaries: await waveBoundaries(trx, year) };
  });
}
