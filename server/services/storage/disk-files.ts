import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { ByteSource, FrameFile, PartReader, ReadRanges, ScratchSpace } from '../../../sampling';
import type { AfterCommit } from '../../db/unit-of-work';
import { UserError } from '../../errors';
import type { NewStoredFile, StoredFilePurpose } from './stored-files';

/**
 * Uploaded files on the data folder's disk (SQLite installations). Frame files hold everyone's
 * personal data, so none may outlive its use, even when a process dies between a commit and the
 * file's deletion. A copy is written under a name that carries the writing process's id and gets
 * its final name only inside the transaction that records it; so a sweep, which runs under the
 * same write lock, can tell a copy still being written (its process is alive) from one left
 * behind, and a final name from a record that never committed.
 */

const PARTIAL = /\.(\d+)\.partial$/;
// Copies of frames uploaded for `draw verify` live only while their process checks them.
const VERIFY_COPY = /\.(\d+)\.csv$/;
// Scratch files of a frame's read (a row log, a draw index to draw from) live only during it.
const SCRATCH_FILE = /\.(\d+)\.tmp$/;
const SCRATCH_FOLDER = 'scratch';
/**
 * Bytes a stored file's writer takes before its caller waits for the disk. With the stream's
 * default (16 KiB), each 64 KiB chunk of an upload waited for its own write before being read,
 * so the disk's time was added to the reading's instead of overlapping it.
 */
const WRITE_AHEAD_BYTES = 8 << 20;

// A draw index lives beside its frame: kept, swept and deleted by the same rules.
const folders: Record<StoredFilePurpose, string> = { frame: 'frames', 'draw-index': 'frames', verify: 'verify' };
const extensions: Record<StoredFilePurpose, string> = { frame: '.csv', 'draw-index': '.index', verify: '.csv' };

function folderOf(dataDir: string, purpose: StoredFilePurpose): string {
  return path.join(dataDir, folders[purpose]);
}

/**
 * A new file under `<dataDir>/frames/` (a frame or its draw index; its partial name until
 * `keep`) or `<dataDir>/verify/` (named after this process, never kept), readable only by the
 * platform.
 */
export function newDiskFile(dataDir: string, purpose: StoredFilePurpose, year: number): NewStoredFile {
  const folder = folderOf(dataDir, purpose);
  fs.mkdirSync(folder, { recursive: true });
  const name = `${year}-${Date.now()}-${randomBytes(6).toString('hex')}`;
  const final = path.join(folder, `${name}${extensions[purpose]}`);
  const partial = purpose === 'verify' ? path.join(folder, `${name}.${process.pid}.csv`) : `${final}.${process.pid}.partial`;
  const out = fs.createWriteStream(partial, { flags: 'wx', mode: 0o600, highWaterMark: WRITE_AHEAD_BYTES });
  let writeError: Error | null = null;
  out.on('error', (error) => (writeError = error));
  // The same answer whether the disk fails on a chunk or on the last bytes, which with writing
  // ahead are often written only after the reading has moved on.
  const refusal = (error: Error) => diskRefusal('Không lưu được tệp tải lên vào', folder, error);
  return {
    async write(chunk) {
      if (writeError) throw refusal(writeError);
      if (!out.write(chunk)) await once(out, 'drain').catch((error: Error) => Promise.reject(refusal(error)));
    },
    async finish() {
      if (!out.writableEnded) out.end();
      await finished(out).catch((error: Error) => (writeError ??= error));
      if (writeError) throw refusal(writeError);
    },
    open: () => fs.createReadStream(partial),
    localPath: partial,
    async keep() {
      if (purpose === 'verify') throw new Error(`a ${purpose} copy is never kept`);
      fs.renameSync(partial, final);
      return final;
    },
    async discard() {
      if (!out.closed) out.destroy();
      for (const file of [partial, final]) fs.rmSync(file, { force: true });
    },
  };
}

/**
 * Scratch space on the data folder's disk for reading a large frame (sampling's ScratchSpace):
 * files under `<dataDir>/scratch/` named after this process, written synchronously (the reader
 * writes as it goes, 1 MiB at a time), all deleted by `discard` once the read ends, or by the
 * next sweep if the process died.
 */
export function diskScratch(dataDir: string): { space: () => ScratchSpace; discard(): void } {
  const folder = path.join(dataDir, SCRATCH_FOLDER);
  const files: { file: string; fd: number }[] = [];
  return {
    space() {
      fs.mkdirSync(folder, { recursive: true });
      const file = path.join(folder, `${Date.now()}-${randomBytes(6).toString('hex')}.${process.pid}.tmp`);
      const fd = fs.openSync(file, 'wx', 0o600);
      files.push({ file, fd });
      return {
        write(bytes) {
          try {
            for (let done = 0; done < bytes.length; ) done += fs.writeSync(fd, bytes, done);
          } catch (error) {
            throw diskRefusal('Không ghi được tệp tạm của lần đọc vào', folder, error as Error);
          }
        },
        read: () => fs.createReadStream(file, { highWaterMark: 1 << 20 }),
      };
    },
    discard() {
      for (const { file, fd } of files.splice(0)) {
        fs.closeSync(fd);
        fs.rmSync(file, { force: true });
      }
    },
  };
}

/** What a failed write of the data folder tells the administrator: what could not be written where, and a full disk said so. */
function diskRefusal(what: string, folder: string, error: Error): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  const full = code === 'ENOSPC' || code === 'EFBIG' || code === 'EDQUOT';
  return new UserError(`${what} ${folder}${full ? ' (ổ đĩa đã đầy hoặc tệp vượt giới hạn dung lượng của máy chủ)' : ''}: ${error.message}`);
}

export function openDiskFile(file: string): ByteSource {
  return fs.createReadStream(file);
}

/** Byte ranges of a file on disk (the drawn rows of a frame, drawFromIndex), each read alone. */
export function diskFileRanges(file: string): ReadRanges {
  return async (ranges) => {
    const handle = await fs.promises.open(file, 'r');
    try {
      const out: Uint8Array[] = [];
      for (const { offset, length } of ranges) {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, offset);
        out.push(buffer.subarray(0, bytesRead));
      }
      return out;
    } finally {
      await handle.close();
    }
  };
}

/** A file on this machine's disk as sampling reads it, by byte range and, given `readPart`, in two parts at once (FrameFile). */
export function diskFrameFile(file: string, readPart?: PartReader): FrameFile {
  return {
    size: fs.statSync(file).size,
    read: (start, end) => (end > start ? fs.createReadStream(file, { start, end: end - 1 }) : Readable.from([])),
    ranges: diskFileRanges(file),
    ...(readPart ? { readPart } : {}),
  };
}

export function diskFileExists(file: string): boolean {
  return fs.existsSync(file);
}

export function removeDiskFile(afterCommit: AfterCommit, file: string): void {
  afterCommit(() => fs.rmSync(file, { force: true }));
}

/**
 * Lists, under the write lock, the files of `<dataDir>/frames/` that no frame import refers to
 * (publish and purge clear the reference in their transaction, so their files are among them)
 * and that no living process is still writing, and deletes them once the transaction has
 * committed; the same for verify copies and scratch files whose process is gone. At start, the process's own id
 * belongs to no upload yet (a restarted server in a container often gets its old id back).
 * Returns the names deleted.
 */
export function sweepDiskFiles(afterCommit: AfterCommit, dataDir: string, referenced: string[], options: { atStart: boolean }): string[] {
  // Compared by name: the data folder may have moved since the paths were recorded.
  const names = new Set(referenced.map((stored) => path.basename(stored)));
  const frames = folderOf(dataDir, 'frame');
  const orphans = filesIn(frames).filter((name) => {
    if (names.has(name)) return false;
    const writer = PARTIAL.exec(name);
    return !writer || !isWriting(Number(writer[1]), options.atStart);
  });
  const verify = folderOf(dataDir, 'verify');
  const verifyLeftovers = filesIn(verify).filter((name) => {
    const writer = VERIFY_COPY.exec(name);
    return !writer || !isWriting(Number(writer[1]), options.atStart);
  });
  const scratch = path.join(dataDir, SCRATCH_FOLDER);
  const scratchLeftovers = filesIn(scratch).filter((name) => {
    const writer = SCRATCH_FILE.exec(name);
    return !writer || !isWriting(Number(writer[1]), options.atStart);
  });
  afterCommit(() => {
    for (const name of orphans) fs.rmSync(path.join(frames, name), { force: true });
    for (const name of verifyLeftovers) fs.rmSync(path.join(verify, name), { force: true });
    for (const name of scratchLeftovers) fs.rmSync(path.join(scratch, name), { force: true });
  });
  return [...orphans, ...verifyLeftovers, ...scratchLeftovers];
}

function filesIn(folder: string): string[] {
  return fs.existsSync(folder) ? fs.readdirSync(folder) : [];
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
