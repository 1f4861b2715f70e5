import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../../server/db/schema';
import { openStoredFile } from '../../server/services/storage/stored-files';

/**
 * Every uploaded file the installation still holds, wherever the dialect keeps them
 * (server/services/storage): names under `<dataDir>/frames/`, `<dataDir>/verify/` and
 * `<dataDir>/scratch/` (a read's row log), and `database:<id>` for each file in the database. A frame's bytes are personal data: tests check
 * that none is left once it is no longer needed.
 */
export async function storedUploads(db: Db, dataDir: string): Promise<string[]> {
  const onDisk = ['frames', 'verify', 'scratch'].flatMap((folder) => {
    const full = path.join(dataDir, folder);
    return fs.existsSync(full) ? fs.readdirSync(full).map((name) => `${folder}/${name}`) : [];
  });
  const inDatabase = await db.selectFrom('stored_files').select('id').orderBy('id').execute();
  return [...onDisk.sort(), ...inDatabase.map((f) => `database:${f.id}`)];
}

/** The chunks of files in the database: none may outlive its file. */
export async function storedChunks(db: Db): Promise<number> {
  const row = await db.selectFrom('stored_file_chunks').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The bytes of a stored file, by the reference frame_imports records. */
export async function storedBytes(db: Db, reference: string): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of openStoredFile(db, reference)) chunks.push(chunk);
  return Buffer.concat(chunks);
}
