import { z } from 'zod';
import { jsonColumn } from '../db/json-column';
import type { Executor } from '../db/schema';

export interface AuditEntry {
  actor: string | null;
  action: string;
  waveYear?: number | null;
  /** Counts, codes and hashes only: never names, addresses, phones or ID numbers. */
  detail?: Record<string, unknown>;
}

const detailColumn = jsonColumn('audit_log.detail', z.record(z.string(), z.unknown()));

export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: new Date().toISOString(),
      actor: entry.actor,
      action: entry.action,
      wave_year: entry.waveYear ?? null,
      detail: detailColumn.write(entry.detail ?? {}),
    })
    .execute();
}

export async function listAudit(db: Executor, waveYear: number, limit = 200) {
  const rows = await db.selectFrom('audit_log').selectAll().where('wave_year', '=', waveYear).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ at: r.at, actor: r.actor, action: r.action, detail: detailColumn.read(r.detail) }));
}
