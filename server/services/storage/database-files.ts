import type { ReadRanges } from '../../../sampling';
import type { Db } from '../../db/connect';
import { lockStoredFiles } from '../../db/dialect';
import type { Executor } from '../../db/schema';
import { writeTransaction } from '../../db/unit-of-work';
import { UserError } from '../../errors';
import { appendChunk, deleteStoredFile, deleteUnusedFiles, findStoredFile, finishStoredFile, insertStoredFile, keepStoredFile, listChunkSizes, readChunkPieces, readChunks, type ChunkPiece } from '../../repositories/stored-files';
import type { NewStoredFile, StoredFilePurpose } from './stored-files';

/**
 * Uploaded files in the database (PostgreSQL installations), so every instance reads a frame any
 * instance received. A file is a row of `stored_files` and its bytes rows of `stored_file_chunks`.
 * Each chunk is written in a transaction of its own: a 2 GB upload arriving over minutes never
 * holds a lock, and what is written is visible to nobody, since no record points to it, until
 * the frame import's transaction keeps the file and records its reference together.
 */

// Large enough that a 2 GB frame is ~2,000 rows, small enough that a chunk is one cheap statement.
const CHUNK_BYTES = 1024 * 1024;
// Chunks read per query when a file is read back.
const CHUNKS_PER_READ = 4;

/**
 * A file still being written and untouched for this long was left by a process that died. Whether
 * a process is alive cannot be asked across machines (the instances' ids mean nothing to each
 * other), so the file's last write says it instead: a living writer touches its file at every
 * chunk, a few seconds apart; the HTTP server ends an upload that stalls for minutes; reading a
 * saved copy again (a verification reads it once whole, then for its drawn rows) takes minutes for the largest
 * frames. An hour leaves wide room, and a dead upload's bytes go at the first sweep after it.
 */
export const ABANDONED_AFTER_MS = 60 * 60_000;

const REFERENCE = /^database:(\d+)$/;

export function databaseFileId(reference: string): number | null {
  const match = REFERENCE.exec(reference);
  return match ? Number(match[1]) : null;
}

const gone = (): UserError => new UserError('Tệp đã tải lên không còn trong cơ sở dữ liệu (đã bị xóa trong lúc dùng, hoặc bị bỏ dở quá lâu): hãy tải lên lại', 409);

export async function newDatabaseFile(db: Db, purpose: StoredFilePurpose): Promise<NewStoredFile> {
  const id = await writeTransaction(db, (trx) => insertStoredFile(trx, purpose, new Date().toISOString()));
  let buffered: Uint8Array[] = [];
  let bufferedBytes = 0;
  let chunks = 0;
  let finished = false;
  // One chunk is stored while the next one is read from the upload.
  let storing: Promise<void> = Promise.resolve();
  let storeError: unknown = null;

  const store = (bytes: Uint8Array): void => {
    const seq = chunks++;
    storing = storing
      .then(async () => {
        if (storeError) return;
        if (!(await writeTransaction(db, (trx) => appendChunk(trx, id, seq, bytes, new Date().toISOString())))) throw gone();
      })
      .catch((error: unknown) => void (storeError ??= error));
  };
  const flush = (): void => {
    if (bufferedBytes === 0) return;
    store(Buffer.concat(buffered));
    buffered = [];
    bufferedBytes = 0;
  };
  const settle = async (): Promise<void> => {
    await storing;
    if (storeError) throw storeError;
  };

  return {
    async write(chunk) {
      if (storeError) throw storeError;
      buffered.push(chunk);
      bufferedBytes += chunk.byteLength;
      if (bufferedBytes < CHUNK_BYTES) return;
      // Waits for the chunk before: at most two chunks are held in memory.
      await storing;
      flush();
    },
    async finish() {
      if (finished) return settle();
      finished = true;
      flush();
      await settle();
      if (!(await writeTransaction(db, (trx) => finishStoredFile(trx, id, chunks, new Date().toISOString())))) throw gone();
    },
    open: () => readDatabaseFile(db, id),
    localPath: null,
    async keep(trx) {
      await lockStoredFiles(trx);
      if (!(await keepStoredFile(trx, id))) throw gone();
      return `database:${id}`;
    },
    async discard() {
      await storing;
      await writeTransaction(db, (trx) => deleteStoredFile(trx, id));
    },
  };
}

/** The file's bytes in order; refuses a file deleted or cut short while it is read. */
export async function* readDatabaseFile(db: Executor, id: number): AsyncGenerator<Uint8Array> {
  const file = await findStoredFile(db, id);
  if (!file) throw gone();
  // The next chunks are fetched while the reader works on these.
  const fetch = (from: number): Promise<{ seq: number; bytes: Uint8Array }[]> => {
    const rows = from < file.chunks ? readChunks(db, id, from, CHUNKS_PER_READ) : Promise.resolve([]);
    // Awaited below; handled here too, so a reader that stops early leaves no unhandled rejection.
    rows.catch(() => {});
    return rows;
  };
  let seq = 0;
  let next = fetch(0);
  while (seq < file.chunks) {
    const rows = await next;
    if (rows.length === 0) throw gone();
    next = fetch(seq + rows.length);
    for (const row of rows) {
      if (row.seq !== seq) throw gone();
      seq++;
      yield row.bytes;
    }
  }
}

/**
 * Byte ranges of a file in the database (the drawn rows of a frame, drawFromIndex): only the
 * parts of the chunks that hold them are read. Chunks vary in size (an upload's pieces are
 * gathered to at least CHUNK_BYTES), so where each starts is worked out from their sizes.
 */
export function databaseFileRanges(db: Executor, id: number): ReadRanges {
  return async (ranges) => {
    const file = await findStoredFile(db, id);
    const sizes = await listChunkSizes(db, id);
    if (!file || sizes.length !== file.chunks) throw gone();
    const starts: number[] = [];
    let total = 0;
    for (const chunk of sizes) {
      starts.push(total);
      total += chunk.bytes;
    }
    const pieces: ChunkPiece[] = [];
    const owners: number[] = [];
    ranges.forEach(({ offset, length }, owner) => {
      const end = Math.min(offset + length, total);
      for (let at = offset; at < end; ) {
        const c = chunkHolding(starts, at);
        const bytes = Math.min(end, starts[c] + sizes[c].bytes) - at;
        pieces.push({ seq: sizes[c].seq, from: at - starts[c], length: bytes });
        owners.push(owner);
        at += bytes;
      }
    });
    const read = await readChunkPieces(db, id, pieces);
    const parts: Uint8Array[][] = ranges.map(() => []);
    read.forEach((bytes, i) => parts[owners[i]].push(bytes));
    return parts.map((p) => Buffer.concat(p));
  };
}

/** The last chunk starting at or before byte `at`. */
function chunkHolding(starts: number[], at: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= at) low = mid;
    else high = mid - 1;
  }
  return low;
}

export async function databaseFileExists(db: Executor, id: number): Promise<boolean> {
  return (await findStoredFile(db, id)) !== undefined;
}

/** Deleted in the transaction that stops referring to it: no window where a crash leaves it behind. */
export async function removeDatabaseFile(trx: Executor, id: number): Promise<void> {
  await deleteStoredFile(trx, id);
}

/**
 * Deletes, under lockStoredFiles, the files no frame import refers to any more and the uploads
 * abandoned by a process that died (ABANDONED_AFTER_MS). Returns their references.
 */
export async function sweepDatabaseFiles(trx: Executor, referenced: number[], now: Date): Promise<string[]> {
  const ids = await deleteUnusedFiles(trx, referenced, new Date(now.getTime() - ABANDONED_AFTER_MS).toISOString());
  return ids.map((id) => `database:${id}`);
}
