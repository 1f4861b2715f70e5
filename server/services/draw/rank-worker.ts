/**
 * A thread that computes rank HMACs for the draw (rank-threads.ts starts it): plain data in,
 * the ranks out, nothing else. It says when it is ready, so the draw sends it nothing before.
 */
import { parentPort } from 'node:worker_threads';
import { rankMessages } from '../../../sampling/sha256';
import type { RankReply, RankTask } from './rank-threads';

const port = parentPort!;
port.on('message', ({ id, seed, data, starts, ends, count }: RankTask) => {
  const ranks = rankMessages(seed, data, starts, ends, count);
  port.postMessage({ id, ranks } satisfies RankReply, [ranks.buffer as ArrayBuffer]);
});
// Warmed before it says it is ready: a draw's first batches then run optimised code (~20 ms here).
const warmUp = 20_000;
rankMessages('warm-up', new Uint8Array(warmUp * 40).fill(0x61), Uint32Array.from({ length: warmUp }, (_, i) => i * 40), Uint32Array.from({ length: warmUp }, (_, i) => i * 40 + 32), warmUp);
port.postMessage('ready');
