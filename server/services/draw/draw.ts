import { drawFromIndex, drawIndexServes, drawSample, readDrawIndexHeader, type Allocation, type ByteSource, type DrawOptions, type DrawResult, type FrameFile, type ReadProgress, type ScratchSpace } from '../../../sampling';
import type { Db } from '../../db/connect';
import type { Executor } from '../../db/schema';
import { writeTransaction } from '../../db/unit-of-work';
import { UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { countWaveResponses, findCurrentDraw, insertDraw, insertSampleEntries, supersedeDraw, type Draw } from '../../repositories/draws';
import { findLatestCommitment, type DrawCommitment } from '../../repositories/draw-commitments';
import { findLatestFrameImport, type FrameImport } from '../../repositories/frame-imports';
import { findWave, updateWaveStatus } from '../../repositories/waves';
import { describeAllocation } from './allocation-input';
import { formatDateTime, redrawRefusal, type RedrawRequest } from './draw-rules';
import { describeSeedRule, seedFollowingRule, seedTooEarly } from './seed-rule';
import { assertSameRules, frameOptions } from './frame-import';
import { diskScratch } from '../storage/disk-files';
import { openStoredFile, storedFileExists, storedFileRanges } from '../storage/stored-files';
import { localFrameFile, sharedSamplingThreads } from './sampling-threads';
import { databaseFileId } from '../storage/database-files';
import { assertAllowed, waveFor, waveNotFound } from '../waves/wave-policy';

export interface DrawRequest {
  /** Under a commitment: the seed of its rule, or only the public number (completed from the rule). */
  seed: string;
  /** Required without a commitment; under one, taken from it (and, when given, must equal it). */
  allocation?: Allocation;
  reservePercent?: number;
  /** Needed to replace a published draw, with `reason` (why, for the audit log). */
  redraw?: boolean;
  reason?: string;
}

/** The library checks its own inputs with RangeError; for a person that is bad input. */
async function asUserError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RangeError) throw new UserError(error.message);
    throw error;
  }
}

/**
 * drawSample, its rank HMACs on the sampling threads, a frame file on this machine's disk read
 * in two parts at once when large (localFrameFile); `scratch` is room for what it writes down
 * (memory when not given: small frames).
 */
export async function drawFromFrame(frame: FrameFile | (() => ByteSource), options: DrawOptions, scratch?: () => ScratchSpace): Promise<DrawResult> {
  return asUserError(() => drawSample(frame, options, scratch, sharedSamplingThreads().rank));
}

/**
 * The draw from the wave's stored frame: from the draw index its import kept (issue 15: the
 * index streamed, only the drawn rows read from the file by byte range) when that index gives
 * exactly what drawSample would (current format, same units and eligibility rules, the frame
 * rules of the draw's method version); otherwise, for imports made before the index or under
 * other rules, drawSample over the whole file. The result is the same either way, SHA-256
 * included: from the index it is the one the import computed over the very bytes it stored (the
 * trailer's), and each drawn row read back is checked against the index (its dossier code and
 * length), so a file changed since cannot slip a different person in unnoticed.
 */
async function drawFromStoredFrame(
  db: Db,
  frame: { storedFile: string; drawIndexFile: string | null },
  options: DrawOptions,
  dataDir: string | undefined,
): Promise<{ result: DrawResult; readFrom: 'draw-index' | 'frame-file' }> {
  const index = frame.drawIndexFile;
  if (index !== null && (await storedFileExists(db, index)) && drawIndexServes(await asUserError(() => readDrawIndexHeader(openStoredFile(db, index))), options)) {
    const ranks = sharedSamplingThreads().rank;
    return { result: await asUserError(() => drawFromIndex(openStoredFile(db, index), storedFileRanges(db, frame.storedFile), options, ranks)), readFrom: 'draw-index' };
  }
  const scratch = dataDir === undefined ? undefined : diskScratch(dataDir);
  try {
    const onDisk = databaseFileId(frame.storedFile) === null;
    const file = onDisk ? localFrameFile(frame.storedFile) : () => openStoredFile(db, frame.storedFile);
    return { result: await drawFromFrame(file, options, scratch?.space), readFrom: 'frame-file' };
  } finally {
    scratch?.discard();
  }
}

async function assertMayReplace(db: Executor, year: number, current: Draw | undefined, request: RedrawRequest): Promise<void> {
  const responses = current?.status === 'published' ? await countWaveResponses(db, year) : 0;
  const refusal = redrawRefusal(year, current, request, responses);
  if (refusal) throw new UserError(refusal, 409);
}

/**
 * Draws the sample from the wave's stored frame and records it as a draft: the draw, its
 * entries and, apart, the drawn people's contacts. Reading the frame takes seconds for a big
 * file, so it runs outside the write lock; the rules are checked before it (so a refused draw
 * costs nothing) and again in the transaction that records it, against the state it lands on.
 */
/** The commitment a draw from `frame` must follow: the wave's latest, when made for this frame. */
async function bindingCommitment(db: Executor, year: number, frame: FrameImport): Promise<DrawCommitment | undefined> {
  const commitment = await findLatestCommitment(db, year);
  return commitment?.frameImportId === frame.id ? commitment : undefined;
}

/** Seed, allocation and reserve of the draw: the request's, or under a commitment the committed ones. */
function drawTerms(request: DrawRequest, commitment: DrawCommitment | undefined, now: Date): { seed: string; allocation: Allocation; reservePercent: number } {
  const typed = request.seed.normalize('NFC').trim();
  if (typed === '') throw new UserError('Cần nhập chuỗi hạt giống (seed) để bốc mẫu');
  if (!commitment) {
    if (!request.allocation || request.reservePercent === undefined) throw new UserError('Cần chọn cách phân bổ cỡ mẫu và tỷ lệ dự phòng');
    return { seed: typed, allocation: request.allocation, reservePercent: request.reservePercent };
  }
  const rule = commitment.seedRule;
  const early = seedTooEarly(rule, now);
  if (early) throw new UserError(`${early} (biên bản cam kết số ${commitment.id})`, 409);
  const seed = seedFollowingRule(rule, typed);
  if (seed === null) throw new UserError(`Hạt giống "${typed}" không theo quy tắc đã cam kết ở biên bản số ${commitment.id}: ${describeSeedRule(rule)}`);
  if (
    (request.allocation && describeAllocation(request.allocation) !== describeAllocation(commitment.allocation)) ||
    (request.reservePercent !== undefined && request.reservePercent !== commitment.reservePercent)
  ) {
    throw new UserError(`Phân bổ đã được cam kết ở biên bản số ${commitment.id} (${describeAllocation(commitment.allocation)}, dự phòng ${commitment.reservePercent} %): không thể bốc với phân bổ khác`);
  }
  return { seed, allocation: commitment.allocation, reservePercent: commitment.reservePercent };
}

/**
 * The draw replaces the one it was checked against, from the frame it was drawn from, under the
 * commitment it followed. Returns the wave's current draw.
 */
async function assertDrawStillApplies(
  db: Executor,
  year: number,
  checked: { current: Draw | undefined; redraw: RedrawRequest; frame: FrameImport; commitment: DrawCommitment | undefined },
): Promise<Draw | undefined> {
  const replaced = await findCurrentDraw(db, year);
  if (replaced?.id !== checked.current?.id) throw new UserError(`Đợt ${year} vừa có một lần bốc khác trong lúc bốc mẫu: hãy xem lại trang bốc mẫu rồi bốc lại`, 409);
  await assertMayReplace(db, year, replaced, checked.redraw);
  if ((await findLatestFrameImport(db, year))?.id !== checked.frame.id) {
    throw new UserError(`Khung mẫu của đợt ${year} vừa được nhập lại trong lúc bốc mẫu: hãy bốc lại từ khung mẫu mới`, 409);
  }
  if ((await bindingCommitment(db, year, checked.frame))?.id !== checked.commitment?.id) {
    throw new UserError(`Đợt ${year} vừa có một biên bản cam kết mới trong lúc bốc mẫu: hãy xem lại trang bốc mẫu rồi bốc lại`, 409);
  }
  return replaced;
}

export interface RunDrawOptions {
  now?: Date;
  /** Told how far reading the frame has got (a page shows it; draw-task.ts). */
  onProgress?: (progress: ReadProgress) => void;
  /**
   * The data folder, for the scratch files of a draw from the whole frame file (an import whose
   * index does not serve the draw); without it that draw keeps them in memory (small frames, tests).
   */
  dataDir?: string;
}

export async function runDraw(db: Db, year: number, request: DrawRequest, actor: string | null, options: RunDrawOptions = {}): Promise<Draw> {
  const { now = new Date(), onProgress, dataDir } = options;
  const wave = await findWave(db, year);
  if (!wave) throw waveNotFound(year);
  assertAllowed(wave, 'draw');
  const redraw: RedrawRequest = { redraw: request.redraw ?? false, reason: request.reason?.normalize('NFC').trim() ?? '' };
  const current = await findCurrentDraw(db, year);
  await assertMayReplace(db, year, current, redraw);

  const frame = await findLatestFrameImport(db, year);
  if (!frame) throw new UserError(`Đợt ${year} chưa có khung mẫu: hãy nhập khung mẫu trước`, 409);
  const storedFile = frame.storedFile;
  if (!storedFile || !(await storedFileExists(db, storedFile))) {
    throw new UserError(`Tệp khung mẫu của lần nhập ngày ${formatDateTime(frame.createdAt)} không còn (đã xóa sau khi công bố): hãy nhập lại khung mẫu`, 409);
  }

  const commitment = await bindingCommitment(db, year, frame);
  const { seed, allocation, reservePercent } = drawTerms(request, commitment, now);
  const frameRules = await frameOptions(db, wave);
  const { result, readFrom } = await drawFromStoredFrame(db, { storedFile, drawIndexFile: frame.drawIndexFile }, { ...frameRules, seed, allocation, reservePercent, onProgress }, dataDir).catch(
    async (error: unknown) => {
      // A publish or a new import deletes the files, possibly while the draw reads them (the
      // draw from the index reads the drawn rows last): then say that, as recording would.
      await assertDrawStillApplies(db, year, { current, redraw, frame, commitment });
      throw error;
    },
  );
  if (!result.ok) throw new UserError(`Không bốc được mẫu: ${result.fatal}`);
  if (result.sha256 !== frame.fileSha256) {
    throw new UserError(`Tệp khung mẫu đã lưu bị thay đổi sau khi nhập (SHA-256 ${result.sha256} thay vì ${frame.fileSha256}): hãy nhập lại khung mẫu`, 409);
  }

  return writeTransaction(db, async (trx) => {
    await assertSameRules(trx, await waveFor(trx, year, 'draw'), frameRules, 'bốc mẫu');
    const replaced = await assertDrawStillApplies(trx, year, { current, redraw, frame, commitment });

    if (replaced) await supersedeDraw(trx, replaced.id);
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
      commitmentId: commitment?.id ?? null,
      eligibility: { period: frameRules.period, requirePostalAddress: frameRules.requirePostalAddress, excludeOrganisations: frameRules.excludeOrganisations },
      createdAt: now.toISOString(),
      createdBy: actor,
    });
    await insertSampleEntries(trx, draw.id, year, result.entries);
    await updateWaveStatus(trx, year, 'drawn');
    const wasPublished = replaced?.status === 'published';
    await recordAudit(trx, {
      actor,
      action: wasPublished ? 'draw.redraw' : 'draw.create',
      waveYear: year,
      detail: {
        drawId: draw.id,
        frameSha256: result.sha256,
        seed,
        allocation: result.allocation,
        reservePercent: result.reservePercent,
        codeVersion: result.codeVersion,
        commitmentId: commitment?.id ?? null,
        // Same result either way; says whether the import's draw index served (issue 15).
        readFrom,
        ...drawTotals(result),
        ...(replaced ? { supersededDraw: replaced.id, supersededStatus: replaced.status } : {}),
        ...(wasPublished ? { reason: redraw.reason } : {}),
      },
    });
    return draw;
  });
}

export function drawTotals(result: Pick<DrawResult, 'units'>): { eligible: number; planned: number; drawn: number; reserve: number; shortfall: number } {
  const sum = (pick: (u: DrawResult['units'][number]) => number) => result.units.reduce((s, u) => s + pick(u), 0);
  return { eligible: sum((u) => u.eligible), planned: sum((u) => u.planned), drawn: sum((u) => u.drawn), reserve: sum((u) => u.reserve), shortfall: sum((u) => u.shortfall) };
}
