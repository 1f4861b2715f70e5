import { z } from 'zod';
import { reusableQuery } from '../db/connect';
import { lockingRead } from '../db/dialect';
import { jsonColumn } from '../db/json-column';
import type { Database, Executor, WaveStatus } from '../db/schema';

/** Per-wave rules that SIPAS.md calls configurable: data, not code. */
export interface WaveSettings {
  parMaxPoints: number;
  bandLimits: { high: number; mid: number };
  /** A response counts when at least this share of the criteria is answered. */
  validity: { minAnsweredShare: number };
  minRespondents: number;
  confidence: number;
  doubleEntry: boolean;
  excludeOrganisations: boolean;
  /** Period of result dates eligible for the draw, ISO dates inclusive. */
  period: { from: string; to: string } | null;
}

export const defaultWaveSettings: WaveSettings = {
  parMaxPoints: 32,
  bandLimits: { high: 90, mid: 80 },
  validity: { minAnsweredShare: 0.5 },
  minRespondents: 10,
  confidence: 0.95,
  doubleEntry: false,
  excludeOrganisations: false,
  period: null,
};

/** Settings stored before a rule existed take its default, so older waves keep loading. */
const settingsColumn = jsonColumn(
  'waves.settings',
  z.object({
    parMaxPoints: z.number().default(defaultWaveSettings.parMaxPoints),
    bandLimits: z.object({ high: z.number(), mid: z.number() }).default(defaultWaveSettings.bandLimits),
    validity: z.object({ minAnsweredShare: z.number().min(0).max(1) }).default(defaultWaveSettings.validity),
    minRespondents: z.number().default(defaultWaveSettings.minRespondents),
    confidence: z.number().default(defaultWaveSettings.confidence),
    doubleEntry: z.boolean().default(defaultWaveSettings.doubleEntry),
    excludeOrganisations: z.boolean().default(defaultWaveSettings.excludeOrganisations),
    period: z.object({ from: z.string(), to: z.string() }).nullable().default(defaultWaveSettings.period),
  }),
);

export interface Wave {
  year: number;
  name: string;
  status: WaveStatus;
  settings: WaveSettings;
  createdAt: string;
  closedAt: string | null;
  personalDataPurgedAt: string | null;
}

function toWave(row: Database['waves']): Wave {
  return {
    year: row.year,
    name: row.name,
    status: row.status,
    settings: settingsColumn.read(row.settings),
    createdAt: row.created_at,
    closedAt: row.closed_at,
    personalDataPurgedAt: row.personal_data_purged_at,
  };
}

export async function insertWave(db: Executor, wave: { year: number; name: string; settings?: Partial<WaveSettings> }): Promise<Wave> {
  const row = {
    year: wave.year,
    name: wave.name,
    status: 'setup' as const,
    settings: settingsColumn.write({ ...defaultWaveSettings, ...wave.settings }),
    created_at: new Date().toISOString(),
    closed_at: null,
    personal_data_purged_at: null,
  };
  await db.insertInto('waves').values(row).execute();
  return toWave(row);
}

// Read by every batch of QR submissions, so built once (see reusableQuery).
const selectWave = reusableQuery((db, year: number) => db.selectFrom('waves').selectAll().where('year', '=', year));

export async function findWave(db: Executor, year: number): Promise<Wave | undefined> {
  const [row] = (await selectWave(db, year)).rows;
  return row && toWave(row);
}

// Read by every batch of QR submissions too (see reusableQuery); the statement differs per dialect, and reusableQuery keeps one per dialect.
const selectWaveForUpdate = reusableQuery((db, year: number) => lockingRead(db, db.selectFrom('waves').selectAll().where('year', '=', year)));

/** findWave inside a transaction whose later writes depend on the wave's state (see lockingRead). */
export async function findWaveForUpdate(db: Executor, year: number): Promise<Wave | undefined> {
  const [row] = (await selectWaveForUpdate(db, year)).rows;
  return row && toWave(row);
}

export async function listWaves(db: Executor): Promise<(Wave & { unitCount: number })[]> {
  const rows = await db
    .selectFrom('waves')
    .selectAll('waves')
    .select((eb) =>
      eb.selectFrom('units').whereRef('units.wave_year', '=', 'waves.year').select((e) => e.fn.countAll<number>().as('n')).as('unit_count'),
    )
    .orderBy('year', 'desc')
    .execute();
  return rows.map((r) => ({ ...toWave(r), unitCount: Number(r.unit_count ?? 0) }));
}

export async function updateWaveStatus(db: Executor, year: number, status: WaveStatus): Promise<void> {
  await db
    .updateTable('waves')
    .set({ status, ...(status === 'closed' ? { closed_at: new Date().toISOString() } : {}) })
    .where('year', '=', year)
    .execute();
}

export async function updateWaveSettings(db: Executor, year: number, settings: WaveSettings): Promise<void> {
  await db.updateTable('waves').set({ settings: settingsColumn.write(settings) }).where('year', '=', year).execute();
}

export async function markPersonalDataPurged(db: Executor, year: number): Promise<void> {
  await db.updateTable('waves').set({ personal_data_purged_at: new Date().toISOString() }).where('year', '=', year).execute();
}
