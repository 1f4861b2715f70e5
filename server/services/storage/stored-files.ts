import type { ByteSource, DrawIndexSink, ReadRanges } from '../../../sampling';
import type { Db } from '../../db/connect';
import { lockStoredFiles, uploadStorage } from '../../db/dialect';
import type { Executor } from '../../db/schema';
import type { AfterCommit } from '../../db/unit-of-work';
import { listStoredFrameFiles } from '../../repositories/frame-imports';
import { databaseFileExists, databaseFileId, databaseFileRanges, newDatabaseFile, readDatabaseFile, removeDatabaseFile, sweepDatabaseFiles } from './database-files';
import { diskFileExists, diskFileRanges, newDiskFile, openDiskFile, removeDiskFile, sweepDiskFiles } from './disk-files';

/**
 * Uploaded files that must outlive the request that brought them (a frame waits for its draw,
 * with the draw index its import wrote) or be read twice (a frame being verified). Where they
 * go is the dialect's choice (uploadStorage): the data folder's disk on SQLite (disk-files.ts),
 * the database on PostgreSQL (database-files.ts). A kept file is named by a reference that frame_imports records: an
 * absolute path, or `database:<id>`; each is read where it was written, whatever the dialect.
 */

export type StoredFilePurpose = 'frame' | 'draw-index' | 'verify';

/** A file being written from an upload, then read back, then kept (recorded) or discarded. */
export interface NewStoredFile {
  /** Resolves once the bytes can take more (back-pressure). */
  write(chunk: Uint8Array): Promise<void>;
  /** Everything is written; may be called again. */
  finish(): Promise<void>;
  /** The bytes written, once finished. */
  open(): ByteSource;
  /** Where those bytes are on this machine's disk, to read by byte range (a file read in parts); null in the database. */
  readonly localPath: string | null;
  /**
   * Inside the transaction that records it: from its commit on the file stays until a record
   * stops referring to it. Returns the reference to record.
   */
  keep(trx: Executor): Promise<string>;
  /** Deletes it: the upload was refused, failed, or was only needed for a while. */
  discard(): Promise<void>;
}

export async function newStoredFile(deps: { db: Db; dataDir: string }, purpose: StoredFilePurpose, year: number): Promise<NewStoredFile> {
  return uploadStorage(deps.db) === 'database' ? newDatabaseFile(deps.db, purpose) : newDiskFile(deps.dataDir, purpose, year);
}

/**
 * Saves a one-time stream (a web upload) so `work` can read it as many times as it needs, then
 * deletes it whatever happens. Since it holds personal data, a copy left by a process that died
 * is deleted by the next sweep (sweepStoredFiles).
 */
export async function withSavedCopy<T>(
  deps: { db: Db; dataDir: string },
  year: number,
  upload: ByteSource,
  work: (saved: { open: () => ByteSource; localPath: string | null }) => Promise<T>,
): Promise<T> {
  const file = await newStoredFile(deps, 'verify', year);
  try {
    for await (const chunk of upload) await file.write(chunk);
    await file.finish();
    return await work({ open: () => file.open(), localPath: file.localPath });
  } finally {
    await file.discard();
  }
}

export function openStoredFile(db: Executor, reference: string): ByteSource {
  const id = databaseFileId(reference);
  return id === null ? openDiskFile(reference) : readDatabaseFile(db, id);
}

/** Reads byte ranges of a stored file without reading the rest of it. */
export function storedFileRanges(db: Executor, reference: string): ReadRanges {
  const id = databaseFileId(reference);
  return id === null ? diskFileRanges(reference) : databaseFileRanges(db, id);
}

export async function storedFileExists(db: Executor, reference: string): Promise<boolean> {
  const id = databaseFileId(reference);
  return id === null ? diskFileExists(reference) : databaseFileExists(db, id);
}

/** In the transaction that clears the last reference to the file: deletes it, or (on disk) after the commit. */
export async function removeStoredFile(trx: Executor, afterCommit: AfterCommit, reference: string): Promise<void> {
  const id = databaseFileId(reference);
  if (id === null) removeDiskFile(afterCommit, reference);
  else await removeDatabaseFile(trx, id);
}

/**
 * Deletes every stored file nobody can still use: ones no frame import refers to (publish, purge
 * and a newer import clear the reference in their transaction) and copies whose writer is gone
 * (on disk: a process no longer alive; in the database: untouched for long, database-files.ts).
 * Runs at the start of an instance, at each frame import and at a purge. Returns the file names
 * or references deleted.
 */
export async function sweepStoredFiles(trx: Executor, afterCommit: AfterCommit, dataDir: string, options: { atStart: boolean }, now = new Date()): Promise<string[]> {
  await lockStoredFiles(trx);
  const referenced = await listStoredFrameFiles(trx);
  const inDatabase = referenced.map(databaseFileId).filter((id) => id !== null);
  // The data folder is swept on PostgreSQL too: files written there before frames moved into the database.
  const onDisk = sweepDiskFiles(afterCommit, dataDir, referenced.filter((r) => databaseFileId(r) === null), options);
  return [...onDisk, ...(await sweepDatabaseFiles(trx, inDatabase, now))];
}

// Index bytes queued for storage before the frame's reading waits for them.
const QUEUED_INDEX_BYTES = 4 << 20;

/** A draw index written into a stored file while scanFrame reads the frame (frame-import.ts). */
export interface StoredIndexSink extends DrawIndexSink {
  /** Awaited by the index's writer between chunks: holds it while too much waits to be stored. */
  ready(): Promise<void>;
  /** Everything is stored; the file to keep. */
  finish(): Promise<NewStoredFile>;
  /** Deletes what was stored: the import was refused or failed. */
  discard(): Promise<void>;
}

/**
 * scanFrame writes the index synchronously, the storage takes its time (a disk stream, chunks
 * in the database): writes are copied and queued in order, and `ready()` bounds the queue, so
 * memory stays flat whatever the frame's size.
 */
export function storedIndexSink(deps: { db: Db; dataDir: string }, year: number): StoredIndexSink {
  let file: NewStoredFile | null = null;
  let queue: Promise<void> = Promise.resolve();
  let queued = 0;
  let failure: unknown = null;
  const enqueue = (work: () => Promise<void>, done = () => {}): void => {
    queue = queue
      .then(async () => {
        if (failure === null) await work();
      })
      .catch((error: unknown) => void (failure ??= error))
      .finally(done);
  };
  const settle = async (): Promise<void> => {
    await queue;
    if (failure !== null) throw failure;
  };
  enqueue(async () => {
    file = await newStoredFile(deps, 'draw-index', year);
  });
  return {
    write(bytes) {
      // The writer reuses its buffer once this returns.
      const copy = bytes.slice();
      queued += copy.length;
      enqueue(
        () => file!.write(copy),
        () => void (queued -= copy.length),
      );
    },
    async ready() {
      if (queued > QUEUED_INDEX_BYTES) await queue;
      if (failure !== null) throw failure;
    },
    async finish() {
      await settle();
      await file!.finish();
      return file!;
    },
    async discard() {
      await queue;
      const old = file;
      file = null;
      await old?.discard();
    },
  };
}
