import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Migrator, NO_MIGRATIONS, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from './connect';
import { createTestDeps } from '../../test/support/test-deps';
import { migrations } from './migrations';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('copies the answers of responses stored before the JSON column existed', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-migrate-'));
    dirs.push(dir);
    const db = openDatabase({ kind: 'sqlite', file: path.join(dir, 'old.db') });
    try {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      const before = await migrator.migrateTo('2026-11-22T14-20-draw-eligibility');
      expect(before.error).toBeUndefined();
      const now = new Date().toISOString();
      // Written as the code of that time did: no answers_json column yet.
      const raw = db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>;
      await raw.insertInto('waves').values({ year: 2023, name: 'x', status: 'collecting', settings: '{}', created_at: now }).execute();
      for (const id of [1, 2]) {
        await raw.insertInto('responses').values({ id, wave_year: 2023, questionnaire_id: null, unit_code: 'SNV', channel: 'import', state: 'counted', profile: '{}', created_at: now }).execute();
      }
      await raw.insertInto('answers').values([
        { response_id: 1, item_code: 'A1', value: 5 },
        { response_id: 1, item_code: 'A2', value: null },
      ]).execute();

      expect(await migrateToLatest(db)).toContain('2026-11-22T14-40-response-answers-json');
      const rows = await db.selectFrom('responses').select(['id', 'answers_json']).orderBy('id').execute();
      expect(rows.map((r) => ({ id: r.id, answers: JSON.parse(r.answers_json) }))).toEqual([
        { id: 1, answers: { A1: 5, A2: null } },
        { id: 2, answers: {} },
      ]);
    } finally {
      await db.destroy();
    }
  });

  it('keeps answers only as JSON on the response row, and rebuilds the per-answer table from it when migrated down', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-migrate-'));
    dirs.push(dir);
    const db = openDatabase({ kind: 'sqlite', file: path.join(dir, 'answers.db') });
    try {
      await migrateToLatest(db);
      const tables = async () => (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows.map((r) => r.name);
      expect(await tables()).not.toContain('answers');
      const now = new Date().toISOString();
      await db.insertInto('waves').values({ year: 2023, name: 'x', status: 'collecting', settings: '{}', created_at: now, closed_at: null, personal_data_purged_at: null }).execute();
      const row = { wave_year: 2023, questionnaire_id: null, unit_code: 'SNV', channel: 'import' as const, state: 'counted' as const, profile: '{}', comment: null, created_at: now, entered_by: null, note: null };
      await db.insertInto('responses').values([{ ...row, answers_json: JSON.stringify({ A1: 4, A2: null }) }, { ...row, answers_json: '{}' }]).execute();

      const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
      const down = await migrator.migrateTo('2026-11-22T14-40-response-answers-json');
      expect(down.error).toBeUndefined();
      const raw = db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>;
      const answers = await raw.selectFrom('answers').select(['response_id', 'item_code', 'value']).orderBy('item_code').execute();
      expect(answers).toEqual([
        { response_id: 1, item_code: 'A1', value: 4 },
        { response_id: 1, item_code: 'A2', value: null },
      ]);
    } finally {
      await db.destroy();
    }
  });
});

describe('migrations on the database the suite runs on (SQLite, or PostgreSQL with SIPAS_TEST_DB=postgres)', () => {
  it('keep a frame file recorded before stored files existed: its path becomes its reference', async () => {
    const deps = await createTestDeps();
    try {
      const migrator = new Migrator({ db: deps.db, provider: { getMigrations: async () => migrations } });
      expect((await migrator.migrateTo('2026-12-01T10-00-attempts')).error).toBeUndefined();
      const raw = deps.db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>;
      await raw.insertInto('waves').values({ year: 2023, name: 'x', status: 'setup', settings: '{}', created_at: 'now' }).execute();
      const file = path.join(deps.dir, 'frames', '2023-1-aaaa.csv');
      await raw
        .insertInto('frame_imports')
        .values({ wave_year: 2023, file_name: 'f.csv', file_sha256: '0', stored_path: file, strict: 0, rows_read: 0, rows_accepted: 0, rows_rejected: 0, report: '{}', created_at: 'now', created_by: null })
        .execute();
      await migrateToLatest(deps.db);
      expect(await deps.db.selectFrom('frame_imports').select('stored_file').execute()).toEqual([{ stored_file: file }]);
    } finally {
      await deps.cleanup();
    }
  });

  it('run all the way down and back up again', async () => {
    const deps = await createTestDeps();
    try {
      const migrator = new Migrator({ db: deps.db, provider: { getMigrations: async () => migrations } });
      const down = await migrator.migrateTo(NO_MIGRATIONS);
      expect(down.error).toBeUndefined();
      expect(down.results?.filter((r) => r.status === 'Success').length).toBe(Object.keys(migrations).length);
      await expect(deps.db.selectFrom('waves').select('year').execute()).rejects.toThrow();
      expect(await migrateToLatest(deps.db)).toEqual(Object.keys(migrations).sort());
      await deps.db.insertInto('waves').values({ year: 2026, name: 'x', status: 'setup', settings: '{}', created_at: 'now', closed_at: null, personal_data_purged_at: null }).execute();
      expect(await deps.db.selectFrom('waves').select('year').execute()).toEqual([{ year: 2026 }]);
    } finally {
      await deps.cleanup();
    }
  });

  it("leave no 4-byte float column (what Kysely's 'real' makes on PostgreSQL; SQLite's REAL is a double)", async () => {
    const deps = await createTestDeps();
    try {
      const columns = (await deps.db.introspection.getTables()).flatMap((t) => t.columns.map((c) => ({ column: `${t.name}.${c.name}`, type: c.dataType.toLowerCase() })));
      expect(columns.length).toBeGreaterThan(50);
      expect(columns.filter((c) => c.type === 'float4')).toEqual([]);
    } finally {
      await deps.cleanup();
    }
  });
});
