import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest, openDatabase } from '../server/db/connect';
import type { Db } from '../server/db/schema';
import { createSession, insertUser } from '../server/repositories/users';
import { ABANDONED_AFTER_MS } from '../server/services/storage/database-files';
import { createWave, importUnits } from '../server/services/waves/waves';
import { createTestDatabase, onPostgresInEveryRun } from './support/postgres-cluster';
import { startFrameUpload } from './support/frame-upload';
import { startServerProcess } from './support/server-process';
import { storedChunks, storedUploads } from './support/stored-uploads';

/**
 * The PostgreSQL counterpart of frame-files-crash.test.ts. There, a killed upload leaves a file
 * named after its process, and the next start removes it once that process is gone. With the
 * frame in the database, written through any of several instances on several machines, whether
 * the writer is alive cannot be asked: an upload killed mid-way stays until it has gone
 * untouched for ABANDONED_AFTER_MS, then the next sweep (at a start, an import or a purge)
 * deletes it with its chunks. (Publish deletes the chunks in its own transaction: the window
 * frame-files-crash.test.ts kills a process in does not exist here.)
 */
onPostgresInEveryRun();

const DEMO = path.resolve(import.meta.dirname, '../server/demo');
const FRAME = fs.readFileSync(path.join(DEMO, 'frame-2023-sample.csv'));

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 50));
  expect(await condition()).toBe(true);
}

describe('an upload into the database cut by killing the server', { timeout: 180_000 }, () => {
  let database: { url: string; drop: () => Promise<void> };
  let db: Db;
  let dir: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-stored-'));
    db = openDatabase({ kind: 'postgres', url: database.url });
    await migrateToLatest(db);
  }, 60_000);

  afterAll(async () => {
    await db?.destroy();
    await database?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stays while another instance could still be writing it, and goes with its chunks at the first start once it is abandoned', async () => {
    await createWave(db, { year: 2023, settings: { period: { from: '2023-01-01', to: '2023-12-31' } }, actor: 'test' });
    await importUnits(db, 2023, fs.readFileSync(path.join(DEMO, 'units-2023.csv')), 'test');
    const session = await createSession(db, (await insertUser(db, { username: 'quantri', role: 'admin', password: 'mat-khau-thu-nghiem' })).id);
    const start = () => startServerProcess(database.url, { DATA_DIR: dir });

    const server = await start();
    const request = startFrameUpload(server.url, session, 2023);
    try {
      // Twice the fixture (over a chunk of ~1 MB), and then nothing more.
      request.write(Buffer.concat([FRAME, FRAME.subarray(FRAME.indexOf('\n') + 1)]));
      await until(async () => (await storedChunks(db)) > 0);
    } finally {
      await server.kill();
    }
    request.destroy();
    // The frame's copy and its draw index's, both still being written, and the read's row log
    // in this machine's scratch folder.
    const left = await storedUploads(db, dir);
    const cut = left.filter((reference) => reference.startsWith('database:'));
    expect(cut).toHaveLength(2);
    expect(left.filter((reference) => !cut.includes(reference))).toEqual([expect.stringMatching(/^scratch\/.+\.tmp$/)]);

    // Recently written: for all this instance knows, another one is still receiving it. The row
    // log's writer was this machine's killed process: it is gone at the start.
    await (await start()).kill();
    expect(await storedUploads(db, dir)).toEqual(cut);
    expect(await storedChunks(db)).toBeGreaterThan(0);

    const abandoned = new Date(Date.now() - ABANDONED_AFTER_MS - 60_000).toISOString();
    await db.updateTable('stored_files').set({ touched_at: abandoned }).execute();
    await (await start()).kill();
    expect(await storedUploads(db, dir)).toEqual([]);
    expect(await storedChunks(db)).toBe(0);
  });
});
