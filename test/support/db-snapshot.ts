import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../server/db/connect';

/**
 * Every table's rows, as one digest per table: equal snapshots before and after a refused
 * request mean nothing at all was written, not only that the row counts match.
 */
export async function snapshotTables(db: Db): Promise<Record<string, string>> {
  const { rows: tables } = await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db);
  const snapshot: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)} ORDER BY rowid`.execute(db).catch(() => sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(db));
    snapshot[name] = `${rows.length} rows, ${createHash('sha256').update(JSON.stringify(rows)).digest('hex').slice(0, 16)}`;
  }
  return snapshot;
}
