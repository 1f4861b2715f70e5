import { Worker } from 'node:worker_threads';
import type { WaveResults } from '../../../analysis/types';
import type { DatabaseTarget } from '../../config';
import type { Db } from '../../db/schema';
import { UserError, type ErrorStatus } from '../../errors';
import { resultsVersion } from '../../repositories/results-versions';
import type { ExportFile, ExportRequest } from './analysis-exports';
import type { ResultsSnapshot } from './results-snapshot';

interface Entry {
  /** The counter read before this computation was asked for; once done, the one it computed. */
  atLeast: number;
  /** Whether its snapshot may have been taken already (it waits while the previous one runs). */
  started: boolean;
  snapshot: Promise<ResultsSnapshot>;
}

/**
 * The results page and its downloads, served from the last computation while nothing they are
 * computed from has changed (issue #15: at 100,000 responses a computation takes over a second,
 * and it used to run on the event loop for every page view, during which no citizen's QR
 * submission was served).
 *
 * Exact, never stale: each computation carries the wave's change counter read in the snapshot
 * it was computed from (results-snapshot.ts); a request first reads the counter as it is now and
 * takes a computation only if it describes that state or a later one. Triggers raise the counter
 * in the transaction of every write to the tables results come from, whichever process or
 * instance made it, so the cache is right with several instances on one PostgreSQL. The counter
 * is read before the snapshot, so a write landing in between costs at most a recomputation,
 * never an answer older than the request.
 *
 * While a computation runs, requests for the same wave wait for it (one computation, not one per
 * analyst). A request arriving after a change asks for a new one, which starts when the running
 * one ends and is shared by every request arriving meanwhile: while citizens keep submitting,
 * the wave is computed back to back, never several times at once. A failed computation is
 * forgotten, so the next request tries again. Only the latest computation per wave is kept.
 *
 * Downloads built from the results (an XLSX workbook takes a tenth of a second or more) are
 * built in the worker too, once per computation and request: kept with the computation they
 * come from, and gone with it.
 */
export class ResultsCache {
  readonly #latest = new Map<number, Entry>();
  readonly #exports = new WeakMap<ResultsSnapshot, Map<string, Promise<ExportFile>>>();
  #computations = 0;

  constructor(
    readonly db: Db,
    /** Computes in one snapshot; a worker thread (ResultsWorker) in the server. */
    readonly computer: ResultsComputer,
  ) {}

  /** Computations asked for so far (what the tests count). */
  get computations(): number {
    return this.#computations;
  }

  async get(year: number): Promise<ResultsSnapshot> {
    const now = await resultsVersion(this.db, year);
    const latest = this.#latest.get(year);
    // One not started yet will read a snapshot taken after `now` was read: fresh enough too.
    if (latest && (latest.atLeast >= now || !latest.started)) return latest.snapshot;
    this.#computations++;
    const entry = { atLeast: now, started: false } as Entry;
    // After the wave's running computation, if any: one at a time per wave, however fast changes come.
    const running = latest?.snapshot.catch(() => undefined);
    entry.snapshot = (running ?? Promise.resolve()).then(() => {
      entry.started = true;
      return this.computer.compute(year);
    });
    this.#latest.set(year, entry);
    entry.snapshot.then(
      // The snapshot may be newer than the counter read here: later requests compare with that.
      (snapshot) => (entry.atLeast = snapshot.version),
      () => {
        if (this.#latest.get(year) === entry) this.#latest.delete(year);
      },
    );
    return entry.snapshot;
  }

  /** A download of `snapshot`'s results, built once per distinct request (a failed build is not kept). */
  exportOf(snapshot: ResultsSnapshot, request: ExportRequest): Promise<ExportFile> {
    let built = this.#exports.get(snapshot);
    if (!built) this.#exports.set(snapshot, (built = new Map()));
    // The outlines are the snapshot's own: the rest of the request names the file.
    const key = JSON.stringify({ ...request, boundaries: undefined });
    let file = built.get(key);
    if (!file) {
      file = this.computer.build(snapshot.results, request);
      built.set(key, file);
      file.catch(() => built.delete(key));
    }
    return file;
  }

  /** Gets the computing ready before the first analyst asks (the server does so at start). */
  start(): void {
    this.computer.start();
  }

  close(): Promise<void> {
    return this.computer.close();
  }
}

export interface ResultsComputer {
  compute(year: number): Promise<ResultsSnapshot>;
  build(results: WaveResults, request: ExportRequest): Promise<ExportFile>;
  start(): void;
  close(): Promise<void>;
}

export type WorkerRequest = { id: number; year: number } | { id: number; results: WaveResults; request: ExportRequest };

export type WorkerReply =
  | { id: number; value: ResultsSnapshot | ExportFile }
  | { id: number; failure: { message: string; userError?: { status: ErrorStatus; details: string[] } } };

/**
 * The thread computing results (results-worker.ts), started with the server or at the first
 * request. Loading its modules through the TypeScript loader takes seconds on a busy 2-core
 * machine (1.5–8 s measured), hence the start with the server. If it dies
 * (out of memory, a crash in a driver), the computations it held fail and the next one starts a
 * new thread.
 */
type Waiting = Map<number, { resolve: (value: never) => void; reject: (error: Error) => void }>;

export class ResultsWorker implements ResultsComputer {
  #thread: { worker: Worker; waiting: Waiting } | undefined;
  #nextId = 0;

  constructor(readonly target: DatabaseTarget) {}

  compute(year: number): Promise<ResultsSnapshot> {
    return this.#ask((id) => ({ id, year }));
  }

  build(results: WaveResults, request: ExportRequest): Promise<ExportFile> {
    return this.#ask((id) => ({ id, results, request }));
  }

  #ask<T>(message: (id: number) => WorkerRequest): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const id = this.#nextId++;
      const thread = this.#running();
      thread.waiting.set(id, { resolve: resolve as (value: never) => void, reject });
      thread.worker.postMessage(message(id));
    });
  }

  start(): void {
    this.#running();
  }

  /** Ends the thread and its database connection (tests end each database they create). */
  async close(): Promise<void> {
    const thread = this.#thread;
    this.#thread = undefined;
    await thread?.worker.terminate();
  }

  #running(): { worker: Worker; waiting: Waiting } {
    if (this.#thread) return this.#thread;
    const worker = new Worker(new URL('./results-worker-start.mjs', import.meta.url), { workerData: this.target });
    // Only the server's own work keeps the process alive, not an idle results thread.
    worker.unref();
    const thread = { worker, waiting: new Map() as Waiting };
    worker.on('message', (reply: WorkerReply) => {
      const waiting = thread.waiting.get(reply.id);
      thread.waiting.delete(reply.id);
      if ('value' in reply) waiting?.resolve(reply.value as never);
      else waiting?.reject(reply.failure.userError ? new UserError(reply.failure.message, reply.failure.userError.status, reply.failure.userError.details) : new Error(reply.failure.message));
    });
    const lost = (error: Error) => {
      if (this.#thread === thread) this.#thread = undefined;
      for (const waiting of thread.waiting.values()) waiting.reject(error);
      thread.waiting.clear();
    };
    worker.on('error', lost);
    worker.on('exit', (code) => lost(new Error(`Luồng tính kết quả đã dừng (mã ${code})`)));
    this.#thread = thread;
    return thread;
  }
}
