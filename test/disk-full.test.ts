import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../server/cli/run-cli';
import { openDatabase } from '../server/db/connect';

/**
 * A disk that fills up while a frame is being stored: the import must stop with a Vietnamese
 * message that says what happened, record nothing and leave no copy behind. Stored files are
 * written ahead of the reading (server/services/storage/disk-files.ts), so the failure often
 * reaches the import only after it has read further; it must read the same.
 *
 * The disk is made to fail for real: each case runs in its own process with a limit on the
 * size of any file it writes (`ulimit -f`), so writing the frame's copy (or the read's scratch
 * file) fails with EFBIG, as ENOSPC would on a full disk, while the database (smaller) is
 * written as usual.
 */

const DEMO = path.resolve(import.meta.dirname, '../server/demo');
const ROOT = path.resolve(import.meta.dirname, '..');
// bash's `ulimit -f` counts 1024-byte blocks: 3 MiB, well above the database, well below the frame.
const FILE_SIZE_LIMIT_KIB = 3072;

let dir: string;
let file: string;

/** The demo frame repeated with distinct dossier codes: about 8 MB. */
function bigFrame(): string {
  const [header, ...rows] = fs.readFileSync(path.join(DEMO, 'frame-2023-sample.csv'), 'utf8').trimEnd().split(/\r?\n/);
  const lines = [header];
  for (let copy = 1; copy <= 12; copy++) for (const row of rows) lines.push(row.replace(/^([^,]*)/, `$1-${copy}`));
  const out = path.join(dir, 'khung-lon.csv');
  fs.writeFileSync(out, lines.join('\r\n') + '\r\n');
  return out;
}

/** A repository entry and its arguments in a process of its own whose files may not grow past FILE_SIZE_LIMIT_KIB. */
function runWithSmallDisk(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const command = `ulimit -f ${FILE_SIZE_LIMIT_KIB}; exec "$0" --import tsx "$@"`;
  const child = spawn('bash', ['-c', command, process.execPath, ...args], { cwd: ROOT, env: { ...process.env, DATABASE_URL: file }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The JSON line an entry printed last (its answer); the process's stderr in the failure message when there is none. */
function answerOf(run: { stdout: string; stderr: string }): { thrown?: string | null; message: string } {
  const line = run.stdout.trim().split('\n').pop();
  if (!line) throw new Error(`no answer printed: ${run.stderr}`);
  return JSON.parse(line) as { thrown?: string | null; message: string };
}

const REFUSAL = () => `Không lưu được tệp tải lên vào ${path.join(dir, 'frames')} (ổ đĩa đã đầy hoặc tệp vượt giới hạn dung lượng của máy chủ)`;

/** Nothing of the import is left: no file in the data folder, no frame import recorded. */
async function expectNothingLeft(): Promise<void> {
  for (const folder of ['frames', 'scratch']) {
    const left = fs.existsSync(path.join(dir, folder)) ? fs.readdirSync(path.join(dir, folder)) : [];
    expect(left, folder).toEqual([]);
  }
  const db = openDatabase({ kind: 'sqlite', file });
  try {
    expect(await db.selectFrom('frame_imports').select('id').execute()).toEqual([]);
  } finally {
    await db.destroy();
  }
}

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sipas-disk-full-'));
  file = path.join(dir, 'sipas.db');
  const cli = (...argv: string[]) => runCli(argv, { DATABASE_URL: file, USER: 'tester' }, dir);
  expect((await cli('wave', 'create', '--year', '2023')).stderr).toBe('');
  expect((await cli('units', 'import', '--wave', '2023', path.join(DEMO, 'units-2023.csv'))).stderr).toBe('');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a disk that fills up during an import', { timeout: 60_000 }, () => {
  it('from the command line (a local file, stored whole first): stops with a clear message, records nothing and leaves no copy', async () => {
    const frame = bigFrame();
    expect(fs.statSync(frame).size).toBeGreaterThan(FILE_SIZE_LIMIT_KIB * 1024 * 2);

    const { code, stderr } = await runWithSmallDisk('server/cli.ts', 'frame', 'import', '--wave', '2023', frame);

    expect(code).toBe(1);
    expect(stderr).toContain(REFUSAL());
    expect(stderr).not.toContain('Lỗi không mong đợi');
    await expectNothingLeft();
  });

  it('from the page (an upload read as it arrives): the same refusal, nothing recorded, no copy left', async () => {
    const frame = bigFrame();

    const run = await runWithSmallDisk('test/support/upload-import-entry.ts', file, frame);

    expect(run.code, run.stderr).toBe(0);
    const answer = answerOf(run);
    expect(answer.thrown).toBe('UserError');
    expect(answer.message).toContain(REFUSAL());
    await expectNothingLeft();
  });

  it('the read’s scratch space (its row log) refuses the same way, and leaves no file', async () => {
    // Written synchronously as the read goes: the failure is the write's own error, thrown to the read.
    const script = `
      const { diskScratch } = await import('./server/services/storage/disk-files.ts');
      const scratch = diskScratch(process.argv[1]);
      try {
        const space = scratch.space();
        for (let i = 0; i < 8; i++) space.write(new Uint8Array(1 << 20));
        console.log(JSON.stringify({ thrown: null }));
      } catch (error) {
        console.log(JSON.stringify({ thrown: error.constructor.name, message: error.message }));
      } finally {
        scratch.discard();
      }`;

    const answer = answerOf(await runWithSmallDisk('--eval', script, dir));
    expect(answer.thrown).toBe('UserError');
    expect(answer.message).toContain(`Không ghi được tệp tạm của lần đọc vào ${path.join(dir, 'scratch')} (ổ đĩa đã đầy hoặc tệp vượt giới hạn dung lượng của máy chủ)`);
    expect(fs.readdirSync(path.join(dir, 'scratch'))).toEqual([]);
  });
});
