import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../server/cli/run-cli';
import { openDatabase } from '../server/db/connect';
import { createSession, insertUser } from '../server/repositories/users';
import { killHard, spawnEntry } from './support/child-process';
import { commitTwoDaysAgo } from './support/committed-draw';
import { startFrameUpload } from './support/frame-upload';
import { startServerProcess } from './support/server-process';

/**
 * Frame files hold everyone's personal data: none may outlive publish or purge, even when the
 * process is killed (SIGKILL) between a commit and the file's deletion, or in the middle of an
 * import (issue 10). Each test kills a real process at the named point, proves the kill left a
 * copy behind, then starts the server again or purges, and finds no copy left.
 */

const DEMO = path.resolve(import.meta.dirname, '../server/demo');
const FRAME = path.join(DEMO, 'frame-2023-sample.csv');

let dir: string;
let file: string;
let frames: string;
const cli = (...argv: string[]) => runCli(argv, { DATABASE_URL: file, USER: 'tester' }, dir);
const framesLeft = () => (fs.existsSync(frames) ? fs.readdirSync(frames).sort() : []);
const referenced = async () => {
  const db = openDatabase({ kind: 'sqlite', file });
  try {
    const rows = await db.selectFrom('frame_imports').select(['stored_file', 'draw_index_file']).where('stored_file', 'is not', null).execute();
    return rows.flatMap((r) => [r.stored_file, r.draw_index_file].filter((f) => f !== null).map((f) => path.basename(f))).sort();
  } finally {
    await db.destroy();
  }
};

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((r) => setTimeout(r, 25));
  expect(condition()).toBe(true);
}

/** A SIPAS command in its own process, stopped at `pauseAt` (test/support/paused-entry.ts) and killed there. */
async function killCliAt(pauseAt: string, ...argv: string[]): Promise<void> {
  const child = spawnEntry(['test/support/paused-entry.ts', 'server/cli.ts', ...argv], { DATABASE_URL: file, SIPAS_PAUSE_AT: pauseAt });
  await child.waitFor('PAUSED');
  await killHard(child);
}

/** `frame import` killed while its input is still arriving, once its copy and its draw index's are on disk. */
async function killImportWhileReading(): Promise<void> {
  const child = spawnEntry(['test/support/paused-entry.ts', 'server/cli.ts', 'frame', 'import', '--wave', '2023', FRAME], {
    DATABASE_URL: file,
    SIPAS_PAUSE_AT: 'stall:createReadStream:frame-2023-sample.csv',
  });
  const before = framesLeft().length;
  await child.waitFor('PAUSED');
  await until(() => framesLeft().length === before + 2);
  await killHard(child);
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-frames-'));
  file = path.join(dir, 'sipas.db');
  frames = path.join(dir, 'frames');
  expect((await cli('wave', 'create', '--year', '2023')).stderr).toBe('');
  expect((await cli('units', 'import', '--wave', '2023', path.join(DEMO, 'units-2023.csv'))).stderr).toBe('');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

// Each test starts several real processes (a few seconds each under tsx on a busy machine).
describe('frame files after a crash (issue 10)', { timeout: 90_000 }, () => {
  it('publish killed between its commit and deleting the frame file: the purge finds and removes the file, and says so', async () => {
    expect((await cli('frame', 'import', '--wave', '2023', FRAME)).stderr).toBe('');
    const db = openDatabase({ kind: 'sqlite', file });
    await commitTwoDaysAgo(db, 2023, { allocation: { kind: 'fixed', perUnit: 3 }, reservePercent: 20 });
    await db.destroy();
    expect((await cli('draw', '--wave', '2023', '--seed', '123456')).stderr).toBe('');
    // The frame and its draw index.
    const frameFiles = framesLeft();
    expect(frameFiles).toHaveLength(2);

    await killCliAt('before:rmSync:/frames/', 'draw', 'publish', '--wave', '2023');
    // Killed after the commit: the draw is published and no record points to the files, which are still there.
    expect(await referenced()).toEqual([]);
    expect(framesLeft()).toEqual(frameFiles);

    expect((await cli('wave', 'close', '--wave', '2023')).stderr).toBe('');
    const purged = await cli('wave', 'purge-personal-data', '--wave', '2023', '--json');
    expect(JSON.parse(purged.stdout)).toMatchObject({ frameFilesDeleted: 2 });
    expect(framesLeft()).toEqual([]);
  });

  it('frame import killed while reading the file and after naming its copy: the next start of the server removes both copies', async () => {
    await killImportWhileReading();
    expect(framesLeft()).toHaveLength(2);
    // Killed once the frame has its final name, its index not yet.
    await killCliAt('after:renameSync:/frames/', 'frame', 'import', '--wave', '2023', FRAME);
    expect(framesLeft()).toHaveLength(4);
    expect(await referenced()).toEqual([]);

    const server = await startServerProcess(file);
    try {
      expect(framesLeft()).toEqual([]);
    } finally {
      await server.kill();
    }
  });

  it('a later import removes what a killed import left, and keeps only its own copy', async () => {
    await killImportWhileReading();
    expect(framesLeft()).toHaveLength(2);
    expect((await cli('frame', 'import', '--wave', '2023', FRAME)).stderr).toBe('');
    expect(framesLeft()).toEqual(await referenced());
    expect(framesLeft()).toHaveLength(2);
  });

  it('a web upload cut by killing the server leaves no copy once the server is started again', async () => {
    const db = openDatabase({ kind: 'sqlite', file });
    const admin = await insertUser(db, { username: 'quantri', role: 'admin', password: 'mat-khau-thu-nghiem' });
    const session = await createSession(db, admin.id);
    await db.destroy();

    const server = await startServerProcess(file);
    const request = startFrameUpload(server.url, session, 2023);
    try {
      // Half of the file is sent; the rest never comes.
      request.write(fs.readFileSync(FRAME).subarray(0, 300_000));
      // The frame's copy, with bytes in it, and its draw index's.
      const copy = () => framesLeft().find((name) => name.includes('.csv.'));
      await until(() => framesLeft().length === 2 && copy() !== undefined && fs.statSync(path.join(frames, copy()!)).size > 0);
    } finally {
      await server.kill();
    }
    request.destroy();
    expect(framesLeft()).toHaveLength(2);

    const restarted = await startServerProcess(file);
    try {
      expect(framesLeft()).toEqual([]);
    } finally {
      await restarted.kill();
    }
  });
});
