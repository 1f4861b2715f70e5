/**
 * Worker threads for the CPU-heavy parts of sampling (issue 15), kept by the server for its
 * lifetime:
 *   - the rank HMACs of a draw from the draw index (the draw after an import within 1 s at a
 *     million rows). The HMACs are most of that draw's work and each batch's are independent, so
 *     batches go to a worker while the event loop reads the next part of the index; when every
 *     worker is busy, or not started yet, the event loop ranks the batch itself, so the work is
 *     shared whatever the machine. drawFromIndex applies the batches in the index's order
 *     whoever ranked them: the draw is the same. A worker that fails has its batches ranked here;
 *   - the second part of a large frame file read in two parts at once (sampling/frame-parts.ts):
 *     the worker reads the file's bytes itself and posts back its row log, in order, and what
 *     it found. A part that cannot be read there (no worker free, a worker lost) resolves with
 *     `fatal`, and the event loop reads it itself: the result is the same.
 *
 * A worker takes ~0.3 s of CPU to start under tsx and its first batches run unoptimised, which
 * is what a million-row draw would gain from it, so the server keeps one set for its lifetime
 * (sharedSamplingThreads, started at boot, warmed before it says it is ready; until then it keeps
 * the process alive, as it does while it holds work; otherwise, idle, a worker keeps ~30 MB and
 * no CPU, and never keeps the process alive).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { diskFrameFile } from '../storage/disk-files';
import { rankMessages, type BatchRanker, type FrameFile, type FramePartTask, type PartOutcome, type PartReader, type ScratchSpace } from '../../../sampling';

export interface RankTask {
  id: number;
  seed: string;
  data: Uint8Array;
  starts: Uint32Array;
  ends: Uint32Array;
  count: number;
}

export interface RankReply {
  id: number;
  ranks: Int32Array;
}

/** The second part of the frame file at `path`, for readFramePart in a worker. */
export interface PartTask {
  id: number;
  path: string;
  task: FramePartTask;
}

/** From a worker reading a part: a chunk of its log, how far it has got, or what it found (last). */
export type PartReply = { id: number; log: Uint8Array } | { id: number; progress: [rows: number, bytes: number] } | { id: number; part: PartOutcome };

interface WaitingPart {
  log: ScratchSpace;
  failed?: unknown;
  onProgress: (rows: number, bytes: number) => void;
  resolve: (part: PartOutcome) => void;
}

/** Batches a worker holds at once: one being ranked, one waiting, so it never idles between messages. */
const QUEUED_PER_WORKER = 2;

interface Thread {
  worker: Worker;
  ready: boolean;
  failed: boolean;
  waiting: Map<number, { task: RankTask; resolve: (ranks: Int32Array) => void }>;
  parts: Map<number, WaitingPart>;
}


export class SamplingThreads {
  readonly #threads: Thread[];
  #nextId = 0;
  #closed = false;

  readonly #started: Promise<void>;

  /** `count` workers beside the event loop: by default one fewer than the cores (the event loop reads the index), at most 3. */
  constructor(count = Math.min(3, os.availableParallelism() - 1)) {
    const started: Promise<void>[] = [];
    this.#threads = Array.from({ length: Math.max(0, count) }, () => this.#start(started));
    this.#started = Promise.all(started).then(() => undefined);
  }

  /** Settles once every worker is ready (warmed) or has failed; ranking never needs to wait for it. */
  ready(): Promise<void> {
    return this.#started;
  }

  /** The BatchRanker to give drawFromIndex. */
  readonly rank: BatchRanker = (seed, data, starts, ends, count) => {
    const thread = this.#threads.find((t) => t.ready && !t.failed && t.parts.size === 0 && t.waiting.size < QUEUED_PER_WORKER);
    if (!thread) return rankMessages(seed, data, starts, ends, count);
    const task: RankTask = { id: this.#nextId++, seed, data, starts, ends, count };
    return new Promise((resolve) => {
      thread.waiting.set(task.id, { task, resolve });
      // Kept alive while it holds work someone awaits (a command-line draw has nothing else running).
      thread.worker.ref();
      thread.worker.postMessage(task);
    });
  };

  /**
   * The PartReader for a frame file on this machine's disk (FrameFile.readPart), or undefined
   * when there is no worker (one core): the file is then read whole on the event loop.
   */
  partReader(path: string): PartReader | undefined {
    if (this.#threads.length === 0) return undefined;
    return async (task, log, onProgress) => {
      // A command's first read may come before its worker is ready: the part waits for it (the first part reads on meanwhile).
      await this.#started;
      const thread = this.#threads.find((t) => t.ready && !t.failed && t.parts.size === 0 && t.waiting.size === 0);
      if (!thread) return { fatal: 'no free worker' };
      const id = this.#nextId++;
      return new Promise((resolve) => {
        thread.parts.set(id, { log, onProgress, resolve });
        thread.worker.ref();
        thread.worker.postMessage({ id, path, task } satisfies PartTask);
      });
    };
  }

  /** Stops the workers; batches still with them are dropped (the draw that sent them has ended). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#threads.map((t) => t.worker.terminate()));
  }

  #start(started: Promise<void>[]): Thread {
    // Kept alive until it is ready (so awaiting ready() alone, as a command may, is not cut short),
    // then only while it holds work (idle). Node refs a worker again when a 'message' listener is
    // added, so the unref must come after the listener, not at creation.
    // A small young generation: a frame part's parser makes garbage fast, and 300 MB is the whole read's budget.
    const worker = new Worker(new URL('./sampling-worker-start.cjs', import.meta.url), { resourceLimits: { maxYoungGenerationSizeMb: 8 } });
    const thread: Thread = { worker, ready: false, failed: false, waiting: new Map(), parts: new Map() };
    let settle!: () => void;
    started.push(new Promise((resolve) => (settle = resolve)));
    const idle = () => {
      if (thread.waiting.size === 0 && thread.parts.size === 0) worker.unref();
    };
    worker.on('message', (reply: RankReply | PartReply | 'ready') => {
      if (reply === 'ready') {
        thread.ready = true;
        settle();
        return idle();
      }
      if ('ranks' in reply) {
        thread.waiting.get(reply.id)?.resolve(reply.ranks);
        thread.waiting.delete(reply.id);
        return idle();
      }
      const part = thread.parts.get(reply.id);
      if (part === undefined) return;
      if ('log' in reply) {
        try {
          part.log.write(reply.log);
        } catch (error) {
          // Its log cannot be kept (a full disk): the event loop reads the part, and meets the error itself.
          part.failed ??= error;
        }
      } else if ('progress' in reply) {
        part.onProgress(...reply.progress);
      } else {
        thread.parts.delete(reply.id);
        part.resolve(part.failed === undefined ? reply.part : { fatal: `log not kept: ${String(part.failed)}` });
        idle();
      }
    });
    const lost = () => {
      thread.failed = true;
      settle();
      // Its batches are ranked here: the draw goes on, a little slower.
      if (!this.#closed) for (const { task, resolve } of thread.waiting.values()) resolve(rankMessages(task.seed, task.data, task.starts, task.ends, task.count));
      thread.waiting.clear();
      for (const part of thread.parts.values()) part.resolve({ fatal: 'worker lost' });
      thread.parts.clear();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    return thread;
  }
}

let shared: SamplingThreads | undefined;

/** The server's sampling threads, started by the first call (server/main.ts makes it at boot). */
export function sharedSamplingThreads(): SamplingThreads {
  return (shared ??= new SamplingThreads());
}

/** A frame file on this machine's disk, its second part read on one of the server's sampling threads when large. */
export function localFrameFile(path: string): FrameFile {
  return diskFrameFile(path, sharedSamplingThreads().partReader(path));
}
