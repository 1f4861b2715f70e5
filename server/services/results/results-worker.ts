/**
 * The worker thread that computes wave results and builds the downloads from them
 * (results-cache.ts starts it), so that loading a whole wave and computing its tables, over a
 * second at 100,000 responses, never holds the server's event loop while citizens submit. It
 * has its own connection: on SQLite a second connection to the same file (WAL lets it read one
 * snapshot while the server's connection writes), on PostgreSQL its own pool, which opens a
 * connection per wave being computed (the cache computes one wave at most once at a time).
 */
import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import type { DatabaseTarget } from '../../config';
import { openDatabase } from '../../db/connect';
import { UserError } from '../../errors';
import type { WorkerReply, WorkerRequest } from './results-cache';
import { computeResultsSnapshot } from './results-snapshot';
import type { KeptTallies } from './wave-results';

const port = parentPort!;
const db = openDatabase(workerData as DatabaseTarget);
/**
 * Each wave's last pass over its responses: while citizens answer, the next computation only
 * reads the answers that arrived since (a few milliseconds, not over a second at 100,000
 * responses). About 20 bytes a response (its answers, one byte a criterion) and the tallies.
 */
const kept: KeptTallies = new Map();

/**
 * While citizens submit, every change makes the next analyst's open compute again, so this
 * thread may compute without pause. On a small machine it then competes with the event loop for
 * the cores: it runs at a lower priority, so the server's own thread (and the database) come
 * first. Linux gives each thread its own nice value, addressed by its thread id; elsewhere the
 * thread keeps the process's priority. The price is paid by analysts when the cores are
 * saturated: a computation then waits for spare CPU (bench/README.md, "Results while collecting").
 */
function lowerPriority(): void {
  try {
    const threadId = Number(fs.readlinkSync('/proc/thread-self').split('/').at(-1));
    os.setPriority(threadId, 10);
  } catch {
    // Not Linux, or not allowed: the computation still runs off the event loop.
  }
}
lowerPriority();

/**
 * The export builders (ExcelJS and the report's renderer) are loaded at the first download, not
 * at start: loading modules through the TypeScript loader is slow in a worker, and the
 * dashboard needs only the results.
 */
let exportsModule: Promise<typeof import('./analysis-exports')> | undefined;
const exports = () => (exportsModule ??= import('./analysis-exports'));

port.on('message', (message: WorkerRequest) => {
  const { id } = message;
  const work = 'year' in message ? computeResultsSnapshot(db, message.year, kept) : exports().then(({ buildExport }) => buildExport(message.results, message.request));
  work.then(
    (value) => port.postMessage({ id, value } satisfies WorkerReply),
    (error: unknown) => {
      // Structured clone keeps an error's message but not its class or fields: a refusal meant
      // for the person goes back as one, anything else with its stack for the server's log.
      const failure =
        error instanceof UserError
          ? { message: error.message, userError: { status: error.status, details: error.details } }
          : { message: error instanceof Error ? (error.stack ?? error.message) : String(error) };
      port.postMessage({ id, failure } satisfies WorkerReply);
    },
  );
});
