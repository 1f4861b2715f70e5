/**
 * A thread for the CPU-heavy parts of sampling (sampling-threads.ts starts it): rank HMACs for
 * a draw, and the second part of a frame file read in two parts. Plain data in and out; it says
 * when it is ready, so nothing is sent to it before.
 */
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { readFramePart, type PartOutcome } from '../../../sampling';
import { rankMessages } from '../../../sampling/sha256';
import type { PartReply, PartTask, RankReply, RankTask } from './sampling-threads';

const port = parentPort!;
// Progress is posted at most once per this many bytes read: the page shows it, no need for more.
const PROGRESS_BYTES = 1 << 20;

async function readPart({ id, path, task }: PartTask): Promise<void> {
  const post = (reply: PartReply, transfer: ArrayBuffer[] = []) => port.postMessage(reply, transfer);
  let told = 0;
  // A split is always before the file's last line: the part is never empty.
  const input = fs.createReadStream(path, { start: task.start, end: task.end - 1 });
  const part = await readFramePart(
    input,
    task,
    {
      write: (bytes) => {
        // The log's writer reuses its buffer: the copy is what crosses.
        const copy = bytes.slice();
        post({ id, log: copy }, [copy.buffer as ArrayBuffer]);
      },
      read: () => {
        throw new Error('a part log is read where it is posted');
      },
    },
    (rows, bytes) => {
      if (bytes - told < PROGRESS_BYTES) return;
      told = bytes;
      post({ id, progress: [rows, bytes] });
    },
  ).catch((error: unknown): PartOutcome => ({ fatal: `part not read: ${String(error)}` }));
  const transfer = part.fatal === undefined ? [part.codes.buffer as ArrayBuffer, ...(part.noIdCandidates ? [part.noIdCandidates.buffer as ArrayBuffer] : [])] : [];
  post({ id, part }, transfer);
}

port.on('message', (message: RankTask | PartTask) => {
  if ('path' in message) {
    void readPart(message);
    return;
  }
  const { id, seed, data, starts, ends, count } = message;
  const ranks = rankMessages(seed, data, starts, ends, count);
  port.postMessage({ id, ranks } satisfies RankReply, [ranks.buffer as ArrayBuffer]);
});
// Warmed before it says it is ready: a draw's first batches then run optimised code (~20 ms here).
const warmUp = 20_000;
rankMessages('warm-up', new Uint8Array(warmUp * 40).fill(0x61), Uint32Array.from({ length: warmUp }, (_, i) => i * 40), Uint32Array.from({ length: warmUp }, (_, i) => i * 40 + 32), warmUp);
port.postMessage('ready');
