import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { ConfigError, UserError } from '../errors';
import { createOwnerOnly } from './connect';
import { openPostgres } from './postgres';

/**
 * Backup and restore on PostgreSQL, through PostgreSQL's own programs: `pg_dump --format=custom`
 * takes a consistent snapshot while the platform is serving, `pg_restore` puts it back. Debian
 * installs them under /usr/lib/postgresql/<version>/bin, outside PATH; the newest version is
 * taken, since pg_dump refuses a server newer than itself.
 */
const run = promisify(execFile);

function findProgram(name: string): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const folders = [...versions.map((v) => path.join(root, v, 'bin')), ...(process.env.PATH ?? '').split(path.delimiter).filter(Boolean)];
  const found = folders.map((folder) => path.join(folder, name)).find((file) => fs.existsSync(file));
  if (!found) throw new ConfigError(`Không tìm thấy chương trình ${name} của PostgreSQL: hãy cài gói postgresql-client cùng phiên bản với máy chủ PostgreSQL`);
  return found;
}

async function runProgram(name: string, args: string[]): Promise<string> {
  try {
    return (await run(findProgram(name), args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // Not the person's to fix from the page: logged and answered with 500, its first line kept for the command line.
    const stderr = ((error as { stderr?: string }).stderr || (error as Error).message).trim().split('\n')[0];
    throw new Error(`${name} failed: ${stderr}`);
  }
}

export async function dumpPostgres(url: string, destination: string): Promise<{ bytes: number }> {
  fs.mkdirSync(path.dirname(path.resolve(destination)), { recursive: true });
  // Created owner-only before pg_dump writes into it: the dump holds what the database holds.
  createOwnerOnly(destination);
  await runProgram('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${destination}`, url]);
  return { bytes: fs.statSync(destination).size };
}

/** The table names a custom-format dump holds data for, or null when the file is not one. */
export async function dumpedTables(file: string): Promise<string[] | null> {
  const head = Buffer.alloc(5);
  const fd = fs.openSync(file, 'r');
  try {
    fs.readSync(fd, head, 0, 5, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (head.toString('latin1') !== 'PGDMP') return null;
  const list = await runProgram('pg_restore', ['--list', file]);
  return [...list.matchAll(/ TABLE DATA \S+ (\S+) /g)].map((m) => m[1]);
}

/**
 * Replaces the database's content with a dump, after checking it is a SIPAS dump and that no
 * other connection (a server still serving) uses the database: pg_restore would wait on its
 * locks, and answers it acknowledged in between would be lost.
 */
export async function restorePostgres(url: string, file: string): Promise<{ waves: number }> {
  const tables = await dumpedTables(file);
  if (tables === null) throw new UserError(`tệp ${file} không phải bản sao lưu PostgreSQL hợp lệ (pg_dump --format=custom)`);
  if (!tables.includes('waves') || !tables.includes('kysely_migration')) throw new UserError(`tệp ${file} không phải bản sao lưu của SIPAS`);
  const db = openPostgres(url, 1);
  try {
    // A connection closed a moment ago (the command's own) leaves pg_stat_activity once its backend has exited: asked again for a few seconds.
    for (let tries = 0; ; tries++) {
      const { rows } = await sql<{ n: number }>`select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`.execute(db);
      if (rows[0].n === 0) break;
      if (tries === 30) throw new UserError('Máy chủ SIPAS (hoặc một lệnh khác) đang dùng cơ sở dữ liệu: hãy dừng mọi máy chủ rồi chạy lại lệnh khôi phục', 409);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await db.destroy();
  }
  // One transaction: a failure half-way leaves the old content whole.
  await runProgram('pg_restore', ['--clean', '--if-exists', '--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', `--dbname=${url}`, file]);
  const restored = openPostgres(url, 1);
  try {
    const { rows } = await sql<{ n: number }>`select count(*) as n from waves`.execute(restored);
    return { waves: rows[0].n };
  } finally {
    await restored.destroy();
  }
}
