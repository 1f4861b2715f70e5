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

/**
 * What one entry may store: a name or code is far shorter, and anything longer came from
 * someone's input (a 5 MB "user name" on a failed sign-in), which must not grow the log by
 * its own size at every attempt.
 */
const MAX_TEXT = 200;
const MAX_LIST = 100;
const MAX_DEPTH = 4;

function boundedText(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length} ký tự)` : text;
}

function boundedValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return boundedText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const kept = value.slice(0, MAX_LIST).map((v) => boundedValue(v, depth + 1));
    return value.length > MAX_LIST ? [...kept, `… (${value.length} mục)`] : kept;
  }
  const entries = Object.entries(value);
  const kept = entries.slice(0, MAX_LIST).map(([k, v]) => [boundedText(k), boundedValue(v, depth + 1)]);
  if (entries.length > MAX_LIST) kept.push(['…', `${entries.length} mục`]);
  return Object.fromEntries(kept);
}

export async function recordAudit(db: Executor, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      at: new Date().toISOString(),
      actor: entry.actor === null ? null : boundedText(entry.actor),
      action: boundedText(entry.action),
      wave_year: entry.waveYear ?? null,
      detail: detailColumn.write(boundedValue(entry.detail ?? {}, 0) as Record<string, unknown>),
    })
    .execute();
}

export async function listAudit(db: Executor, waveYear: number, limit = 200) {
  const rows = await db.selectFrom('audit_log').selectAll().where('wave_year', '=', waveYear).orderBy('id', 'desc').limit(limit).execute();
  return rows.map((r) => ({ at: r.at, actor: r.actor, action: r.action, detail: detailColumn.read(r.detail) }));
}
