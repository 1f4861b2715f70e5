/**
 * Runs a SIPAS entry point (`server/main.ts` or `server/cli.ts`, then its arguments) with one file
 * operation made to stop the process at a named point, so a test can SIGKILL it exactly there.
 * The product has no hook for this: only this test-support entry reads SIPAS_PAUSE_AT, as
 * `<when>:<fs function>:<part of the path>`:
 *   before:rmSync:/frames/          stops before a frame file is deleted (publish, after its commit)
 *   after:renameSync:/frames/       stops after a frame copy got its final name (inside the import's transaction)
 *   stall:createReadStream:<name>   reading that input yields its first 64 KiB, then nothing more
 * and prints PAUSED on stdout when it stops.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

const [when, name, part] = (process.env.SIPAS_PAUSE_AT ?? '').split(':');
const target = fs as unknown as Record<string, (...args: unknown[]) => unknown>;
const original = target[name];
if (typeof original !== 'function' || !part) throw new Error(`SIPAS_PAUSE_AT="${process.env.SIPAS_PAUSE_AT}" names no fs function and path`);

function announce(): void {
  fs.writeSync(1, 'PAUSED\n');
}
/** Blocks the whole process, timers and I/O included, until it is killed. */
function stopHere(): never {
  announce();
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

target[name] = function paused(this: unknown, ...args: unknown[]) {
  if (!String(args[0]).includes(part)) return original.apply(this, args);
  if (when === 'before') stopHere();
  if (when === 'after') {
    original.apply(this, args);
    stopHere();
  }
  // stall: the input arrives slowly and then not at all; the process stays alive, waiting.
  const file = String(args[0]);
  return Readable.from(
    (async function* () {
      const handle = fs.openSync(file, 'r');
      const first = Buffer.alloc(65536);
      yield first.subarray(0, fs.readSync(handle, first, 0, first.length, 0));
      fs.closeSync(handle);
      setInterval(() => {}, 1 << 30);
      announce();
      await new Promise(() => {});
    })(),
  );
};

const [entry, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], entry, ...args];
await import(path.resolve(entry));
