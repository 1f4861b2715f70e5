/**
 * Loads what the analysis library needs for one wave from the database and computes the SIPAS
 * tables (SIPAS.md s.3, s.10–11). Analysis never reads the contacts table: the results hold no
 * personal data, and neither does anything built from them.
 */
import type { Questionnaire } from '../../../analysis/questionnaire';
import { isValidResponse } from '../../../analysis/scoring';
import type {
  AnalysisSettings,
  AnalysisUnit,
  PreviousYear,
  ResponseRecord,
  TrackingInput,
  WaveResults,
} from '../../../analysis/types';
import { computeWaveResults, type WaveInput } from '../../../analysis/wave-results';
import type { Executor } from '../../db/schema';
import { countResponses, publishedFrameSizes } from '../../repositories/analysis-sources';
import { listPreviousIndexes } from '../../repositories/previous-indexes';
import { findQuestionnaire } from '../../repositories/questionnaire-versions';
import { listResponses, type StoredResponse } from '../../repositories/responses';
import { trackingByUnit } from '../../repositories/tracking';
import { listUnits } from '../../repositories/units';
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

/**
 * The finite population correction is only right when the unit's answers are a sample of the
 * frame it was drawn from: a unit with anonymous imported answers (not from the drawn list), or
 * with more answers than eligible persons, gets none, and the analyst is told which.
 */
async function analysisUnits(db: Executor, year: number, stored: StoredResponse[], warnings: string[]): Promise<AnalysisUnit[]> {
  const [units, frameSizes] = await Promise.all([listUnits(db, year), publishedFrameSizes(db, year)]);
  const answered = new Map<string, { drawn: number; anonymous: number }>();
  for (const r of stored) {
    const counts = answered.get(r.unitCode) ?? { drawn: 0, anonymous: 0 };
    if (r.questionnaireId === null) counts.anonymous++;
    else counts.drawn++;
    answered.set(r.unitCode, counts);
  }
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

async function analysisResponses(db: Executor, year: number, q: Questionnaire) {
  const choiceItems = new Set(q.profile.map((p) => p.code));
  const stored = await listResponses(db, year, [...ANALYSED_STATES]);
  return { stored, records: stored.map((r) => toRecord(r, choiceItems)) };
}

/**
 * Last year's figures: the raw answers of wave year−1 when the system holds them (they give
 * element deltas and a two-sided significance test), otherwise the published table imported
 * for this wave, otherwise none.
 */
async function previousYear(db: Executor, year: number, q: Questionnaire, warnings: string[]): Promise<PreviousYear> {
  const prevYear = year - 1;
  const prevWave = await findWave(db, prevYear);
  if (prevWave && (await countResponses(db, prevYear, [...ANALYSED_STATES])) > 0) {
    const prevQuestionnaire = (await findQuestionnaire(db, prevYear)) ?? q;
    const { stored, records } = await analysisResponses(db, prevYear, prevQuestionnaire);
    return {
      source: 'raw',
      year: prevYear,
      units: await analysisUnits(db, prevYear, stored, warnings),
      responses: records,
      ...(prevQuestionnaire.version !== q.version ? { questionnaire: prevQuestionnaire } : {}),
    };
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

/** `warnings` are notes about the data for the analyst, added to the results' own. */
async function loadWaveInput(db: Executor, wave: Wave): Promise<{ input: WaveInput; stored: StoredResponse[]; warnings: string[] }> {
  const questionnaire = await requireQuestionnaire(db, wave.year);
  const settings = analysisSettingsOf(wave.settings);
  const warnings: string[] = [];
  const { stored, records } = await analysisResponses(db, wave.year, questionnaire);
  return {
    input: {
      year: wave.year,
      questionnaire,
      units: await analysisUnits(db, wave.year, stored, warnings),
      responses: records,
      previous: await previousYear(db, wave.year, questionnaire, warnings),
      settings,
      tracking: await trackingInput(db, wave.year),
    },
    stored,
    warnings,
  };
}

/**
 * Collection marks a response invalid with the rule in force when it was entered; analysis
 * uses the wave's rule now. When the two disagree the results follow the current rule, and
 * the analyst is told, so the tracking and the tables are never silently different.
 */
function stateDisagreements(input: WaveInput, stored: StoredResponse[], records: ResponseRecord[]): string[] {
  let countedButInvalid = 0;
  let invalidButValid = 0;
  records.forEach((r, i) => {
    const valid = isValidResponse(r, input.questionnaire, input.settings);
    if (stored[i].state === 'counted' && !valid) countedButInvalid++;
    if (stored[i].state === 'invalid' && valid) invalidButValid++;
  });
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
  const { input, stored, warnings } = await loadWaveInput(db, wave);
  const results = computeWaveResults(input);
  results.warnings.push(...warnings, ...stateDisagreements(input, stored, input.responses));
  return { wave, results };
}

/** The dashboard's data: the results, and how many of last year's published indexes are imported. */
export async function analysisDashboard(db: Executor, year: number): Promise<WaveAnalysis & { publishedRows: number }> {
  const analysis = await analyseWave(db, year);
  return { ...analysis, publishedRows: (await listPreviousIndexes(db, year)).length };
}
