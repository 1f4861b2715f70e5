import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { DatabaseTarget } from '../config';
import { UserError } from '../errors';
import { createOwnerOnly } from './connect';
import { dumpPostgres, restorePostgres } from './postgres-backup';

/**
 * Backups are the one place that speaks SQLite directly: the online backup API copies a
 * consistent snapshot even while the platform is serving. On PostgreSQL they are pg_dump's
 * custom-format archives (postgres-backup.ts).
 */

/** What a backup file of this database is, for the download's name and type. */
export function backupFileKind(target: DatabaseTarget): { extension: string; contentType: string } {
  return target.kind === 'sqlite' ? { extension: '.db', contentType: 'application/vnd.sqlite3' } : { extension: '.dump', contentType: 'application/octet-stream' };
}

export async function backupDatabase(target: DatabaseTarget, destination: string): Promise<{ bytes: number }> {
  if (target.kind === 'postgres') return dumpPostgres(target.url, destination);
  const source = new SQLite(target.file, { readonly: true, fileMustExist: true });
  try {
    fs.mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
    // A backup holds what the database holds: readable by its owner only, like the database.
    createOwnerOnly(destination);
    await source.backup(destination);
  } finally {
    source.close();
  }
  return { bytes: fs.statSync(destination).size };
}

/**
 * Replaces the database with a backup, after checking the backup is a sound SIPAS database and
 * that no process has the database open: a server still serving it would keep writing to the
 * replaced file, and answers it acknowledged would be gone after its restart.
 */
export async function restoreDatabase(target: DatabaseTarget, backupFile: string): Promise<{ waves: number }> {
  if (!fs.existsSync(backupFile)) throw new UserError(`không có tệp ${backupFile}`);
  if (target.kind === 'postgres') return restorePostgres(target.url, backupFile);
  let backup: SQLite.Database;
  try {
    backup = new SQLite(backupFile, { readonly: true, fileMustExist: true });
    const integrity = backup.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new Error(String(integrity));
  } catch (error) {
    throw new UserError(`tệp ${backupFile} không phải cơ sở dữ liệu SQLite hợp lệ (${(error as Error).message})`);
  }
  try {
    const hasSchema = backup.prepare("select count(*) as n from sqlite_master where type = 'table' and name in ('waves', 'kysely_migration')").get() as { n: number };
    if (hasSchema.n !== 2) throw new UserError(`tệp ${backupFile} không phải bản sao lưu của SIPAS`);
    const { n: waves } = backup.prepare('select count(*) as n from waves').get() as { n: number };
    const file = target.file;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Copy beside the target, then swap it in with a rename, so a failure half-way leaves the old database whole.
    const staging = `${file}.restoring`;
    const lock = fs.existsSync(file) ? lockUnused(file) : null;
    try {
      createOwnerOnly(staging);
      await backup.backup(staging);
    } finally {
      // Closing checkpoints the old database's log into the file about to be replaced.
      lock?.close();
    }
    // The old write-ahead log belongs to the replaced database; left behind it would be replayed over the restored one.
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    fs.renameSync(staging, file);
    return { waves };
  } finally {
    backup.close();
  }
}

/**
 * Takes the database file's lock exclusively, or refuses when any process has the database open:
 * every SQLite connection in WAL mode holds a shared lock on the file until it closes, and the
 * system drops it when the process dies, even killed, so a crashed server does not block a restore.
 */
function lockUnused(file: string): SQLite.Database {
  const probe = new SQLite(file, { timeout: 0 });
  try {
    probe.pragma('locking_mode = EXCLUSIVE');
    probe.exec('begin exclusive');
    probe.exec('commit');
    return probe;
  } catch (error) {
    probe.close();
    if ((error as { code?: string }).code !== 'SQLITE_BUSY') throw error;
    throw new UserError(`Máy chủ SIPAS (hoặc một lệnh khác) đang dùng cơ sở dữ liệu ${file}: hãy dừng máy chủ rồi chạy lại lệnh khôi phục`, 409);
  }
}
