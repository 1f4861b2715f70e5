import { sql } from 'kysely';
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

/** The size in bytes of each chunk of the file, in order (`length` of a blob/bytea counts bytes in both dialects, without reading them). */
export async function listChunkSizes(db: Executor, fileId: number): Promise<{ seq: number; bytes: number }[]> {
  const rows = await db
    .selectFrom('stored_file_chunks')
    .select(['seq', sql<number | string>`length(bytes)`.as('bytes')])
    .where('file_id', '=', fileId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => ({ seq: r.seq, bytes: Number(r.bytes) }));
}

/** A part of one chunk: `length` bytes from byte `from` (0-based) of chunk `seq`. */
export interface ChunkPiece {
  seq: number;
  from: number;
  length: number;
}

// Under SQLite's limit of 500 terms in a compound SELECT.
const PIECES_PER_QUERY = 200;

/**
 * The pieces asked for, in their order, a few hundred per statement: only their bytes leave the
 * database (`substr` of a blob/bytea is 1-based and counts bytes in both dialects; PostgreSQL
 * reads only the slices it needs of a chunk stored uncompressed).
 */
export async function readChunkPieces(db: Executor, fileId: number, pieces: ChunkPiece[]): Promise<Uint8Array[]> {
  // Numbers this code computed, written as literals: no parameter whose type a dialect must guess.
  const select = (piece: ChunkPiece, i: number) =>
    db
      .selectFrom('stored_file_chunks')
      .select([sql<number>`${sql.lit(i)}`.as('i'), sql<Uint8Array>`substr(bytes, ${sql.lit(piece.from + 1)}, ${sql.lit(piece.length)})`.as('piece')])
      .where('file_id', '=', fileId)
      .where('seq', '=', piece.seq);
  const out: Uint8Array[] = pieces.map(() => new Uint8Array(0));
  for (let start = 0; start < pieces.length; start += PIECES_PER_QUERY) {
    let query = select(pieces[start], start);
    for (let i = start + 1; i < Math.min(pieces.length, start + PIECES_PER_QUERY); i++) query = query.unionAll(select(pieces[i], i));
    for (const row of await query.execute()) out[Number(row.i)] = row.piece;
  }
  return out;
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
