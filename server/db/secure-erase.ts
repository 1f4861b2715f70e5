import { sql } from 'kysely';
import { UserError } from '../errors';
import type { Db } from './connect';
import { isSqlite } from './dialect';
import { rewriteTables } from './postgres';

/**
 * Makes deleted rows unreadable in the database's files. SQLite only marks deleted content as
 * free: purged names stay in free pages, in the unused parts of pages, in the write-ahead log,
 * and in every backup, which copies pages as they are. VACUUM rebuilds the database from its
 * live rows alone; the TRUNCATE checkpoint then writes the rebuilt pages over the file (which
 * shrinks to them) and empties the WAL. It runs outside any transaction, after the deletion has
 * committed. PostgreSQL has its own way (postgres.ts).
 */
export async function eraseDeletedData(db: Db): Promise<void> {
  if (!isSqlite(db)) return rewriteTables(db);
  await sql`vacuum`.execute(db);
  const { rows } = await sql<{ busy: number }>`pragma wal_checkpoint(TRUNCATE)`.execute(db);
  // busy = 1: another connection was still reading, so part of the old log may remain.
  if (rows[0]?.busy !== 0) {
    throw new UserError('Đã xóa dữ liệu cá nhân nhưng chưa ghi đè xong tệp nhật ký của cơ sở dữ liệu vì một kết nối khác đang đọc: hãy chạy lại lệnh xóa dữ liệu cá nhân', 409);
  }
}
