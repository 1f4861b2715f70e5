import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import type { DatabaseTarget } from '../config';
import { ConfigError } from '../errors';
import { UserError } from '../errors';

/**
 * Backups are the one place that speaks SQLite directly: the online backup API copies a
 * consistent snapshot even while the platform is serving. PostgreSQL deployments use pg_dump.
 */
function sqliteFile(target: DatabaseTarget): string {
  if (target.kind !== 'sqlite') throw new ConfigError('Sao lưu bằng lệnh này chỉ dành cho SQLite; với PostgreSQL hãy dùng pg_dump');
  return target.file;
}

export async function backupDatabase(target: DatabaseTarget, destination: string): Promise<{ bytes: number }> {
  const source = new SQLite(sqliteFile(target), { readonly: true, fileMustExist: true });
  try {
    fs.mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
    await source.backup(destination);
  } finally {
    source.close();
  }
  return { bytes: fs.statSync(destination).size };
}

/** Replaces the database with a backup, after checking the backup is a sound SIPAS database. */
export async function restoreDatabase(target: DatabaseTarget, backupFile: string): Promise<{ waves: number }> {
  if (!fs.existsSync(backupFile)) throw new UserError(`không có tệp ${backupFile}`);
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
    const file = sqliteFile(target);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    // Copy beside the target, then swap it in with a rename, so a failure half-way leaves the old database whole.
    const staging = `${file}.restoring`;
    await backup.backup(staging);
    // The old write-ahead log belongs to the replaced database; left behind it would be replayed over the restored one.
    for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
    fs.renameSync(staging, file);
    return { waves };
  } finally {
    backup.close();
  }
}
