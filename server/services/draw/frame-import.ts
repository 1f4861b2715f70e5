import fs from 'node:fs';
import path from 'node:path';
import { scanFrame, type ByteSource, type FrameFile, type FrameOptions, type ImportReport, type ReadProgress } from '../../../sampling';
import type { Db } from '../../db/connect';
import type { Executor } from '../../db/schema';
import { writeTransaction } from '../../db/unit-of-work';
import { UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { findCurrentDraw, supersedeDraw } from '../../repositories/draws';
import { clearStoredFile, insertFrameImport, listStoredFrameImports, type FrameImport } from '../../repositories/frame-imports';
import { listUnits } from '../../repositories/units';
import { findWave, type Wave } from '../../repositories/waves';
import { rejectionLines, withoutPersonalData } from './frame-report';
import { diskScratch } from '../storage/disk-files';
import { newStoredFile, storedIndexSink, sweepStoredFiles } from '../storage/stored-files';
import { localFrameFile } from './sampling-threads';
import { assertAllowed, waveFor, waveNotFound } from '../waves/wave-policy';

export interface FrameUpload {
  /** The name the administrator's file had, for the record. */
  fileName: string;
  bytes: ByteSource;
  strict: boolean;
  /**
   * The bytes come from a file on this machine (the command line's), as fast as its disk gives
   * them: the file is then stored whole first and read in two parts at once (sampling's
   * frame-parts.ts). A web upload is read as it arrives instead, which its network paces.
   */
  local?: boolean;
}

/** A frame file on this machine as an upload (the command line's, the demo's): `local`, read in 1 MiB chunks to store it whole fast. */
export function localUpload(file: string, strict: boolean, fileName = path.basename(file)): FrameUpload {
  return { fileName, bytes: fs.createReadStream(file, { highWaterMark: 1 << 20 }), strict, local: true };
}

/**
 * A refused file is an answer, not a failure: the page shows what was read of it so the
 * administrator can fix it. `error` is the refusal with its rejected rows, for the command line.
 */
export type FrameImportOutcome = { ok: true; frameImport: FrameImport } | { ok: false; error: UserError; report: ImportReport };

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
 * Refuses to record what was read under `used` when the wave's units or eligibility rules
 * changed while the file was being read (the read runs outside the write lock).
 */
export async function assertSameRules(trx: Executor, wave: Wave, used: FrameOptions, what: string): Promise<void> {
  if (JSON.stringify(await frameOptions(trx, wave)) !== JSON.stringify(used)) {
    throw new UserError(`Danh sách đơn vị hoặc quy tắc chọn của đợt ${wave.year} đã thay đổi trong lúc ${what}: hãy làm lại`, 409);
  }
}

/**
 * Stores the uploaded frame (services/storage: the data folder's disk, or the database) while
 * reading it, once, so a 2 GB export is never held in memory, and beside it the draw index the
 * reading writes (what the draw needs per eligible person, issue 15: the draw then reads only the
 * drawn rows of the file). The read's row log goes to scratch files on the data folder's disk,
 * deleted when it ends. The reading runs outside the write lock;
 * only recording it takes the lock, re-checking the wave there. A refused file is deleted and
 * nothing is recorded; an accepted one becomes the wave's frame, replacing (and deleting) any
 * earlier file still waiting for a draw.
 */
export async function importFrame(
  deps: { db: Db; dataDir: string },
  year: number,
  upload: FrameUpload,
  actor: string | null,
  /** Told how far reading has got (the frame page shows it; services/tasks/). */
  onProgress?: (progress: ReadProgress) => void,
): Promise<FrameImportOutcome> {
  const { db, dataDir } = deps;
  const wave = await findWave(db, year);
  if (!wave) throw waveNotFound(year);
  // Checked before reading so a refused import costs no upload; checked again where it is recorded.
  assertAllowed(wave, 'import-frame');
  const options = await frameOptions(db, wave);

  // Kept (given its reference) only in the transaction that records it.
  const file = await newStoredFile(deps, 'frame', year);
  const index = storedIndexSink(deps, year);
  const scratch = diskScratch(dataDir);
  // The upload can be read only once: it is saved as it is read.
  async function* keepCopy(): AsyncGenerator<Uint8Array> {
    for await (const chunk of upload.bytes) {
      await file.write(chunk);
      yield chunk;
    }
  }
  // A local file is saved whole first, then read from the stored copy, in two parts when large.
  async function storedWhole(path: string): Promise<FrameFile> {
    for await (const chunk of upload.bytes) await file.write(chunk);
    await file.finish();
    return localFrameFile(path);
  }

  // Set by the first after-commit task: from then on the record points to the stored file, which
  // must stay even if deleting the files it replaces fails.
  let kept = false;
  try {
    const input = upload.local === true && file.localPath !== null ? await storedWhole(file.localPath) : keepCopy();
    const scan = await scanFrame(input, { ...options, strict: upload.strict, onProgress }, index, scratch.space);
    scratch.discard();
    await file.finish();
    const report = withoutPersonalData(scan.report);
    if (!scan.ok) {
      const message = scan.fatal ?? 'Không nhập được khung mẫu';
      return { ok: false, error: new UserError(message, 400, rejectionLines(report)), report };
    }
    // A file with nothing to draw from must not replace the wave's frame (often a good one).
    const eligible = Object.values(report.eligibleByUnit).reduce((sum, n) => sum + n, 0);
    if (report.rowsAccepted === 0 || eligible === 0) {
      const message =
        report.rowsAccepted === 0
          ? `Không nhập khung mẫu: không có dòng hợp lệ nào (${report.rowsRejected}/${report.rowsRead} dòng bị từ chối); khung mẫu đã có (nếu có) được giữ nguyên.`
          : `Không nhập khung mẫu: ${report.rowsAccepted} dòng hợp lệ nhưng không có người nào đủ điều kiện chọn mẫu (ngoài kỳ khảo sát, thiếu địa chỉ hoặc là tổ chức); khung mẫu đã có (nếu có) được giữ nguyên.`;
      return { ok: false, error: new UserError(message, 400, rejectionLines(report)), report };
    }
    const indexFile = await index.finish();
    const frameImport = await writeTransaction(db, async (trx, afterCommit) => {
      afterCommit(() => void (kept = true));
      await assertSameRules(trx, await waveFor(trx, year, 'import-frame'), options, 'đọc tệp khung mẫu');
      const replaced = await listStoredFrameImports(trx, year);
      for (const old of replaced) await clearStoredFile(trx, old.id);
      const storedFile = await file.keep(trx);
      const drawIndexFile = await indexFile.keep(trx);
      // A draft drawn from the previous frame no longer matches the wave's frame.
      const current = await findCurrentDraw(trx, year);
      const supersededDraft = current?.status === 'draft' ? current.id : null;
      if (supersededDraft !== null) await supersedeDraw(trx, supersededDraft);
      const recorded = await insertFrameImport(trx, {
        waveYear: year,
        fileName: cleanFileName(upload.fileName),
        fileSha256: scan.sha256,
        storedFile,
        drawIndexFile,
        strict: upload.strict,
        report,
        createdBy: actor,
      });
      await recordAudit(trx, {
        actor,
        action: 'frame.import',
        waveYear: year,
        detail: {
          frameImportId: recorded.id,
          sha256: scan.sha256,
          strict: upload.strict,
          rowsRead: report.rowsRead,
          rowsAccepted: report.rowsAccepted,
          rowsRejected: report.rowsRejected,
          ...(supersededDraft !== null ? { supersededDraft } : {}),
        },
      });
      // Deletes the replaced files, and what earlier imports left when their process was killed.
      await sweepStoredFiles(trx, afterCommit, dataDir, { atStart: false });
      return recorded;
    });
    return { ok: true, frameImport };
  } finally {
    scratch.discard();
    if (!kept) await Promise.all([file.discard(), index.discard()]);
  }
}

function cleanFileName(name: string): string {
  const base = path.basename(name.replace(/\\/g, '/')).normalize('NFC').trim();
  return (base || 'khung-mau.csv').slice(0, 200);
}
