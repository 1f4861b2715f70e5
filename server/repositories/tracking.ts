import type { CollectionCounts, UnitCollection, UnitKind } from '../../analysis/types';
import type { Executor } from '../db/schema';
import { unitSummaryColumn } from './draws';
import { fetchPage, questionnaireCodeMatches, type ListFilter, type Paged } from './list-page';

/**
 * Response tracking per unit (SIPAS.md section 11, table 4): the counts of `UnitCollection`
 * (analysis/types.ts), whose `TrackingInput` part goes straight into the analysis. Counts only:
 * no personal data is read.
 */

const zero = (): CollectionCounts => ({
  planned: 0,
  shortfall: 0,
  drawn: 0,
  released: 0,
  dispatched: 0,
  undeliverable: 0,
  refused: 0,
  paperReturned: 0,
  qrAnswered: 0,
  responded: 0,
  refusals: 0,
  valid: 0,
  filled: 0,
  imported: 0,
  importedValid: 0,
  review: 0,
  invalid: 0,
  awaitingSecondPass: 0,
  mismatched: 0,
  reservesLeft: 0,
});

/**
 * Definitions (the rates' own are in analysis/tracking-table.ts, shown on the tracking page):
 * - planned and shortfall: as the published draw planned them (its allocation), so a unit whose
 *   frame was too small keeps its plan and shows the gap; drawn: primaries + reserves;
 * - released: the cases, primaries and reserves released to replace someone; dispatched:
 *   released questionnaires whose status moved on from "drawn" (sent, or any later outcome);
 * - paperReturned: questionnaires with a keyed paper form (counted or not, double entry done
 *   or not); qrAnswered: questionnaires answered by QR; responded: released questionnaires with
 *   either, each once; refusals: released questionnaires marked refused with no answer;
 * - valid: released questionnaires with their counted response (one at most: the first valid);
 *   filled: primaries whose own questionnaire or a replacing reserve's has one;
 * - imported / importedValid: responses from outside the drawn list (no questionnaire), kept
 *   apart from every figure above.
 * Rows come one per questionnaire and are summed here, which keeps the SQL plain.
 */
export async function trackingByUnit(db: Executor, waveYear: number): Promise<UnitCollection[]> {
  const units = await db.selectFrom('units').select(['code', 'name', 'kind']).where('wave_year', '=', waveYear).orderBy('sort_order').execute();
  const byUnit = new Map<string, CollectionCounts>(units.map((u) => [u.code, zero()]));
  const countsOf = (unitCode: string): CollectionCounts => {
    let counts = byUnit.get(unitCode);
    if (!counts) byUnit.set(unitCode, (counts = zero()));
    return counts;
  };

  const draw = await db.selectFrom('draws').select('unit_summary').where('wave_year', '=', waveYear).where('status', '=', 'published').executeTakeFirst();
  for (const u of draw ? unitSummaryColumn.read(draw.unit_summary) : []) {
    const c = countsOf(u.unitCode);
    c.planned = u.planned;
    c.shortfall = u.shortfall;
  }

  const questionnaires = await db
    .selectFrom('questionnaires')
    .innerJoin('sample_entries', 'sample_entries.id', 'questionnaires.sample_entry_id')
    .innerJoin('draws', 'draws.id', 'sample_entries.draw_id')
    .select(['questionnaires.id', 'questionnaires.unit_code', 'questionnaires.replaces_id', 'sample_entries.role', 'questionnaires.released', 'questionnaires.status'])
    .where('questionnaires.wave_year', '=', waveYear)
    .where('draws.status', '=', 'published')
    .execute();
  const released = new Map<number, (typeof questionnaires)[number]>();
  for (const q of questionnaires) {
    const c = countsOf(q.unit_code);
    c.drawn++;
    if (q.released === 1) {
      c.released++;
      released.set(q.id, q);
    } else if (q.role === 'reserve' && q.status === 'drawn') c.reservesLeft++;
    if (q.released === 1 && q.status !== 'drawn') c.dispatched++;
    if (q.status === 'undeliverable') c.undeliverable++;
    if (q.status === 'refused') c.refused++;
  }

  // Counted in SQL: a country's wave has a million responses, most of them perhaps imported
  // without a questionnaire; only those of the drawn list are read one by one below.
  const responseCounts = await db
    .selectFrom('responses')
    .select((eb) => [
      'unit_code',
      eb.fn.countAll<number>().filterWhere('state', '=', 'review').as('review'),
      eb.fn.countAll<number>().filterWhere('state', '=', 'invalid').as('invalid'),
      eb.fn.countAll<number>().filterWhere('questionnaire_id', 'is', null).as('imported'),
      eb.fn.countAll<number>().filterWhere((w) => w.and([w('questionnaire_id', 'is', null), w('state', '=', 'counted')])).as('imported_valid'),
    ])
    .where('wave_year', '=', waveYear)
    .groupBy('unit_code')
    .orderBy('unit_code')
    .execute();
  for (const r of responseCounts) {
    const c = countsOf(r.unit_code);
    c.review += Number(r.review);
    c.invalid += Number(r.invalid);
    c.imported += Number(r.imported);
    c.importedValid += Number(r.imported_valid);
  }

  const responses = await db
    .selectFrom('responses')
    .select(['questionnaire_id', 'unit_code', 'channel', 'state'])
    .where('wave_year', '=', waveYear)
    .where('questionnaire_id', 'is not', null)
    .execute();
  const paperForms = new Map<number, string>();
  const qrForms = new Map<number, string>();
  const countedForms = new Set<number>();
  for (const r of responses) {
    if (r.questionnaire_id === null) continue;
    if (r.state === 'counted') countedForms.add(r.questionnaire_id);
    if (r.channel === 'paper') paperForms.set(r.questionnaire_id, r.unit_code);
    if (r.channel === 'qr') qrForms.set(r.questionnaire_id, r.unit_code);
  }

  const keyings = await db
    .selectFrom('paper_keyings')
    .innerJoin('questionnaires', 'questionnaires.id', 'paper_keyings.questionnaire_id')
    .select(['paper_keyings.questionnaire_id', 'questionnaires.unit_code', 'paper_keyings.response_id'])
    .where('paper_keyings.wave_year', '=', waveYear)
    .execute();
  const openKeyings = new Map<number, { unitCode: string; passes: number }>();
  for (const k of keyings) {
    paperForms.set(k.questionnaire_id, k.unit_code);
    if (k.response_id !== null) continue;
    const open = openKeyings.get(k.questionnaire_id) ?? { unitCode: k.unit_code, passes: 0 };
    open.passes++;
    openKeyings.set(k.questionnaire_id, open);
  }
  for (const unitCode of paperForms.values()) countsOf(unitCode).paperReturned++;
  for (const unitCode of qrForms.values()) countsOf(unitCode).qrAnswered++;
  for (const open of openKeyings.values()) {
    if (open.passes >= 2) countsOf(open.unitCode).mismatched++;
    else countsOf(open.unitCode).awaitingSecondPass++;
  }

  // The rates' numerators count released questionnaires only, so none can pass its base.
  const filled = new Set<number>();
  for (const q of released.values()) {
    const c = countsOf(q.unit_code);
    const answered = paperForms.has(q.id) || qrForms.has(q.id);
    if (answered) c.responded++;
    else if (q.status === 'refused') c.refusals++;
    if (!countedForms.has(q.id)) continue;
    c.valid++;
    // The planned place is the primary at the start of the chain of replacements.
    let place = q;
    while (place.replaces_id !== null && released.has(place.replaces_id)) place = released.get(place.replaces_id)!;
    if (place.role === 'primary' && !filled.has(place.id)) {
      filled.add(place.id);
      c.filled++;
    }
  }

  const names = new Map(units.map((u) => [u.code, u]));
  return [...byUnit].map(([unitCode, counts]) => ({
    unitCode,
    unitName: names.get(unitCode)?.name ?? unitCode,
    unitKind: names.get(unitCode)?.kind ?? '',
    ...counts,
  }));
}

/** Column sums over units, for the totals row. */
export function sumTracking(rows: UnitCollection[]): CollectionCounts {
  const total = zero();
  for (const row of rows) {
    for (const key of Object.keys(total) as (keyof CollectionCounts)[]) total[key] += row[key];
  }
  return total;
}

/**
 * One page of the wave's units for the tracking table, in the wave's unit order: the unit asked
 * for, or the units holding a questionnaire whose code matches the search.
 */
/**
 * `scope.kind`: one group of units only. `scope.named`: the units whose name or code the search
 * found (matched by the caller, accents ignored); the search then lists them beside the units
 * holding a questionnaire whose code matches it.
 */
export async function pageTrackingUnits(
  db: Executor,
  waveYear: number,
  filter: ListFilter,
  page: number,
  scope: { kind?: UnitKind; named?: string[] } = {},
): Promise<Paged<string>> {
  let query = db.selectFrom('units').where('units.wave_year', '=', waveYear);
  if (filter.unitCode) query = query.where('units.code', '=', filter.unitCode);
  if (scope.kind) query = query.where('units.kind', '=', scope.kind);
  const code = filter.code;
  const named = scope.named;
  if (code || named) {
    query = query.where((eb) =>
      eb.or([
        ...(code
          ? [
              eb(
                'units.code',
                'in',
                eb.selectFrom('questionnaires').select('questionnaires.unit_code').where('questionnaires.wave_year', '=', waveYear).where(questionnaireCodeMatches('questionnaires.code', code)),
              ),
            ]
          : []),
        ...(named && named.length > 0 ? [eb('units.code', 'in', named)] : []),
      ]),
    );
  }
  return fetchPage(
    page,
    async () => Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n),
    async (limit, offset) => (await query.select('units.code').orderBy('units.sort_order').limit(limit).offset(offset).execute()).map((u) => u.code),
  );
}
