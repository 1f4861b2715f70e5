import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { compareSamples, drawSample, sampleLines, type Allocation, type ByteSource, type DrawResult } from '../../sampling';
import type { Db } from '../db/connect';
import { UserError } from '../errors';
import { recordAudit } from '../repositories/audit';
import {
  countCodesIssuedBefore,
  countWaveResponses,
  findCurrentDraw,
  insertDraw,
  insertQuestionnaire,
  insertSampleEntry,
  listDrawnLines,
  markDrawPublished,
  supersedeDraw,
  type Draw,
  type DrawnLine,
} from '../repositories/draws';
import { clearStoredPath, findFrameImport, findLatestFrameImport } from '../repositories/frame-imports';
import { updateWaveStatus } from '../repositories/waves';
import { toCsv } from '../../analysis/csv';
import { frameOptions } from './frame-import';
import { issueQuestionnaireCodes, newQrToken } from './questionnaire-codes';
import { requireWave } from './waves';

export interface DrawRequest {
  seed: string;
  allocation: Allocation;
  reservePercent: number;
  /** Needed to replace a published draw: why, for the audit log. */
  redrawReason?: string;
}

function formatDate(iso: string): string {
  return new Date(iso).toLocaleString('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh' });
}

/** The library checks its own inputs with RangeError; for a person that is bad input. */
async function runLibrary<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RangeError) throw new UserError(error.message);
    throw error;
  }
}

/**
 * Draws the sample from the wave's stored frame and records it as a draft: the draw, its
 * entries and, apart, the drawn people's contacts, in one transaction. A draft replaces the
 * previous draft; a published draw is replaced only on an explicit redraw with a reason, and
 * never once responses exist.
 */
export async function runDraw(db: Db, year: number, request: DrawRequest, actor: string | null): Promise<Draw> {
  const wave = await requireWave(db, year);
  if (wave.status === 'closed') throw new UserError(`Đợt ${year} đã khóa: không bốc mẫu được nữa`, 409);
  const seed = request.seed.normalize('NFC').trim();
  if (seed === '') throw new UserError('Cần nhập chuỗi hạt giống (seed) để bốc mẫu');
  const current = await findCurrentDraw(db, year);
  const redrawReason = request.redrawReason?.normalize('NFC').trim() ?? '';
  if (current?.status === 'published') {
    if (redrawReason === '') {
      throw new UserError(
        `Mẫu của đợt ${year} đã công bố lúc ${formatDate(current.publishedAt!)} và không thể bốc lại ngầm; muốn bốc lại phải chọn "bốc lại" (--redraw) và ghi lý do (--reason)`,
        409,
      );
    }
    const responses = await countWaveResponses(db, year);
    if (responses > 0) throw new UserError(`Đợt ${year} đã có ${responses} phiếu trả lời: không thể bốc lại mẫu`, 409);
  }

  const frame = await findLatestFrameImport(db, year);
  if (!frame) throw new UserError(`Đợt ${year} chưa có khung mẫu: hãy nhập khung mẫu trước`, 409);
  if (!frame.storedPath || !fs.existsSync(frame.storedPath)) {
    throw new UserError(`Tệp khung mẫu của lần nhập ngày ${formatDate(frame.createdAt)} không còn (đã xóa sau khi công bố): hãy nhập lại khung mẫu`, 409);
  }

  const options = await frameOptions(db, wave);
  const result = await runLibrary(() =>
    drawSample(() => fs.createReadStream(frame.storedPath!), { ...options, seed, allocation: request.allocation, reservePercent: request.reservePercent }),
  );
  if (!result.ok) throw new UserError(`Không bốc được mẫu: ${result.fatal}`);
  if (result.sha256 !== frame.fileSha256) {
    throw new UserError(`Tệp khung mẫu đã lưu bị thay đổi sau khi nhập (SHA-256 ${result.sha256} thay vì ${frame.fileSha256}): hãy nhập lại khung mẫu`, 409);
  }

  return db.transaction().execute(async (trx) => {
    if (current) await supersedeDraw(trx, current.id);
    const draw = await insertDraw(trx, {
      waveYear: year,
      frameImportId: frame.id,
      frameSha256: result.sha256,
      seed,
      allocation: result.allocation,
      reservePercent: result.reservePercent,
      method: result.method,
      codeVersion: result.codeVersion,
      units: result.units,
      eligibility: { period: options.period, requirePostalAddress: options.requirePostalAddress, excludeOrganisations: options.excludeOrganisations },
      createdBy: actor,
    });
    for (const entry of result.entries) await insertSampleEntry(trx, draw.id, year, entry);
    await updateWaveStatus(trx, year, 'drawn');
    const totals = drawTotals(result);
    await recordAudit(trx, {
      actor,
      action: current?.status === 'published' ? 'draw.redraw' : 'draw.create',
      waveYear: year,
      detail: {
        drawId: draw.id,
        frameSha256: result.sha256,
        seed,
        allocation: result.allocation,
        reservePercent: result.reservePercent,
        codeVersion: result.codeVersion,
        ...totals,
        ...(current ? { supersededDraw: current.id, supersededStatus: current.status } : {}),
        ...(current?.status === 'published' ? { reason: redrawReason } : {}),
      },
    });
    return draw;
  });
}

export function drawTotals(result: Pick<DrawResult, 'units'>): { eligible: number; planned: number; drawn: number; reserve: number; shortfall: number } {
  const sum = (pick: (u: DrawResult['units'][number]) => number) => result.units.reduce((s, u) => s + pick(u), 0);
  return { eligible: sum((u) => u.eligible), planned: sum((u) => u.planned), drawn: sum((u) => u.drawn), reserve: sum((u) => u.reserve), shortfall: sum((u) => u.shortfall) };
}

/**
 * Freezes the draft: a questionnaire code and QR token per drawn person (primaries released
 * for printing, reserves held back until they replace someone), the wave moves to collection,
 * and the frame file, which holds everyone's personal data, is deleted.
 */
export async function publishDraw(db: Db, year: number, actor: string | null): Promise<{ draw: Draw; questionnaires: number; frameFileDeleted: boolean }> {
  await requireWave(db, year);
  const draft = await findCurrentDraw(db, year);
  if (!draft) throw new UserError(`Đợt ${year} chưa bốc mẫu: không có gì để công bố`, 409);
  if (draft.status === 'published') throw new UserError(`Mẫu của đợt ${year} đã công bố lúc ${formatDate(draft.publishedAt!)}`, 409);
  const frame = await findFrameImport(db, draft.frameImportId);

  const published = await db.transaction().execute(async (trx) => {
    const lines = await listDrawnLines(trx, draft.id);
    const issuedBefore = await countCodesIssuedBefore(trx, year, draft.id);
    const byUnit = new Map<string, DrawnLine[]>();
    for (const line of lines) byUnit.set(line.unitCode, [...(byUnit.get(line.unitCode) ?? []), line]);
    for (const [unitCode, unitLines] of byUnit) {
      // Sequence order: primaries by rank, then reserves by rank (listDrawnLines orders them so).
      const before = issuedBefore.get(unitCode) ?? 0;
      const codes = issueQuestionnaireCodes(year, unitCode, before + unitLines.length).slice(before);
      for (let i = 0; i < unitLines.length; i++) {
        const line = unitLines[i];
        await insertQuestionnaire(trx, { waveYear: year, sampleEntryId: line.sampleEntryId, unitCode, code: codes[i], token: newQrToken(), released: line.role === 'primary' });
      }
    }
    const publishedAt = await markDrawPublished(trx, draft.id);
    if (frame) await clearStoredPath(trx, frame.id);
    await updateWaveStatus(trx, year, 'collecting');
    await recordAudit(trx, {
      actor,
      action: 'draw.publish',
      waveYear: year,
      detail: {
        drawId: draft.id,
        questionnaires: lines.length,
        primaries: lines.filter((l) => l.role === 'primary').length,
        reserves: lines.filter((l) => l.role === 'reserve').length,
        frameFileDeleted: Boolean(frame?.storedPath),
      },
    });
    return { draw: { ...draft, status: 'published' as const, publishedAt }, questionnaires: lines.length };
  });
  let frameFileDeleted = false;
  if (frame?.storedPath) {
    fs.rmSync(frame.storedPath, { force: true });
    frameFileDeleted = !fs.existsSync(frame.storedPath);
  }
  return { ...published, frameFileDeleted };
}

export const EXPORT_COLUMNS = ['questionnaire_code', 'unit_code', 'dossier_code', 'role', 'rank'];

/** The drawn list for Excel: no names, addresses or phones; codes are empty before publish. */
export async function exportDrawCsv(db: Db, year: number): Promise<{ csv: string; draw: Draw; lines: number }> {
  await requireWave(db, year);
  const draw = await findCurrentDraw(db, year);
  if (!draw) throw new UserError(`Đợt ${year} chưa bốc mẫu`, 404);
  const lines = await listDrawnLines(db, draw.id);
  const csv = toCsv(lines.map((l) => [l.questionnaireCode ?? '', l.unitCode, l.dossierCode, l.role, l.rank]), EXPORT_COLUMNS, { bom: true });
  return { csv, draw, lines: lines.length };
}

export interface VerifyOutcome {
  /** The re-run gives exactly the stored sample (same people, roles and ranks). */
  identical: boolean;
  drawId: number;
  expectedSha256: string;
  actualSha256: string;
  /** False for any other file, including the same rows in another order (which still gives the same sample). */
  sha256Matches: boolean;
  /** Why the re-run could not be compared or how it differs; empty when identical. */
  difference: string | null;
  /** The Vietnamese note about the file when its SHA-256 differs. */
  fileNote: string | null;
}

/**
 * Re-runs the recorded draw (its seed, allocation and reserve, the wave's units and rules) on
 * a frame file someone holds, and compares the result with the stored sample. A file whose
 * bytes differ is reported as such, but its sample is still compared: a re-sorted export must
 * give the same people, and a changed one shows where it matters.
 */
export async function verifyDraw(db: Db, year: number, open: () => ByteSource, actor: string | null): Promise<VerifyOutcome> {
  const wave = await requireWave(db, year);
  const draw = await findCurrentDraw(db, year);
  if (!draw) throw new UserError(`Đợt ${year} chưa bốc mẫu: không có gì để kiểm tra`, 404);
  // The rules recorded with the draw win over today's wave settings, which may have changed since.
  const current = await frameOptions(db, wave);
  const rules = draw.eligibility;
  const options = rules
    ? { ...current, period: rules.period, requirePostalAddress: rules.requirePostalAddress, excludeOrganisations: rules.excludeOrganisations }
    : current;
  const rerun = await runLibrary(() =>
    drawSample(open, { ...options, seed: draw.seed, allocation: draw.allocation, reservePercent: draw.reservePercent }),
  );
  const sha256Matches = rerun.sha256 === draw.frameSha256;
  const fileNote = sha256Matches
    ? null
    : `Tệp khung mẫu khác với tệp đã bốc: SHA-256 của tệp này là ${rerun.sha256 || '(không đọc hết được)'}, tệp đã bốc là ${draw.frameSha256}.`;
  let difference: string | null;
  if (!rerun.ok) {
    difference = `Không chạy lại được lần bốc: ${rerun.fatal}`;
  } else {
    const comparison = compareSamples(await listDrawnLines(db, draw.id), sampleLines(rerun));
    difference = comparison.identical ? null : comparison.firstDifference;
  }
  const outcome: VerifyOutcome = {
    identical: difference === null,
    drawId: draw.id,
    expectedSha256: draw.frameSha256,
    actualSha256: rerun.sha256,
    sha256Matches,
    difference,
    fileNote,
  };
  await recordAudit(db, {
    actor,
    action: 'draw.verify',
    waveYear: year,
    detail: { drawId: draw.id, identical: outcome.identical, sha256Matches, fileSha256: rerun.sha256 },
  });
  return outcome;
}

/**
 * `verifyDraw` for a file that arrives as a one-time stream (a web upload): the re-run may read
 * the frame twice, so the upload is first saved under `<dataDir>/verify/`, readable only by
 * the platform, and deleted afterwards whatever happens, since it holds personal data.
 */
export async function verifyUploadedDraw(deps: { db: Db; dataDir: string }, year: number, upload: ByteSource, actor: string | null): Promise<VerifyOutcome> {
  const folder = path.join(deps.dataDir, 'verify');
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, `${year}-${Date.now()}-${randomBytes(6).toString('hex')}.csv`);
  try {
    await pipeline(Readable.from(upload), fs.createWriteStream(file, { flags: 'wx', mode: 0o600 }));
    return await verifyDraw(deps.db, year, () => fs.createReadStream(file), actor);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

export interface AllocationFields {
  kind?: string;
  perUnit?: string;
  total?: string;
  min?: string;
  max?: string;
  margin?: string;
}

function parseCount(raw: string | undefined, label: string, required: boolean): number | undefined {
  const text = raw?.trim() ?? '';
  if (text === '') {
    if (required) throw new UserError(`Thiếu ${label}`);
    return undefined;
  }
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new UserError(`${label} phải là số nguyên không âm (nhận được "${text}")`);
  return value;
}

/** The allocation a person typed (web form or command line), checked field by field. */
export function allocationFrom(fields: AllocationFields): Allocation {
  switch (fields.kind) {
    case 'fixed':
      return { kind: 'fixed', perUnit: parseCount(fields.perUnit, 'số phiếu mỗi đơn vị', true)! };
    case 'proportional': {
      const min = parseCount(fields.min, 'số phiếu tối thiểu mỗi đơn vị', false);
      const max = parseCount(fields.max, 'số phiếu tối đa mỗi đơn vị', false);
      return { kind: 'proportional', total: parseCount(fields.total, 'tổng số phiếu', true)!, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
    }
    case 'margin': {
      const text = fields.margin?.trim().replace(',', '.') ?? '';
      const margin = Number(text);
      if (text === '' || !(margin > 0 && margin < 1)) throw new UserError(`Sai số phải là một số giữa 0 và 1, ví dụ 0,05 (nhận được "${fields.margin ?? ''}")`);
      const max = parseCount(fields.max, 'số phiếu tối đa mỗi đơn vị', false);
      return { kind: 'margin', margin, ...(max !== undefined ? { max } : {}) };
    }
    default:
      throw new UserError('Chọn một cách phân bổ: cố định mỗi đơn vị, theo tỷ lệ, hoặc theo sai số');
  }
}

export function parseReservePercent(raw: string | undefined): number {
  const text = raw?.trim().replace(',', '.') ?? '';
  if (text === '') return 20;
  const value = Number(text);
  if (!(value >= 0 && value <= 100)) throw new UserError(`Tỷ lệ dự phòng phải từ 0 đến 100 % (nhận được "${raw}")`);
  return value;
}

/** The allocation in words, for the record and the summary. */
export function describeAllocation(allocation: Allocation): string {
  switch (allocation.kind) {
    case 'fixed':
      return `cố định ${allocation.perUnit} phiếu mỗi đơn vị`;
    case 'proportional':
      return `tổng ${allocation.total} phiếu chia theo tỷ lệ số người đủ điều kiện${allocation.min !== undefined ? `, tối thiểu ${allocation.min}` : ''}${allocation.max !== undefined ? `, tối đa ${allocation.max}` : ''} mỗi đơn vị`;
    case 'margin':
      return `n = N / (1 + N·e²) với e = ${String(allocation.margin).replace('.', ',')}${allocation.max !== undefined ? `, tối đa ${allocation.max}` : ''} mỗi đơn vị`;
  }
}
