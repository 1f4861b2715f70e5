/**
 * The frame page's import in a process of its own: `importFrame` given the file as a stream
 * read as it arrives (a web upload), not as a local file, on the SQLite database given. Prints
 * the outcome's message, or the error thrown, as one JSON line. For tests that limit what the
 * process may write (test/disk-full.test.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../server/db/connect';
import { UserError } from '../../server/errors';
import { importFrame } from '../../server/services/draw/frame-import';

const [databaseFile, frame] = process.argv.slice(2);
const db = openDatabase({ kind: 'sqlite', file: databaseFile });
try {
  const upload = { fileName: path.basename(frame), bytes: fs.createReadStream(frame), strict: false };
  const outcome = await importFrame({ db, dataDir: path.dirname(databaseFile) }, 2023, upload, 'test');
  console.log(JSON.stringify(outcome.ok ? { ok: true } : { ok: false, message: outcome.error.message }));
} catch (error) {
  console.log(JSON.stringify({ thrown: error instanceof UserError ? 'UserError' : 'other', message: String((error as Error).message) }));
} finally {
  await db.destroy();
}
