import { type Kysely, PostgresAdapter } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** The columns created as 'real': a double on SQLite, but a 4-byte float on PostgreSQL. */
const REAL_COLUMNS = [
  ['draws', 'reserve_percent'],
  ['draw_commitments', 'reserve_percent'],
  ['previous_indexes', 'index_value'],
] as const;

/**
 * On PostgreSQL, makes those columns doubles like SQLite's: a 4-byte float keeps about seven
 * digits, so a published index of 88.5612345 came back as 88.56123, and a draw's reserve rate
 * could differ from the one the supervisor typed and signed. SQLite's REAL is already a double:
 * nothing to do there.
 */
export async function up(db: AnyDb): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const [table, column] of REAL_COLUMNS) await db.schema.alterTable(table).alterColumn(column, (c) => c.setDataType('double precision')).execute();
}

export async function down(db: AnyDb): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  for (const [table, column] of REAL_COLUMNS) await db.schema.alterTable(table).alterColumn(column, (c) => c.setDataType('real')).execute();
}
