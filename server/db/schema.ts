import type { Generated, Kysely, Transaction } from 'kysely';

/**
 * The typed shape of the database. Timestamps are ISO-8601 text and booleans are 0/1
 * integers so that the same queries run on SQLite and PostgreSQL.
 */

export type WaveStatus = 'setup' | 'drawn' | 'collecting' | 'closed';
export type UnitKind = 'department' | 'district' | 'commune';
export type Role = 'admin' | 'analyst' | 'clerk' | 'supervisor';
export type QuestionnaireStatus =
  | 'drawn'
  | 'dispatched'
  | 'undeliverable'
  | 'refused'
  | 'returned-paper'
  | 'answered-qr'
  | 'invalid'
  | 'replaced';
export type ResponseChannel = 'paper' | 'qr' | 'import';
/** counted: the questionnaire's one response; review: a later duplicate kept for a person to look at. */
export type ResponseState = 'counted' | 'review' | 'invalid' | 'pending';

export interface WaveTable {
  year: number;
  name: string;
  status: WaveStatus;
  /** JSON of WaveSettings */
  settings: string;
  created_at: string;
  closed_at: string | null;
  personal_data_purged_at: string | null;
}

export interface UnitTable {
  id: Generated<number>;
  wave_year: number;
  code: string;
  name: string;
  kind: UnitKind;
  /** JSON array of last year's unit codes; NULL = not given (same code last year). */
  predecessors: string | null;
  sort_order: number;
}

export interface QuestionnaireVersionTable {
  id: Generated<number>;
  wave_year: number;
  version: string;
  /** JSON of the Questionnaire */
  definition: string;
  created_at: string;
}

export interface FrameImportTable {
  id: Generated<number>;
  wave_year: number;
  file_name: string;
  file_sha256: string;
  /**
   * The raw file waiting for its draw (services/storage/stored-files.ts): `database:<id>` or
   * the absolute path of a file in the data folder; NULL once deleted (after publish or purge).
   */
  stored_file: string | null;
  /**
   * The draw index the import wrote beside the file (issue 15), a reference of the same kind;
   * NULL for imports made before it existed, and cleared with `stored_file` (personal data).
   */
  draw_index_file: string | null;
  strict: number;
  rows_read: number;
  rows_accepted: number;
  rows_rejected: number;
  /** JSON of the import report (no personal data: row numbers, reasons, counts). */
  report: string;
  created_at: string;
  created_by: string | null;
}

export interface DrawTable {
  id: Generated<number>;
  wave_year: number;
  frame_import_id: number;
  frame_sha256: string;
  seed: string;
  /** JSON of the Allocation */
  allocation: string;
  reserve_percent: number;
  method: string;
  code_version: string;
  /** JSON: per unit eligible N, planned n, drawn, reserve, shortfall */
  unit_summary: string;
  /** JSON of the eligibility rules the draw ran under; NULL for draws made before they were kept. */
  eligibility: string | null;
  /** The commitment (commit–reveal) the draw followed; NULL when its seed was chosen freely. */
  commitment_id: number | null;
  status: 'draft' | 'published' | 'superseded';
  created_at: string;
  created_by: string | null;
  published_at: string | null;
}

/** One drawn person: no personal data here, see ContactTable. */
export interface SampleEntryTable {
  id: Generated<number>;
  draw_id: number;
  wave_year: number;
  unit_code: string;
  role: 'primary' | 'reserve';
  rank: number;
  dossier_code: string;
  procedure: string | null;
  result_date: string | null;
  submission_channel: string | null;
}

/** Personal data of drawn people, apart so it can be purged and kept from analysts. */
export interface ContactTable {
  sample_entry_id: number;
  applicant_name: string;
  applicant_type: 'individual' | 'organisation';
  id_number: string | null;
  phone: string | null;
  address: string | null;
}

export interface QuestionnaireTable {
  id: Generated<number>;
  wave_year: number;
  sample_entry_id: number;
  unit_code: string;
  code: string;
  token: string;
  status: QuestionnaireStatus;
  /** 1 when the questionnaire may be printed and sent (primaries at once, reserves on replacement). */
  released: number;
  replaces_id: number | null;
  status_changed_at: string;
  /** The status before a clerk marked it undeliverable or refused, so the marking can be undone; read only while it still has that status. Added by 2026-12-01T07-00-status-before-no-form. */
  status_before_no_form: QuestionnaireStatus | null;
}

export interface ResponseTable {
  id: Generated<number>;
  wave_year: number;
  /** NULL for anonymous bulk imports that only name a unit. */
  questionnaire_id: number | null;
  unit_code: string;
  channel: ResponseChannel;
  state: ResponseState;
  /** JSON object of profile answers (codes); the free-text comment is kept in its own column. */
  profile: string;
  /** The answers as one JSON object (item code → 1..5 or null), written with the row and never edited. */
  answers_json: string;
  comment: string | null;
  created_at: string;
  entered_by: string | null;
  note: string | null;
}


export interface PreviousIndexTable {
  wave_year: number;
  unit_code: string;
  unit_name: string;
  index_value: number;
  respondents: number | null;
  /** Added by 2026-11-22T13-55-previous-index-kind; NULL = inferred from this year's lineage. */
  unit_kind: UnitKind | null;
}

export interface UserTable {
  id: Generated<number>;
  username: string;
  role: Role;
  password_hash: string;
  created_at: string;
  /** Set when an administrator disabled the account; it is kept (the audit log names it). */
  disabled_at: string | null;
  /** 1 after an administrator set the password: it must be changed at the next sign-in. */
  must_change_password: Generated<number>;
  /** JSON array of the unit codes a clerk may key; NULL = every unit. */
  unit_codes: string | null;
}

export interface SessionTable {
  id: string;
  user_id: number;
  expires_at: string;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  actor: string | null;
  action: string;
  wave_year: number | null;
  /** JSON; never personal data. */
  detail: string;
}

/** One keying of a returned paper form (pass 1; pass 2 under double entry). Added by 2026-11-22T14-10-paper-keyings. */
export interface PaperKeyingTable {
  id: Generated<number>;
  wave_year: number;
  questionnaire_id: number;
  pass: number;
  entered_by: string;
  /** JSON: criterion code → 1..5 or null */
  answers: string;
  /** JSON: profile item code → option code(s) */
  profile: string;
  comment: string | null;
  /** Backspaces pressed while keying: the operator's corrected fields. */
  corrections: number;
  started_at: string;
  ended_at: string;
  /** The response this keying became (both passes point to it); NULL while waiting or in dispute. */
  response_id: number | null;
}

export interface DrawCommitmentTable {
  id: Generated<number>;
  wave_year: number;
  frame_import_id: number;
  frame_sha256: string;
  /** JSON of the Allocation */
  allocation: string;
  reserve_percent: number;
  /** The public source named in advance, e.g. the special prize of a named lottery. */
  seed_source: string;
  /** ISO yyyy-mm-dd of the public drawing, later than created_at's day. */
  seed_date: string;
  seed_digits: number;
  created_at: string;
  created_by: string | null;
}

/** A wave's communes' boundaries for its map: the GeoJSON as uploaded (NFC). Added by 2026-12-01T09-00-unit-boundaries. */
export interface UnitBoundariesTable {
  wave_year: number;
  geojson: string;
  file_name: string;
  feature_count: number;
  imported_at: string;
  imported_by: string | null;
}

/** One failed attempt at /k or at sign-in (repositories/attempts.ts). Added by 2026-12-01T10-00-attempts. */
export interface AttemptTable {
  /** Which limit counts it: 'short-link.client', 'sign-in.account', … */
  scope: string;
  /** HMAC-SHA-256 (installation secret 'attempt-keys') of the address, account name or questionnaire code, never the value itself. */
  key_hash: string;
  /** ISO-8601 time of the failure. */
  at: string;
}

/** A random secret of the installation (services/installation/installation-secret.ts). Added by 2026-12-01T11-31-installation-secrets. */
export interface InstallationSecretTable {
  /** What it is for: 'attempt-keys'. */
  name: string;
  /** Hex of the random bytes. */
  value: string;
  created_at: string;
}

/** An uploaded file kept in the database (services/storage/database-files.ts). Added by 2026-12-01T11-00-stored-files. */
export interface StoredFileTable {
  id: Generated<number>;
  /** 'frame' (waits for its draw), 'draw-index' (the frame's, deleted with it) or 'verify' (lives while a draw is verified). */
  purpose: string;
  /** 'writing' until a frame import records it ('kept'); a verify copy stays 'writing'. */
  state: 'writing' | 'kept';
  /** How many chunks the complete file has; 0 while it is written. */
  chunks: number;
  created_at: string;
  /** Last write (ISO-8601): a file still 'writing' and untouched for long was left by a process that died. */
  touched_at: string;
}

export interface StoredFileChunkTable {
  file_id: number;
  /** 0, 1, 2, … in the file's order. */
  seq: number;
  bytes: Uint8Array;
}

/**
 * A wave's change counter, raised by triggers whenever a row its results are computed from
 * changes (never written by the code). Added by 2026-12-01T12-00-results-versions.
 */
export interface ResultsVersionTable {
  wave_year: number;
  version: number;
  /** Added by 2026-12-02T19-00-tally-resets: changes that make a kept pass over the responses start over. */
  tally_resets: Generated<number>;
}

/**
 * A frame import or draw started from a page, while it runs and after (server/services/tasks/).
 * Added by 2026-12-02T01-00-long-tasks.
 */
export interface LongTaskTable {
  id: Generated<number>;
  wave_year: number;
  kind: 'frame-import' | 'draw';
  /** 'running' until it ends; at most one running task of a kind per wave (a partial unique index). */
  state: 'running' | 'done' | 'failed';
  /** Which reading of the file (a file is read again when dossier codes repeat), from 1. */
  pass: number;
  /** Rows and bytes read so far in this pass, written about once a second. */
  rows_read: number;
  /** The rows a draw will read (its frame's import report); null for an import. */
  rows_total: number | null;
  bytes_read: number;
  /** The upload's announced size for an import; null when unknown. */
  bytes_total: number | null;
  started_at: string;
  /** Last progress or heartbeat (ISO-8601): a running task untouched for long was left by a process that died. */
  updated_at: string;
  finished_at: string | null;
  /** What the page says once it ended: the result, or why it failed (no personal data). */
  outcome: string | null;
  actor: string | null;
}

export interface Database {
  waves: WaveTable;
  units: UnitTable;
  questionnaire_versions: QuestionnaireVersionTable;
  frame_imports: FrameImportTable;
  draws: DrawTable;
  draw_commitments: DrawCommitmentTable;
  sample_entries: SampleEntryTable;
  contacts: ContactTable;
  questionnaires: QuestionnaireTable;
  responses: ResponseTable;
  previous_indexes: PreviousIndexTable;
  users: UserTable;
  sessions: SessionTable;
  audit_log: AuditLogTable;
  paper_keyings: PaperKeyingTable;
  unit_boundaries: UnitBoundariesTable;
  attempts: AttemptTable;
  results_versions: ResultsVersionTable;
  installation_secrets: InstallationSecretTable;
  stored_files: StoredFileTable;
  stored_file_chunks: StoredFileChunkTable;
  long_tasks: LongTaskTable;
}

/** The database as the platform opens it (connect.ts). */
export type Db = Kysely<Database>;

/** What repository functions take first: the database or an open transaction. */
export type Executor = Kysely<Database> | Transaction<Database>;
