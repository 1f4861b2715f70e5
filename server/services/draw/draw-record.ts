import { toCsv } from '../../../analysis/csv';
import type { Executor } from '../../db/schema';
import { listCommitments } from '../../repositories/draw-commitments';
import { listDraws } from '../../repositories/draws';
import { describeAllocation } from './allocation-input';
import { describeSeedRule } from './seed-rule';

export const RECORD_COLUMNS = [
  'kind', 'id', 'status', 'seed', 'seed_rule', 'commitment_id', 'frame_sha256', 'allocation', 'reserve_percent',
  'method', 'code_version', 'created_at', 'created_by', 'published_at',
];

/**
 * The wave's draw record for auditors: every commitment and every draw, superseded drafts
 * included with their seeds, so that nobody can have drawn privately until a liked sample
 * appeared without it showing. Kept apart from the drawn list, whose machine columns stay as they are.
 */
export async function exportDrawRecordCsv(db: Executor, year: number): Promise<{ csv: string; rows: number }> {
  const commitments = await listCommitments(db, year);
  const draws = await listDraws(db, year);
  const rows = [
    ...commitments.map((c) => [
      'commitment', c.id, '', '', describeSeedRule(c.seedRule), c.id, c.frameSha256, describeAllocation(c.allocation), c.reservePercent, '', '', c.createdAt, c.createdBy ?? '', '',
    ]),
    ...draws.map((d) => [
      'draw', d.id, d.status, d.seed, '', d.commitmentId ?? '', d.frameSha256, describeAllocation(d.allocation), d.reservePercent, d.method, d.codeVersion, d.createdAt, d.createdBy ?? '', d.publishedAt ?? '',
    ]),
  ].sort((a, b) => String(a[11]).localeCompare(String(b[11])));
  return { csv: toCsv(rows, RECORD_COLUMNS, { bom: true }), rows: rows.length };
}
