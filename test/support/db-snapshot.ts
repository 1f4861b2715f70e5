import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../../server/db/connect';
import { isSqlite } from '../../server/db/dialect';

/**
 * Every table's rows, as one digest per table: equal snapshots before and after a refused
 * request mean nothing at all was written, not only that the row counts match. Rows are
 * compared as a sorted list, since PostgreSQL returns them in no fixed order.
 */
export async function snapshotTables(db: Db): Promise<Record<string, string>> {
  const { rows: tables } = isSqlite(db)
    ? await sql<{ name: string }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`.execute(db)
    : await sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name COLLATE "C"`.execute(db);
  const snapshot: Record<string, string> = {};
  for (const { name } of tables) {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(db);
    const lines = rows.map((row) => JSON.stringify(row)).sort();
    snapshot[name] = `${rows.length} rows, ${createHash('sha256').update(JSON.stringify(lines)).digest('hex').slice(0, 16)}`;
  }
  return snapshot;
}
