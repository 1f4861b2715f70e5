import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from '../db/connect';
import type { Role } from '../db/schema';
import { writeTransaction } from '../db/unit-of-work';
import { countUsers, insertUser } from '../repositories/users';
import { listWaves } from '../repositories/waves';
import { createWave, importUnits } from '../services/waves/waves';
import { seedDemo2025 } from './seed-demo-2025';
import { seedDemoDraw } from './seed-demo-draw';
import { seedDemoResponses } from './seed-demo-responses';

const here = path.dirname(fileURLToPath(import.meta.url));
export const DEMO_YEAR = 2023;

export interface DemoAccount {
  username: string;
  role: Role;
  password: string;
}

/**
 * Asked for with `--demo` (`npm start`): on an empty database, sets up An Giang's 2023 wave so
 * a new user sees something real at once, and one account per role. `npm start` also asks for
 * the 2025 wave after the merger with Kiên Giang (`with2025`: 115 units, a 300,000-dossier
 * frame); tests about the 2023 wave leave it out, since it takes seconds to generate and draw.
 * Passwords are random and returned only here, to be shown once: they are stored nowhere but
 * as hashes, like any account's (`user add` makes another if one is lost).
 */
export async function seedDemoIfEmpty(db: Db, dataDir: string, options: { with2025?: boolean } = {}): Promise<{ seeded: boolean; accounts: DemoAccount[] }> {
  if ((await listWaves(db)).length > 0 || (await countUsers(db)) > 0) return { seeded: false, accounts: [] };
  const units = fs.readFileSync(path.join(here, 'units-2023.csv'));
  await writeTransaction(db, async (trx) => {
    await createWave(trx, { year: DEMO_YEAR, name: 'SIPAS 2023 — An Giang (dữ liệu mẫu)', actor: 'demo' });
    await importUnits(trx, DEMO_YEAR, units, 'demo');
  });
  await seedDemoDraw(db, dataDir, DEMO_YEAR);
  await writeTransaction(db, (trx) => seedDemoResponses(trx, DEMO_YEAR));
  if (options.with2025) await seedDemo2025(db, dataDir);
  const accounts: DemoAccount[] = (['admin', 'analyst', 'clerk', 'supervisor'] as Role[]).map((role) => ({
    username: role === 'clerk' ? 'buudien' : role,
    role,
    password: randomBytes(9).toString('base64url'),
  }));
  await writeTransaction(db, async (trx) => {
    for (const account of accounts) await insertUser(trx, account);
  });
  return { seeded: true, accounts };
}
