import type { Executor } from '../db/schema';

/** Uploaded files kept in the database, as rows of chunks (services/storage/database-files.ts). */

export async function insertStoredFile(db: Executor, purpose: string, now: string): Promise<number> {
  const { id } = await db
    .insertInto('stored_files')
    .values({ purpose, state: 'writing', chunks: 0, created_at: now, touched_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

/**
 * Adds the file's chunk `seq` and marks the file as written just now; false, writing nothing,
 * when the file is gone (a sweep took it for abandoned) or no longer being written.
 */
export async function appendChunk(db: Executor, fileId: number, seq: number, bytes: Uint8Array, now: string): Promise<boolean> {
  const touched = await db.updateTable('stored_files').set({ touched_at: now }).where('id', '=', fileId).where('state', '=', 'writing').executeTakeFirst();
  if (touched.numUpdatedRows !== 1n) return false;
  await db.insertInto('stored_file_chunks').values({ file_id: fileId, seq, bytes }).execute();
  return true;
}

/** Records how many chunks the complete file has; false when the file is gone. */
export async function finishStoredFile(db: Executor, fileId: number, chunks: number, now: string): Promise<boolean> {
  const result = await db.updateTable('stored_files').set({ chunks, touched_at: now }).where('id', '=', fileId).where('state', '=', 'writing').executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

/** The file is recorded (a frame import points to it): no sweep takes it any more. False when it is gone. */
export async function keepStoredFile(db: Executor, fileId: number): Promise<boolean> {
  const result = await db.updateTable('stored_files').set({ state: 'kept' }).where('id', '=', fileId).where('state', '=', 'writing').executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function findStoredFile(db: Executor, fileId: number): Promise<{ chunks: number } | undefined> {
  return db.selectFrom('stored_files').select('chunks').where('id', '=', fileId).executeTakeFirst();
}

/** Up to `limit` chunks of the file from `fromSeq` on, in order. */
export async function readChunks(db: Executor, fileId: number, fromSeq: number, limit: number): Promise<{ seq: number; bytes: Uint8Array }[]> {
  return db.selectFrom('stored_file_chunks').select(['seq', 'bytes']).where('file_id', '=', fileId).where('seq', '>=', fromSeq).orderBy('seq').limit(limit).execute();
}

/** Deletes the file and (by cascade) its chunks; false when it was already gone. */
export async function deleteStoredFile(db: Executor, fileId: number): Promise<boolean> {
  const result = await db.deleteFrom('stored_files').where('id', '=', fileId).executeTakeFirst();
  return result.numDeletedRows === 1n;
}

/**
 * Deletes the files nobody can still use: recorded ones that no record refers to any more
 * (`referenced`: the ids frame imports point to), and ones still being written whose last write
 * is older than `abandonedBefore`. Returns their ids.
 */
export async function deleteUnusedFiles(db: Executor, referenced: number[], abandonedBefore: string): Promise<number[]> {
  const rows = await db
    .deleteFrom('stored_files')
    .where((eb) =>
      eb.or([
        referenced.length > 0 ? eb.and([eb('state', '=', 'kept'), eb('id', 'not in', referenced)]) : eb('state', '=', 'kept'),
        eb.and([eb('state', '=', 'writing'), eb('touched_at', '<', abandonedBefore)]),
      ]),
    )
    .returning('id')
    .execute();
  return rows.map((r) => r.id);
}
