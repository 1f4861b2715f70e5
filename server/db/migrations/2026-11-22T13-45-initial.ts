import { type Kysely, type CreateTableBuilder, PostgresAdapter } from 'kysely';

// Frozen in time: this file must never import application code.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

function withId<T extends string>(db: AnyDb, table: CreateTableBuilder<T, never>) {
  const isPostgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return isPostgres
    ? table.addColumn('id', 'serial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('waves')
    .addColumn('year', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('closed_at', 'text')
    .addColumn('personal_data_purged_at', 'text')
    .execute();

  await withId(db, db.schema.createTable('units'))
    .addColumn('wave_year', 'integer', (c) => c.notNull().references('waves.year').onDelete('cascade'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('predecessors', 'text')
    .addColumn('sort_order', 'integer', (c) => c.notNull())
    .addUniqueConstraint('units_wave_code', ['wave_year', 'code'])
    .execute();

  await withId(db, db.schema.createTable('questionnaire_versions'))
    .addColumn('wave_year', 'integer', (c) => c.notNull().references('waves.year').onDelete('cascade'))
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('definition', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('frame_imports'))
    .addColumn('wave_year', 'integer', (c) => c.notNull().references('waves.year').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('stored_path', 'text')
    .addColumn('strict', 'integer', (c) => c.notNull())
    .addColumn('rows_read', 'integer', (c) => c.notNull())
    .addColumn('rows_accepted', 'integer', (c) => c.notNull())
    .addColumn('rows_rejected', 'integer', (c) => c.notNull())
    .addColumn('report', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .execute();

  await withId(db, db.schema.createTable('draws'))
    .addColumn('wave_year', 'integer', (c) => c.notNull().references('waves.year').onDelete('cascade'))
    .addColumn('frame_import_id', 'integer', (c) => c.notNull().references('frame_imports.id'))
    .addColumn('frame_sha256', 'text', (c) => c.notNull())
    .addColumn('seed', 'text', (c) => c.notNull())
    .addColumn('allocation', 'text', (c) => c.notNull())
    .addColumn('reserve_percent', 'real', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('code_version', 'text', (c) => c.notNull())
    .addColumn('unit_summary', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text')
    .addColumn('published_at', 'text')
    .execute();

  await withId(db, db.schema.createTable('sample_entries'))
    .addColumn('draw_id', 'integer', (c) => c.notNull().references('draws.id').onDelete('cascade'))
    .addColumn('wave_year', 'integer', (c) => c.notNull())
    .addColumn('unit_code', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('dossier_code', 'text', (c) => c.notNull())
    .addColumn('procedure', 'text')
    .addColumn('result_date', 'text')
    .addColumn('submission_channel', 'text')
    .execute();
  await db.schema.createIndex('sample_entries_draw').on('sample_entries').columns(['draw_id', 'unit_code', 'role', 'rank']).execute();

  await db.schema
    .createTable('contacts')
    .addColumn('sample_entry_id', 'integer', (c) => c.primaryKey().references('sample_entries.id').onDelete('cascade'))
    .addColumn('applicant_name', 'text', (c) => c.notNull())
    .addColumn('applicant_type', 'text', (c) => c.notNull())
    .addColumn('id_number', 'text')
    .addColumn('phone', 'text')
    .addColumn('address', 'text')
    .execute();

  await withId(db, db.schema.createTable('questionnaires'))
    .addColumn('wave_year', 'integer', (c) => c.notNull().references('waves.year').onDelete('cascade'))
    .addColumn('sample_entry_id', 'integer', (c) => c.notNull().references('sample_entries.id'))
    .addColumn('unit_code', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('token', 'text', (c) => c.notNull().unique())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('released', 'integer', (c) => c.notNull())
    .addColumn('replaces_id', 'integer')
    .addColumn('status_changed_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('questionnaires_wave_unit').on('questionnaires').columns(['wave_year', 'unit_code']).execute();

  await withId(db, db.schema.createTable('responses'))
    .addColumn('wave_year', 'integer', (c) => c.notNull().references('waves.year').onDelete('cascade'))
    .addColumn('questionnaire_id', 'integer', (c) => c.references('questionnaires.id'))
    .addColumn('unit_code', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('profile', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('entered_by', 'text')
    .addColumn('note', 'text')
    .execute();
  await db.schema.createIndex('responses_wave_unit').on('responses').columns(['wave_year', 'unit_code', 'state']).execute();
  await db.schema.createIndex('responses_questionnaire').on('responses').column('questionnaire_id').execute();

  await db.schema
    .createTable('answers')
    .addColumn('response_id', 'integer', (c) => c.notNull().references('responses.id').onDelete('cascade'))
    .addColumn('item_code', 'text', (c) => c.notNull())
    .addColumn('value', 'integer')
    .addPrimaryKeyConstraint('answers_pk', ['response_id', 'item_code'])
    .execute();

  await db.schema
    .createTable('previous_indexes')
    .addColumn('wave_year', 'integer', (c) => c.notNull().references('waves.year').onDelete('cascade'))
    .addColumn('unit_code', 'text', (c) => c.notNull())
    .addColumn('unit_name', 'text', (c) => c.notNull())
    .addColumn('index_value', 'real', (c) => c.notNull())
    .addColumn('respondents', 'integer')
    .addPrimaryKeyConstraint('previous_indexes_pk', ['wave_year', 'unit_code'])
    .execute();

  await withId(db, db.schema.createTable('users'))
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'integer', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('audit_log'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('actor', 'text')
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('wave_year', 'integer')
    .addColumn('detail', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of [
    'audit_log',
    'sessions',
    'users',
    'previous_indexes',
    'answers',
    'responses',
    'questionnaires',
    'contacts',
    'sample_entries',
    'draws',
    'frame_imports',
    'questionnaire_versions',
    'units',
    'waves',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
