/**
 * Loads what the analysis library needs for one wave from the database and computes the SIPAS
 * tables (SIPAS.md s.3, s.10–11). Analysis never reads the contacts table: the results hold no
 * personal data, and neither does anything built from them.
 */
import type { Questionnaire } from '../../../analysis/questionnaire';
import type {
  AnalysisSettings,
  AnalysisUnit,
  PreviousYear,
  ResponseRecord,
  TrackingInput,
  WaveResults,
} from '../../../analysis/types';
import { PreviousTally } from '../../../analysis/previous';
import { WaveTally } from '../../../analysis/wave-results';
import type { Executor } from '../../db/schema';
import { countResponses, publishedFrameSizes } from '../../repositories/analysis-sources';
import { listPreviousIndexes } from '../../repositories/previous-indexes';
import { findQuestionnaire } from '../../repositories/questionnaire-versions';
import { responseBatches, type StoredResponse } from '../../repositories/responses';
import { trackingByUnit } from '../../repositories/tracking';
import { listUnits, type Unit } from '../../repositories/units';
import { findWave, type Wave, type WaveSettings } from '../../repositories/waves';
import { waveNotFound } from '../waves/wave-policy';
import { requireQuestionnaire } from '../waves/wave-questionnaire';

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
 * Responses the collection side marked counted or invalid. Both go to analysis, which applies
 * the wave's validity rule itself, so a rule changed after entry takes effect everywhere.
 * Duplicates kept for review and pending double-entry forms are not results.
 */
export const ANALYSED_STATES = ['counted', 'invalid'] as const;

/**
 * Only the questionnaire's choice items reach analysis: anything else stored with the answers
 * (free text from older forms, the comment) may name people.
 */
function toRecord(r: StoredResponse, choiceItems: Set<string>): ResponseRecord {
  const profile: ResponseRecord['profile'] = {};
  for (const [code, value] of Object.entries(r.profile)) if (choiceItems.has(code)) profile[code] = value;
  return { unitCode: r.unitCode, channel: r.channel, answers: r.answers, profile };
}

/** Per unit: responses from the drawn list and anonymous ones (imported rows naming only the unit). */
type AnsweredCounts = Map<string, { drawn: number; anonymous: number }>;

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

/** What one pass over a wave's responses tells the service besides the tables. */
interface ResponsePass {
  answered: AnsweredCounts;
  /** Stored as counted, invalid under the wave's rule now; and the other way round. */
  countedButInvalid: number;
  invalidButValid: number;
}

/**
 * Reads the wave's analysed responses in batches and hands each to `onRecord` as the analysis
 * library's record, keeping none: a wave of a million responses never sits in memory whole.
 * `onRecord` returns whether the response is valid under the wave's rule when it applies it.
 */
async function passResponses(db: Executor, year: number, q: Questionnaire, onRecord: (r: ResponseRecord) => boolean | void): Promise<ResponsePass> {
  const choiceItems = new Set(q.profile.map((p) => p.code));
  const pass: ResponsePass = { answered: new Map(), countedButInvalid: 0, invalidButValid: 0 };
  for await (const batch of responseBatches(db, year, [...ANALYSED_STATES])) {
    for (const r of batch) {
      let counts = pass.answered.get(r.unitCode);
      if (!counts) pass.answered.set(r.unitCode, (counts = { drawn: 0, anonymous: 0 }));
      if (r.questionnaireId === null) counts.anonymous++;
      else counts.drawn++;
      const valid = onRecord(toRecord(r, choiceItems));
      if (r.state === 'counted' && valid === false) pass.countedButInvalid++;
      if (r.state === 'invalid' && valid === true) pass.invalidButValid++;
    }
  }
  return pass;
}

/**
 * Last year's figures: the raw answers of wave year−1 when the system holds them (they give
 * element deltas and a two-sided significance test), otherwise the published table imported
 * for this wave, otherwise none.
 */
async function previousYear(db: Executor, year: number, q: Questionnaire, settings: AnalysisSettings, warnings: string[]): Promise<PreviousYear> {
  const prevYear = year - 1;
  const prevWave = await findWave(db, prevYear);
  if (prevWave && (await countResponses(db, prevYear, [...ANALYSED_STATES])) > 0) {
    const prevQuestionnaire = (await findQuestionnaire(db, prevYear)) ?? q;
    const units = await listUnits(db, prevYear);
    // Tallied as read, like this year's answers: a country's last year is not held in memory.
    const tally = new PreviousTally(prevYear, analysisUnits(prevYear, units, new Map(), new Map(), []), prevQuestionnaire, settings);
    const { answered } = await passResponses(db, prevYear, prevQuestionnaire, (r) => tally.add(r));
    return tally.previousYear(analysisUnits(prevYear, units, await publishedFrameSizes(db, prevYear), answered, warnings), q);
  }
  const rows = await listPreviousIndexes(db, year);
  return rows.length > 0 ? { source: 'published', year: prevYear, rows } : null;
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
 * The wave's results. Call it inside readTransaction, so the tables describe one moment of the
 * wave: the wave's settings are read there too, not taken from the request.
 */
export async function analyseWave(db: Executor, year: number): Promise<WaveAnalysis> {
  const wave = await findWave(db, year);
  if (!wave) throw waveNotFound(year);
  const questionnaire = await requireQuestionnaire(db, year);
  const [units, frameSizes] = await Promise.all([listUnits(db, year), publishedFrameSizes(db, year)]);
  // Frame sizes are known to apply only once every response has been seen (analysisUnits).
  const settings = analysisSettingsOf(wave.settings);
  const tally = new WaveTally(questionnaire, analysisUnits(year, units, new Map(), new Map(), []), settings);
  const pass = await passResponses(db, year, questionnaire, (r) => tally.add(r));
  // `warnings` are notes about the data for the analyst, added after the results' own.
  const warnings: string[] = [];
  const results = tally.results({
    year,
    units: analysisUnits(year, units, frameSizes, pass.answered, warnings),
    previous: await previousYear(db, year, questionnaire, settings, warnings),
    tracking: await trackingInput(db, year),
  });
  results.warnings.push(...warnings, ...stateDisagreements(pass));
  return { wave, results };
}
