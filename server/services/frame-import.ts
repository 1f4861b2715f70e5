import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { fold, scanFrame, type ByteSource, type FrameOptions, type ImportReport, type Rejection } from '../../sampling';
import type { Db } from '../db/connect';
import type { Executor } from '../db/schema';
import { UserError } from '../errors';
import { recordAudit } from '../repositories/audit';
import { findCurrentDraw, supersedeDraw } from '../repositories/draws';
import { clearStoredPath, insertFrameImport, listStoredFrameImports, type FrameImport } from '../repositories/frame-imports';
import { listUnits } from '../repositories/units';
import type { Wave } from '../repositories/waves';
import { requireWave } from './waves';

export interface FrameUpload {
  /** The name the administrator's file had, for the record. */
  fileName: string;
  bytes: ByteSource;
  strict: boolean;
}

/** The import was refused as a whole; `report` says what was read before it stopped. */
export class FrameImportRefused extends UserError {
  constructor(
    message: string,
    readonly report: ImportReport,
  ) {
    super(message, 400, rejectionLines(report));
  }
}

export function rejectionLines(report: ImportReport): string[] {
  return report.rejections.map((r) => `dòng ${r.row}${r.field ? `, cột ${r.field}` : ''}: ${r.reason}${r.value ? ` (“${r.value}”)` : ''}`);
}

/** The rules of the wave that decide who is eligible; the draw and its verification use the same. */
export async function frameOptions(db: Executor, wave: Wave): Promise<FrameOptions> {
  const units = await listUnits(db, wave.year);
  if (units.length === 0) throw new UserError(`Đợt ${wave.year} chưa có danh sách đơn vị: hãy nhập đơn vị trước khi nhập khung mẫu`, 409);
  return {
    units: units.map((u) => ({ code: u.code, name: u.name })),
    ...(wave.settings.period ? { period: wave.settings.period } : {}),
    requirePostalAddress: true,
    excludeOrganisations: wave.settings.excludeOrganisations,
  };
}

/**
 * Streams the uploaded frame to `<dataDir>/frames/` while reading it, so a 2 GB export is
 * never held in memory. A refused file is deleted and nothing is recorded; an accepted one
 * becomes the wave's frame, replacing (and deleting) any earlier file still waiting for a draw.
 */
export async function importFrame(deps: { db: Db; dataDir: string }, year: number, upload: FrameUpload, actor: string | null): Promise<FrameImport> {
  const { db, dataDir } = deps;
  const wave = await requireWave(db, year);
  if (wave.status === 'closed') throw new UserError(`Đợt ${year} đã khóa: không nhập khung mẫu được nữa`, 409);
  const options = await frameOptions(db, wave);

  const folder = path.join(dataDir, 'frames');
  fs.mkdirSync(folder, { recursive: true });
  const storedPath = path.join(folder, `${year}-${Date.now()}-${randomBytes(6).toString('hex')}.csv`);
  const out = fs.createWriteStream(storedPath, { flags: 'wx', mode: 0o600 });
  let writeError: Error | null = null;
  out.on('error', (error) => (writeError = error));

  async function* keepCopy(): AsyncGenerator<Uint8Array> {
    for await (const chunk of upload.bytes) {
      if (writeError) throw writeError;
      if (!out.write(chunk)) await once(out, 'drain');
      yield chunk;
    }
  }
  const saveCopy = async (): Promise<void> => {
    if (!out.writableEnded) out.end();
    await finished(out).catch((error: Error) => (writeError ??= error));
    if (writeError) throw new UserError(`Không lưu được tệp khung mẫu vào ${folder}: ${(writeError as Error).message}`);
  };
  // The upload can be read only once: the first pass reads it while it is saved, a second
  // pass (needed when dossier codes repeat) reads the saved copy.
  async function* savedCopy(): AsyncGenerator<Uint8Array> {
    await saveCopy();
    yield* fs.createReadStream(storedPath);
  }
  let opened = 0;
  const open = (): ByteSource => (opened++ === 0 ? keepCopy() : savedCopy());

  let recorded: FrameImport | undefined;
  try {
    const scan = await scanFrame(open, { ...options, strict: upload.strict });
    await saveCopy();
    const report = withoutPersonalData(scan.report);
    if (!scan.ok) throw new FrameImportRefused(scan.fatal ?? 'Không nhập được khung mẫu', report);

    const replaced = await listStoredFrameImports(db, year);
    recorded = await db.transaction().execute(async (trx) => {
      for (const old of replaced) await clearStoredPath(trx, old.id);
      // A draft drawn from the previous frame no longer matches the wave's frame.
      const current = await findCurrentDraw(trx, year);
      const supersededDraft = current?.status === 'draft' ? current.id : null;
      if (supersededDraft !== null) await supersedeDraw(trx, supersededDraft);
      const frameImport = await insertFrameImport(trx, {
        waveYear: year,
        fileName: cleanFileName(upload.fileName),
        fileSha256: scan.sha256,
        storedPath,
        strict: upload.strict,
        report,
        createdBy: actor,
      });
      await recordAudit(trx, {
        actor,
        action: 'frame.import',
        waveYear: year,
        detail: {
          frameImportId: frameImport.id,
          sha256: scan.sha256,
          strict: upload.strict,
          rowsRead: report.rowsRead,
          rowsAccepted: report.rowsAccepted,
          rowsRejected: report.rowsRejected,
          ...(supersededDraft !== null ? { supersededDraft } : {}),
        },
      });
      return frameImport;
    });
    for (const old of replaced) fs.rmSync(old.storedPath, { force: true });
    return recorded;
  } finally {
    if (!out.closed) out.destroy();
    if (!recorded) fs.rmSync(storedPath, { force: true });
  }
}

function cleanFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFC').trim();
  return (base || 'khung-mau.csv').slice(0, 200);
}

/*
 * A rejected row's value or an unknown unit is shown to help fix the file, but a row whose
 * columns slipped (a missing separator) puts a name, address or phone in the unit or date
 * column. The report is stored and shown to supervisors, so a value is kept only when it looks
 * like what the column should hold: a code, a date, or an agency's name.
 */

const AGENCY_PREFIXES = [
  'so ', 'ban ', 'ubnd', 'uy ban', 'huyen ', 'thi xa ', 'thanh pho ', 'tp ', 'tp.', 'tx ', 'tx.', 'chi cuc', 'cuc ',
  'trung tam', 'van phong', 'xa ', 'phuong ', 'thi tran ', 'bo ', 'cong an',
];
export const HIDDEN_VALUE = '(giá trị đã ẩn vì có thể là dữ liệu cá nhân)';

function looksLikeCode(value: string): boolean {
  return /^[\p{L}\p{N}._/-]{1,40}$/u.test(value) && !/\d{9,}/.test(value);
}

function looksLikeAgency(value: string): boolean {
  const folded = fold(value);
  return value.length <= 100 && !/\d/.test(folded) && AGENCY_PREFIXES.some((p) => folded.startsWith(p));
}

function looksLikeDate(value: string): boolean {
  return /^[0-9/.\-: TZ]{1,25}$/.test(value) && !/\d{9,}/.test(value);
}

function safeValue(field: string | undefined, value: string): boolean {
  if (field === 'Mã hồ sơ') return looksLikeCode(value);
  if (field === 'Ngày trả kết quả') return looksLikeDate(value);
  if (field === 'Mã đơn vị') return looksLikeCode(value) || looksLikeAgency(value);
  return false;
}

export function withoutPersonalData(report: ImportReport): ImportReport {
  const rejections: Rejection[] = report.rejections.map((r) => {
    if (r.value === undefined || safeValue(r.field, r.value)) return r;
    const { value: _hidden, ...rest } = r;
    return rest;
  });
  const unknownUnits: ImportReport['unknownUnits'] = [];
  let hiddenRows = 0;
  for (const u of report.unknownUnits) {
    if (looksLikeCode(u.value) || looksLikeAgency(u.value)) unknownUnits.push(u);
    else hiddenRows += u.rows;
  }
  if (hiddenRows > 0) unknownUnits.push({ value: HIDDEN_VALUE, rows: hiddenRows });
  return { ...report, rejections, unknownUnits };
}
