import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../server/cli/run-cli';
import { seedDemoIfEmpty } from '../server/demo/seed-demo';
import { valuesFoundIn } from './support/find-values';
import { createTestDeps } from './support/test-deps';

let deps: Awaited<ReturnType<typeof createTestDeps>>;
beforeEach(async () => {
  deps = await createTestDeps();
});
afterEach(() => deps.cleanup());

const cli = (...argv: string[]) => runCli(argv, { DATABASE_URL: path.join(deps.dir, 'sipas.db'), USER: 'tester' }, deps.dir);

/** The raw files a copy of the database could be read from: the file, its write-ahead log, a backup. */
function rawFiles(backup?: string): Record<string, Buffer> {
  const db = path.join(deps.dir, 'sipas.db');
  const files: Record<string, Buffer> = { db: fs.readFileSync(db) };
  if (fs.existsSync(`${db}-wal`)) files.wal = fs.readFileSync(`${db}-wal`);
  if (backup) files.backup = fs.readFileSync(backup);
  return files;
}

describe('purging personal data (issue 10)', () => {
  it('leaves no byte of a purged name, ID number, phone, address or dossier code in the database file, its WAL, or a later backup', async () => {
    await seedDemoIfEmpty(deps.db, deps.dir);
    const contacts = await deps.db.selectFrom('contacts').select(['applicant_name', 'id_number', 'phone', 'address']).execute();
    const entries = await deps.db.selectFrom('sample_entries').select('dossier_code').where('wave_year', '=', 2023).execute();
    const purged = {
      names: new Set(contacts.map((c) => c.applicant_name)),
      idNumbers: new Set(contacts.flatMap((c) => (c.id_number ? [c.id_number] : []))),
      phones: new Set(contacts.flatMap((c) => (c.phone ? [c.phone] : []))),
      addresses: new Set(contacts.flatMap((c) => (c.address ? [c.address] : []))),
      dossierCodes: new Set(entries.map((e) => e.dossier_code)),
    };
    expect(purged.names.size).toBeGreaterThan(500);
    const found = (files: Record<string, Buffer>) =>
      Object.fromEntries(
        Object.entries(purged).map(([kind, values]) => [kind, Object.values(files).reduce((all, bytes) => new Set([...all, ...valuesFoundIn(bytes, values)]), new Set<string>()).size]),
      );
    // The scan finds them while they are there.
    expect(found(rawFiles())).toEqual(Object.fromEntries(Object.entries(purged).map(([kind, values]) => [kind, values.size])));

    expect((await cli('wave', 'close', '--wave', '2023')).code).toBe(0);
    expect((await cli('wave', 'purge-personal-data', '--wave', '2023')).stderr).toBe('');
    const backup = path.join(deps.dir, 'after-purge.db');
    expect((await cli('backup', backup)).stderr).toBe('');

    const zero = Object.fromEntries(Object.keys(purged).map((kind) => [kind, 0]));
    expect(found(rawFiles(backup))).toEqual(zero);
    // The results survived the rebuild of the file.
    expect(Number((await deps.db.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(0);
  });
});
