import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Executor } from '../../db/schema';
import type { AfterCommit } from '../../db/unit-of-work';
import { listStoredFramePaths } from '../../repositories/frame-imports';

/**
 * Frame files hold everyone's personal data, so none may outlive its use, even when a process
 * dies between a commit and the file's deletion. A copy is written under a name that carries
 * the writing process's id and gets its final name only inside the transaction that records it;
 * so a sweep, which runs under the same write lock, can tell a copy still being written (its
 * process is alive) from one left behind, and a final name from a record that never committed.
 */

const PARTIAL = /\.(\d+)\.partial$/;

export function framesFolder(dataDir: string): string {
  return path.join(dataDir, 'frames');
}

/** Where a new upload is written while it is read, and the name it gets once recorded. */
export function newFramePaths(dataDir: string, year: number): { partial: string; final: string } {
  const final = path.join(framesFolder(dataDir), `${year}-${Date.now()}-${randomBytes(6).toString('hex')}.csv`);
  return { partial: `${final}.${process.pid}.partial`, final };
}

/**
 * Lists, under the write lock, the files of `<dataDir>/frames/` that no frame import refers to
 * (publish and purge clear the reference in their transaction, so their files are among them)
 * and that no living process is still writing, and deletes them once the transaction has
 * committed. At start, the process's own id belongs to no upload yet (a restarted server in a
 * container often gets its old id back). Returns the names deleted.
 */
export async function sweepFrameFiles(trx: Executor, afterCommit: AfterCommit, dataDir: string, options: { atStart: boolean }): Promise<string[]> {
  const folder = framesFolder(dataDir);
  // Compared by name: the data folder may have moved since the paths were recorded.
  const referenced = new Set((await listStoredFramePaths(trx)).map((stored) => path.basename(stored)));
  const orphans = filesIn(folder).filter((name) => {
    if (referenced.has(name)) return false;
    const writer = PARTIAL.exec(name);
    return !writer || !isWriting(Number(writer[1]), options.atStart);
  });
  // Copies of frames uploaded for `draw verify` live only while their process checks them.
  const verifyFolder = verifyCopiesFolder(dataDir);
  const verifyLeftovers = filesIn(verifyFolder).filter((name) => {
    const writer = VERIFY_COPY.exec(name);
    return !writer || !isWriting(Number(writer[1]), options.atStart);
  });
  afterCommit(() => {
    for (const name of orphans) fs.rmSync(path.join(folder, name), { force: true });
    for (const name of verifyLeftovers) fs.rmSync(path.join(verifyFolder, name), { force: true });
  });
  return [...orphans, ...verifyLeftovers];
}

function filesIn(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
}

const VERIFY_COPY = /\.(\d+)\.csv$/;

function verifyCopiesFolder(dataDir: string): string {
  return path.join(dataDir, 'verify');
}

/** Where `draw verify` keeps an uploaded frame while it re-runs the draw: named after this process, so a sweep knows whether it is still in use. */
export function newVerifyCopyPath(dataDir: string, year: number): string {
  return path.join(verifyCopiesFolder(dataDir), `${year}-${Date.now()}-${randomBytes(6).toString('hex')}.${process.pid}.csv`);
}

function isWriting(pid: number, atStart: boolean): boolean {
  if (pid === process.pid) return !atStart;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
