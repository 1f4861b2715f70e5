import { type Kysely, PostgresAdapter } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * Each keying of a returned paper form by a post-office clerk (SIPAS.md section 8): pass 1, and
 * pass 2 when the wave asks for double entry. Kept apart from `responses` because a keying is
 * not yet an answer: under double entry it becomes one only when both passes agree or a
 * supervisor settles the differences. Also the source of the operator figures.
 */
export async function up(db: AnyDb): Promise<void> {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const table = db.schema.createTable('paper_keyings');
  await (isPostgres
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()))
    .addColumn('wave_year', 'integer', (c) => c.notNull().references('waves.year').onDelete('cascade'))
    .addColumn('questionnaire_id', 'integer', (c) => c.notNull().references('questionnaires.id'))
    .addColumn('pass', 'integer', (c) => c.notNull())
    .addColumn('entered_by', 'text', (c) => c.notNull())
    .addColumn('answers', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('corrections', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'text', (c) => c.notNull())
    .addColumn('ended_at', 'text', (c) => c.notNull())
    .addColumn('response_id', 'integer', (c) => c.references('responses.id'))
    .addUniqueConstraint('paper_keyings_questionnaire_pass', ['questionnaire_id', 'pass'])
    .execute();
  await db.schema.createIndex('paper_keyings_wave').on('paper_keyings').columns(['wave_year', 'entered_by']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('paper_keyings').ifExists().execute();
}
