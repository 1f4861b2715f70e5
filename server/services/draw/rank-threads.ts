/**
 * Threads for the rank HMACs of a draw from the draw index (issue 15: the draw after an import
 * within 1 s at a million rows). The HMACs are most of that draw's work and each batch's are
 * independent, so batches go to a worker while the event loop reads the next part of the
 * index; when every worker is busy, or not started yet, the event loop ranks the batch itself,
 * so the work is shared whatever the machine. drawFromIndex applies the batches in the index's
 * order whoever ranked them: the draw is the same. A worker that fails has its batches ranked
 * here instead.
 *
 * A worker takes ~0.3 s of CPU to start under tsx and its first batches run unoptimised, which
 * is what a million-row draw would gain from it, so the server keeps one set for its lifetime
 * (sharedRankThreads, started at boot, warmed before it says it is ready; idle, a worker keeps
 * ~30 MB and no CPU, and never keeps the process alive).
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { rankMessages, type BatchRanker } from '../../../sampling';

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

/** Batches a worker holds at once: one being ranked, one waiting, so it never idles between messages. */
const QUEUED_PER_WORKER = 2;

interface Thread {
  worker: Worker;
  ready: boolean;
  failed: boolean;
  waiting: Map<number, { task: RankTask; resolve: (ranks: Int32Array) => void }>;
}

export class RankThreads {
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
    const thread = this.#threads.find((t) => t.ready && !t.failed && t.waiting.size < QUEUED_PER_WORKER);
    if (!thread) return rankMessages(seed, data, starts, ends, count);
    const task: RankTask = { id: this.#nextId++, seed, data, starts, ends, count };
    return new Promise((resolve) => {
      thread.waiting.set(task.id, { task, resolve });
      // Kept alive while it holds work someone awaits (a command-line draw has nothing else running).
      thread.worker.ref();
      thread.worker.postMessage(task);
    });
  };

  /** Stops the workers; batches still with them are dropped (the draw that sent them has ended). */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#threads.map((t) => t.worker.terminate()));
  }

  #start(started: Promise<void>[]): Thread {
    const worker = new Worker(new URL('./rank-worker-start.cjs', import.meta.url));
    worker.unref();
    const thread: Thread = { worker, ready: false, failed: false, waiting: new Map() };
    let settle!: () => void;
    started.push(new Promise((resolve) => (settle = resolve)));
    worker.on('message', (reply: RankReply | 'ready') => {
      if (reply === 'ready') {
        thread.ready = true;
        settle();
        return;
      }
      thread.waiting.get(reply.id)?.resolve(reply.ranks);
      thread.waiting.delete(reply.id);
      if (thread.waiting.size === 0) worker.unref();
    });
    const lost = () => {
      thread.failed = true;
      settle();
      // Its batches are ranked here: the draw goes on, a little slower.
      if (!this.#closed) for (const { task, resolve } of thread.waiting.values()) resolve(rankMessages(task.seed, task.data, task.starts, task.ends, task.count));
      thread.waiting.clear();
    };
    worker.on('error', lost);
    worker.on('exit', lost);
    return thread;
  }
}

let shared: RankThreads | undefined;

/** The server's rank threads, started by the first call (server/main.ts makes it at boot). */
export function sharedRankThreads(): RankThreads {
  return (shared ??= new RankThreads());
}
