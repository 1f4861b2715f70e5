import { anGiang2023 } from '../../analysis/fixtures/an-giang-2023';
import type { Db } from '../db/connect';
import { recordAudit } from '../repositories/audit';
import { replacePreviousIndexes } from '../repositories/previous-indexes';
import { insertResponse } from '../repositories/responses';

/**
 * The demo wave's answers: the An Giang 2023 fixture, whose per-unit answers reproduce the
 * provincial report's published figures (88,56 % for departments, 87,79 % for districts…),
 * and the 2022 published unit indexes for the deltas. The fixture's respondents are not the
 * demo draw's people, so they come in as an anonymous bulk import naming only their unit.
 */
export async function seedDemoResponses(db: Db, year: number): Promise<{ responses: number }> {
  const fixture = anGiang2023();
  await db.transaction().execute(async (trx) => {
    for (const r of fixture.responses) {
      await insertResponse(trx, {
        waveYear: year,
        questionnaireId: null,
        unitCode: r.unitCode,
        channel: 'import',
        state: 'counted',
        answers: r.answers,
        profile: r.profile,
        comment: null,
        enteredBy: 'demo',
      });
    }
    if (fixture.previous?.source === 'published') await replacePreviousIndexes(trx, year, fixture.previous.rows);
    await recordAudit(trx, { actor: 'demo', action: 'responses.demo', waveYear: year, detail: { responses: fixture.responses.length } });
  });
  return { responses: fixture.responses.length };
}
