/**
 * Loads what the analysis library needs for one wave from the database and computes the SIPAS
 * tables (SIPAS.md s.3, s.10–11). Analysis never reads the contacts table: the results hold no
 * personal data, and neither does anything built from them.
 */
import type { Questionnaire } from '../../../analysis/questionnaire';
import type { AnalysisSettings, AnalysisUnit, PreviousYear, TrackingInput, WaveResults } from '../../../analysis/types';
import { PreviousTally } from '../../../analysis/previous';
import { WaveTally } from '../../../analysis/wave-results';
import type { Executor } from '../../db/schema';
import { countResponses, publishedFrameSizes } from '../../repositories/analysis-sources';
import { listPreviousIndexes } from '../../repositories/previous-indexes';
import { findQuestionnaire } from '../../repositories/questionnaire-versions';
import { tallyVersions, type TallyVersions } from '../../repositories/results-versions';
import { trackingByUnit } from '../../repositories/tracking';
import { listUnits, type Unit } from '../../repositories/units';
import { findWave, type Wave, type WaveSettings } from '../../repositories/waves';
import { waveNotFound } from '../waves/wave-policy';
import { requireQuestionnaire } from '../waves/wave-questionnaire';
import { ANALYSED_STATES, newPass, passResponses, type AnsweredCounts, type ResponsePass } from './response-pass';

function analysisSettingsOf(settings: WaveSettings): AnalysisSettings {
  return {
    parMaxPoints: settings.parMaxPoints,
    bandLimits: settings.bandLimits,
    minRespondents: settings.minRespondents,
    confidence: settings.confidence,
    validity: settings.validity,
  };
}

/**
 * The finite population correction is only right when the unit's answers are a sample of the
 * frame it was drawn from: a unit with anonymous imported answers (not from the drawn list), or
 * with more answers than eligible persons, gets none, and the analyst is told which.
 */
function analysisUnits(year: number, units: Unit[], frameSizes: Map<string, number>, answered: AnsweredCounts, warnings: string[]): AnalysisUnit[] {
  const uncorrected: string[] = [];
  const result = units.map((u) => {
    const counts = answered.get(u.code) ?? { drawn: 0, anonymous: 0 };
    let frameSize = frameSizes.get(u.code);
    if (frameSize !== undefined && (counts.anonymous > 0 || counts.drawn > frameSize)) {
      uncorrected.push(u.code);
      frameSize = undefined;
    }
    return { code: u.code, name: u.name, kind: u.kind, predecessors: u.predecessors, ...(frameSize ? { frameSize } : {}) };
  });
  if (uncorrected.length > 0) {
    warnings.push(
      `Năm ${year}: không hiệu chỉnh quần thể hữu hạn cho ${uncorrected.length} đơn vị có phiếu không thuộc danh sách mẫu đã chọn (${uncorrected.join(', ')})`,
    );
  }
  return result;
}

/**
 * Last year's figures: the raw answers of wave year−1 when the system holds them (they give
 * element deltas and a two-sided significance test), otherwise the published table imported
 * for this wave, otherwise none. With the notes about last year's data for the analyst.
 */
async function previousYear(db: Executor, year: number, q: Questionnaire, settings: AnalysisSettings): Promise<{ previous: PreviousYear; warnings: string[] }> {
  const prevYear = year - 1;
  const prevWave = await findWave(db, prevYear);
  const warnings: string[] = [];
  if (prevWave && (await countResponses(db, prevYear, [...ANALYSED_STATES])) > 0) {
    const prevQuestionnaire = (await findQuestionnaire(db, prevYear)) ?? q;
    const units = await listUnits(db, prevYear);
    // Tallied as read, like this year's answers: a country's last year is not held in memory.
    const tally = new PreviousTally(prevYear, analysisUnits(prevYear, units, new Map(), new Map(), []), prevQuestionnaire, settings);
    const pass = newPass();
    await passResponses(db, prevYear, prevQuestionnaire, pass, (r) => tally.add(r));
    const previous = tally.previousYear(analysisUnits(prevYear, units, await publishedFrameSizes(db, prevYear), pass.answered, warnings), q);
    return { previous, warnings };
  }
  const rows = await listPreviousIndexes(db, year);
  return { previous: rows.length > 0 ? { source: 'published', year: prevYear, rows } : null, warnings };
}

/**
 * Planned, drawn, dispatched… per unit from collection. Without a published draw (answers
 * imported from another tool) there is nothing to track and analysis counts what arrived.
 */
async function trackingInput(db: Executor, year: number): Promise<TrackingInput[] | undefined> {
  const rows = await trackingByUnit(db, year);
  if (!rows.some((r) => r.drawn > 0)) return undefined;
  return rows.map((r) => ({
    unitCode: r.unitCode,
    planned: r.planned,
    shortfall: r.shortfall,
    drawn: r.drawn,
    released: r.released,
    dispatched: r.dispatched,
    undeliverable: r.undeliverable,
    refused: r.refused,
    paperReturned: r.paperReturned,
    qrAnswered: r.qrAnswered,
    responded: r.responded,
    refusals: r.refusals,
    valid: r.valid,
    filled: r.filled,
    imported: r.imported,
    importedValid: r.importedValid,
  }));
}

/**
 * Collection marks a response invalid with the rule in force when it was entered; analysis
 * uses the wave's rule now. When the two disagree the results follow the current rule, and
 * the analyst is told, so the tracking and the tables are never silently different.
 */
function stateDisagreements({ countedButInvalid, invalidButValid }: ResponsePass): string[] {
  const notes: string[] = [];
  if (countedButInvalid > 0) {
    notes.push(`${countedButInvalid} phiếu được ghi nhận là hợp lệ khi nhập nhưng không đạt quy tắc hợp lệ hiện tại của đợt (không tính)`);
  }
  if (invalidButValid > 0) {
    notes.push(`${invalidButValid} phiếu bị đánh dấu không hợp lệ khi nhập nhưng đạt quy tắc hợp lệ hiện tại của đợt (được tính)`);
  }
  return notes;
}

export interface WaveAnalysis {
  wave: Wave;
  results: WaveResults;
}

/**
 * A wave's pass over its responses as a computation left it, with last year's figures, kept by
 * the results' thread so that its next computation reads only the responses that arrived since
 * (results-worker.ts): at 100,000 responses a whole pass takes over a second. Right while
 * `versions` are unchanged (results-versions.ts): nothing the pass reads has changed but new
 * responses, and last year not at all.
 */
export interface KeptTally {
  versions: TallyVersions;
  tally: WaveTally;
  pass: ResponsePass;
  previous: PreviousYear;
  previousWarnings: string[];
}

/** Per wave year. */
export type KeptTallies = Map<number, KeptTally>;

/**
 * `kept` if it can be carried on. On PostgreSQL a response's id is given at its insert and the
 * response seen at its commit, so one may commit after a later one the kept pass has read: the
 * pass is carried on only if it still has every response up to its last id.
 */
async function stillRight(db: Executor, year: number, kept: KeptTally | undefined, versions: TallyVersions): Promise<KeptTally | undefined> {
  if (!kept || kept.versions.resets !== versions.resets || kept.versions.lastYear !== versions.lastYear) return undefined;
  const upToLast = await countResponses(db, year, [...ANALYSED_STATES], kept.pass.lastId);
  return upToLast === kept.pass.responses ? kept : undefined;
}

/**
 * The wave's results. Call it inside readTransaction, so the tables describe one moment of the
 * wave: the wave's settings are read there too, not taken from the request. With `kept`, the
 * pass it holds for the wave is carried on when still right, and the pass made is kept there.
 */
export async function analyseWave(db: Executor, year: number, kept?: KeptTallies): Promise<WaveAnalysis> {
  const wave = await findWave(db, year);
  if (!wave) throw waveNotFound(year);
  const questionnaire = await requireQuestionnaire(db, year);
  const [units, frameSizes, versions] = await Promise.all([listUnits(db, year), publishedFrameSizes(db, year), tallyVersions(db, year)]);
  const settings = analysisSettingsOf(wave.settings);
  // Taken out while it is carried on: a pass that fails half-way is not kept.
  const candidate = kept?.get(year);
  kept?.delete(year);
  let state = await stillRight(db, year, candidate, versions);
  if (!state) {
    // Frame sizes are known to apply only once every response has been seen (analysisUnits).
    const tally = new WaveTally(questionnaire, analysisUnits(year, units, new Map(), new Map(), []), settings);
    const { previous, warnings: previousWarnings } = await previousYear(db, year, questionnaire, settings);
    state = { versions, tally, pass: newPass(), previous, previousWarnings };
  }
  const { tally, pass } = state;
  await passResponses(db, year, questionnaire, pass, (r) => tally.add(r));
  // `warnings` are notes about the data for the analyst, added after the results' own.
  const warnings: string[] = [];
  const results = tally.results({
    year,
    units: analysisUnits(year, units, frameSizes, pass.answered, warnings),
    previous: state.previous,
    tracking: await trackingInput(db, year),
  });
  results.warnings.push(...warnings, ...state.previousWarnings, ...stateDisagreements(pass));
  kept?.set(year, state);
  return { wave, results };
}
