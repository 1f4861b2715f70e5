import type { Kysely } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The draw index a frame import writes beside the frame (issue 15): what the draw needs per
 * eligible person, so the draw does not read the whole frame again. A reference like
 * `stored_file` (a path in the data folder, or `database:<id>`). It holds person keys, so it
 * is cleared and its file deleted whenever the frame's is. Null for imports made before it
 * existed: their draws read the frame file as before.
 */
export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('frame_imports').addColumn('draw_index_file', 'text').execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('frame_imports').dropColumn('draw_index_file').execute();
}
