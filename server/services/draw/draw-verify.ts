import { compareSamples, sampleLines, type ByteSource, type FrameFile } from '../../../sampling';
import type { Db } from '../../db/connect';
import { writeTransaction } from '../../db/unit-of-work';
import { UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { findCommitment } from '../../repositories/draw-commitments';
import { findCurrentDraw, listDrawnLines } from '../../repositories/draws';
import { commitmentProblems } from './commitment';
import type { Wave } from '../../repositories/waves';
import { drawFromFrame } from './draw';
import { localFrameFile } from './sampling-threads';
import { frameOptions } from './frame-import';
import { diskScratch } from '../storage/disk-files';
import { withSavedCopy } from '../storage/stored-files';

export interface VerifyOutcome {
  /**
   * Everything holds: the file is the one drawn from (same SHA-256), the re-run gives exactly
   * the stored sample, and a commitment, when there is one, was kept. What `draw verify`'s
   * exit code says.
   */
  verified: boolean;
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
  /** The method version the draw was re-run under (the one it was drawn with). */
  codeVersion: string;
  /** Commit–reveal: null when the seed was chosen without a commitment, else what was found. */
  commitment: { id: number; problems: string[] } | null;
}

/**
 * Re-runs the recorded draw (its seed, allocation and reserve, the wave's units and rules) on
 * a frame file someone holds, and compares the result with the stored sample. A file whose
 * bytes differ is reported as such, but its sample is still compared: a re-sorted export must
 * give the same people, and a changed one shows where it matters. The re-run reads the file
 * outside any transaction; only the audit entry is written.
 */
export async function verifyDraw(deps: { db: Db; dataDir: string }, wave: Wave, frame: FrameFile | (() => ByteSource), actor: string | null): Promise<VerifyOutcome> {
  const { db } = deps;
  const year = wave.year;
  const draw = await findCurrentDraw(db, year);
  if (!draw) throw new UserError(`Đợt ${year} chưa bốc mẫu: không có gì để kiểm tra`, 404);
  // The rules recorded with the draw win over today's wave settings, which may have changed since.
  const current = await frameOptions(db, wave);
  const rules = draw.eligibility;
  const options = rules
    ? { ...current, period: rules.period, requirePostalAddress: rules.requirePostalAddress, excludeOrganisations: rules.excludeOrganisations }
    : current;
  const scratch = diskScratch(deps.dataDir);
  const rerun = await drawFromFrame(frame, { ...options, seed: draw.seed, allocation: draw.allocation, reservePercent: draw.reservePercent, codeVersion: draw.codeVersion }, scratch.space).finally(
    () => scratch.discard(),
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
  const committed = draw.commitmentId === null ? undefined : await findCommitment(db, draw.commitmentId);
  const commitment = committed ? { id: committed.id, problems: commitmentProblems(committed, draw) } : null;
  const outcome: VerifyOutcome = {
    verified: difference === null && sha256Matches && (commitment === null || commitment.problems.length === 0),
    identical: difference === null,
    drawId: draw.id,
    expectedSha256: draw.frameSha256,
    actualSha256: rerun.sha256,
    sha256Matches,
    difference,
    fileNote,
    codeVersion: draw.codeVersion,
    commitment,
  };
  await writeTransaction(db, (trx) =>
    recordAudit(trx, {
      actor,
      action: 'draw.verify',
      waveYear: year,
      detail: { drawId: draw.id, verified: outcome.verified, identical: outcome.identical, sha256Matches, fileSha256: rerun.sha256, commitmentProblems: commitment?.problems ?? null },
    }),
  );
  return outcome;
}

/**
 * `verifyDraw` for a file that arrives as a one-time stream (a web upload): the re-run reads
 * the frame twice (whole, then its drawn rows), so the upload is first saved (services/storage: under `<dataDir>/verify/`,
 * readable only by the platform, or in the database) and deleted afterwards whatever happens,
 * since it holds personal data; a copy left by a process that died goes at the next sweep.
 */
export async function verifyUploadedDraw(deps: { db: Db; dataDir: string }, wave: Wave, upload: ByteSource, actor: string | null): Promise<VerifyOutcome> {
  return withSavedCopy(deps, wave.year, upload, ({ open, localPath }) => verifyDraw(deps, wave, localPath !== null ? localFrameFile(localPath) : open, actor));
}
