import type { Executor } from '../../db/schema';
import type { AfterCommit } from '../../db/unit-of-work';
import { UserError } from '../../errors';
import { recordAudit } from '../../repositories/audit';
import { countCodesIssuedBefore, findCurrentDraw, insertQuestionnaire, listDrawnLines, markDrawPublished, type Draw, type DrawnLine } from '../../repositories/draws';
import { clearStoredFile, findFrameImport } from '../../repositories/frame-imports';
import { updateWaveStatus } from '../../repositories/waves';
import { publishRefusal } from './draw-rules';
import { issueQuestionnaireCodes, newQrToken } from '../../forms/questionnaire-codes';
import { removeStoredFile } from '../storage/stored-files';
import { waveFor } from '../waves/wave-policy';

export interface PublishOutcome {
  draw: Draw;
  questionnaires: number;
  /** The frame file was still kept and is deleted with the publication (from disk, once it is committed). */
  frameFileDeleted: boolean;
}

/**
 * Freezes the draft: a questionnaire code and QR token per drawn person (primaries released
 * for printing, reserves held back until they replace someone), the wave moves to collection,
 * and the frame file, which holds everyone's personal data, is deleted after the commit.
 * `drawId` is the draft the person looked at, when there was a page.
 */
export async function publishDraw(trx: Executor, afterCommit: AfterCommit, year: number, request: { drawId?: number }, actor: string | null): Promise<PublishOutcome> {
  await waveFor(trx, year, 'publish-draw');
  const current = await findCurrentDraw(trx, year);
  const refusal = publishRefusal(year, current, request.drawId);
  if (refusal) throw new UserError(refusal, 409);
  const draft = current!; // publishRefusal refuses when there is no draw.

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
  const frame = await findFrameImport(trx, draft.frameImportId);
  const storedFile = frame?.storedFile ?? null;
  if (frame && storedFile) {
    await clearStoredFile(trx, frame.id);
    await removeStoredFile(trx, afterCommit, storedFile);
    // The draw index holds the same people's keys: it goes with the file.
    if (frame.drawIndexFile) await removeStoredFile(trx, afterCommit, frame.drawIndexFile);
  }
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
      frameFileDeleted: storedFile !== null,
    },
  });
  return { draw: { ...draft, status: 'published', publishedAt }, questionnaires: lines.length, frameFileDeleted: storedFile !== null };
}
