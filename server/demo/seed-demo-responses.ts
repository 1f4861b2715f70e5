import { anGiang2023 } from '../../analysis/fixtures/an-giang-2023';
import type { Executor } from '../db/schema';
import { recordAudit } from '../repositories/audit';
import { replacePreviousIndexes } from '../repositories/previous-indexes';
import { listReleasedPrimaries } from '../repositories/released-questionnaires';
import { recordResponse } from '../services/collection/responses';

/**
 * The demo wave's answers: the An Giang 2023 fixture, whose per-unit answers reproduce the
 * provincial report's published figures (88,56 % for departments, 87,79 % for districts…),
 * and the 2022 published unit indexes for the deltas. Each unit's fixture answers go to its
 * drawn questionnaires in draw order, by paper or QR as in the fixture; where the demo draw
 * fell short of a unit's respondents (a small frame), the rest come in as an anonymous import
 * naming only the unit, as answers from another tool would.
 */
export async function seedDemoResponses(trx: Executor, year: number): Promise<{ attached: number; imported: number }> {
  const fixture = anGiang2023();
  let attached = 0;
  let imported = 0;
  const questionnaires = await listReleasedPrimaries(trx, year);
  const used = new Map<string, number>();
  for (const r of fixture.responses) {
    const k = used.get(r.unitCode) ?? 0;
    used.set(r.unitCode, k + 1);
    const questionnaireId = questionnaires.get(r.unitCode)?.[k] ?? null;
    await recordResponse(trx, {
      waveYear: year,
      questionnaireId,
      unitCode: r.unitCode,
      channel: questionnaireId === null ? 'import' : r.channel,
      answers: r.answers,
      profile: r.profile,
      comment: null,
      enteredBy: r.channel === 'qr' && questionnaireId !== null ? null : 'demo',
    });
    if (questionnaireId === null) imported++;
    else attached++;
  }
  if (fixture.previous?.source === 'published') await replacePreviousIndexes(trx, year, fixture.previous.rows);
  await recordAudit(trx, { actor: 'demo', action: 'responses.demo', waveYear: year, detail: { attached, imported } });
  return { attached, imported };
}
