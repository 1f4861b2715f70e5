import type { Questionnaire } from './questionnaire.js';
import type { Collected } from './samples.js';

export type UnitKind = 'department' | 'district' | 'commune';

/** Report order of the kinds: provincial agencies first, as in the provincial report. */
export const UNIT_KINDS: readonly UnitKind[] = ['department', 'district', 'commune'];

export type ResponseChannel = 'paper' | 'qr' | 'import';

export const RESPONSE_CHANNELS: readonly ResponseChannel[] = ['paper', 'qr', 'import'];

export interface AnalysisUnit {
  code: string;
  name: string;
  kind: UnitKind;
  /** null = not given → last year's unit with the same code; [] = a new unit (no delta). */
  predecessors: string[] | null;
  /** N eligible persons in the frame, for the finite population correction. */
  frameSize?: number;
}

export interface ResponseRecord {
  unitCode: string;
  channel: ResponseChannel;
  /**
   * Item code → 1..5, or null for blank / "không ý kiến". Anything else (0, 6, 2.5) is not a
   * point of the scale and is treated as blank rather than guessed at.
   */
  answers: Record<string, number | null>;
  /** Single-choice items: option code; multi-choice items: option codes. Free text is never passed. */
  profile: Record<string, string | string[] | null>;
}

export interface AnalysisSettings {
  parMaxPoints: number;
  /** Lower limits of the bands, compared on unrounded indexes. */
  bandLimits: { high: number; mid: number };
  /** Units with fewer valid respondents are flagged and not ranked. */
  minRespondents: number;
  confidence: number;
  validity: { minAnsweredShare: number };
}

export const defaultAnalysisSettings: AnalysisSettings = {
  parMaxPoints: 32,
  bandLimits: { high: 90, mid: 80 },
  minRespondents: 10,
  confidence: 0.95,
  validity: { minAnsweredShare: 0.5 },
};

export interface PublishedRow {
  unitCode: string;
  unitName: string;
  index: number;
  respondents: number | null;
  /** Lets last year's group average include units that have no successor this year. */
  unitKind?: UnitKind;
}

export type PreviousYear =
  | ({
      source: 'raw';
      year: number;
      units: AnalysisUnit[];
      /** Last year's questionnaire version when it differs from this year's. */
      questionnaire?: Questionnaire;
    } & (
      | { responses: ResponseRecord[] }
      /** The same answers already tallied as they were read (PreviousTally), none of them held. */
      | { tallied: Collected }
    ))
  | { source: 'published'; year: number; rows: PublishedRow[] }
  | null;

/**
 * Collection figures per unit (SIPAS.md s.11, table 4). A case, in AAPOR's sense, is a released
 * questionnaire of the drawn list; rows from outside the list are counted apart and enter no rate.
 */
export interface TrackingInput {
  unitCode: string;
  /** Primary sample size the published draw planned for the unit (its allocation). */
  planned: number;
  /** Planned but not drawn: the frame had fewer eligible people (planned − primaries drawn). */
  shortfall: number;
  /** Primaries + reserves drawn. */
  drawn: number;
  /** The cases: primaries, and reserves released to replace someone. */
  released: number;
  dispatched: number;
  undeliverable: number;
  refused: number;
  /** Questionnaires with a keyed paper form (counted or not, double entry done or not). */
  paperReturned: number;
  qrAnswered: number;
  /** Released questionnaires with any answer back (paper keyed or QR, valid or not), each once. */
  responded: number;
  /** Released questionnaires marked refused that sent no answer (AAPOR R). */
  refusals: number;
  /** Released questionnaires whose response is counted in the index (AAPOR I). */
  valid: number;
  /** Planned places filled: primaries whose own or replacing questionnaire has a counted response. */
  filled: number;
  /** Responses from outside the drawn list: imported rows naming only the unit. */
  imported: number;
  /** Of those, the ones counted in the index. */
  importedValid: number;
}

/**
 * What the tracking page shows per unit beyond the figures the analysis uses (counts only,
 * never personal data).
 */
export interface CollectionCounts extends Omit<TrackingInput, 'unitCode'> {
  /** Responses kept for a person to look at (a second answer to the same questionnaire). */
  review: number;
  /** Responses below the validity rule. */
  invalid: number;
  /** Double entry: forms keyed once, waiting for the second keying. */
  awaitingSecondPass: number;
  /** Double entry: forms whose two keyings differ, waiting for a supervisor. */
  mismatched: number;
  /** Reserves not yet used. */
  reservesLeft: number;
}

export interface UnitCollection extends CollectionCounts {
  unitCode: string;
  unitName: string;
  unitKind: string;
}

export type Band = 'high' | 'mid' | 'low';

/**
 * raw: last year's answers are in the system; published: last year's published index and
 * respondent count, with this year's design effect; untestable: a published index without a
 * respondent count.
 */
export type DeltaTest = 'raw' | 'published' | 'untestable';

export interface UnitResult {
  code: string;
  name: string;
  kind: UnitKind;
  /** Valid responses, i.e. those counted in the index. */
  respondents: number;
  /** Responses of this unit excluded by the validity rule. */
  invalidResponses: number;
  frameSize: number | null;
  index: number | null;
  /** Standard error of the index (jackknife, with FPC when frameSize is known). */
  se: number | null;
  /** Korn–Graubard-type interval (docs/khoang-tin-cay-va-kiem-dinh.md). */
  ciLow: number | null;
  ciHigh: number | null;
  /** The interval is wider than one band (bandLimits.high − bandLimits.mid): band and rank are not reliable. */
  wideInterval: boolean;
  /** Element code → element index. */
  elements: Record<string, number | null>;
  /** Criterion code → criterion index. */
  criteria: Record<string, number | null>;
  prevIndex: number | null;
  prevSe: number | null;
  prevRespondents: number | null;
  /** Last year's element indexes through lineage; only known when last year is raw. */
  prevElements: Record<string, number | null> | null;
  /** Last year's unit codes that the previous value was computed from. */
  predecessorsUsed: string[];
  delta: number | null;
  /** The delta's own interval (MOVER); with `deltaTest` 'untestable' only this year's uncertainty. */
  deltaLow: number | null;
  deltaHigh: number | null;
  /** How the delta was tested; null when there is no delta. */
  deltaTest: DeltaTest | null;
  isNew: boolean;
  /** The delta's interval leaves out 0; null when there is no delta or it cannot be tested. */
  significant: boolean | null;
  band: Band | null;
  rank: number | null;
  belowMinimum: boolean;
  parPoints: number | null;
}

export interface BandCounts {
  high: number;
  mid: number;
  low: number;
}

export interface GroupResult {
  kind: UnitKind;
  units: number;
  /** Units that have at least one valid response (and so an index). */
  unitsWithIndex: number;
  belowMinimum: number;
  respondents: number;
  average: number | null;
  /** Mean of last year's indexes over last year's units of this kind. */
  prevAverage: number | null;
  delta: number | null;
  bandCounts: BandCounts;
  rising: number;
  falling: number;
  unchanged: number;
  new: number;
  atOrAbove90: number;
  parPoints: number | null;
}

export interface CriterionRow {
  code: string;
  label: string;
  element: string;
  /** Unit code → criterion index. */
  units: Record<string, number | null>;
  /** Mean over units of each kind (each unit weighs the same, like the group averages). */
  byKind: Partial<Record<UnitKind, number | null>>;
  /** Mean over all units. */
  overall: number | null;
  /** Over all valid responses pooled (larger units weigh more). */
  pooled: number | null;
}

/** Rates in % (null when their base is 0 or unknown); definitions in analysis/tracking-table.ts. */
export interface TrackingRates {
  /** Filled planned places ÷ planned. */
  plan: number | null;
  /** AAPOR RR1: valid ÷ released. */
  response: number | null;
  /** AAPOR CON1: (responded + refusals) ÷ released. */
  contact: number | null;
  /** AAPOR REF1: refusals ÷ released. */
  refusal: number | null;
}

/** Collection figures are null when no draw was published (answers imported from another tool). */
export interface TrackingFigures {
  planned: number | null;
  shortfall: number | null;
  drawn: number | null;
  released: number | null;
  dispatched: number | null;
  undeliverable: number | null;
  refused: number | null;
  paperReturned: number;
  qrAnswered: number;
  /** Questionnaires of the list with any answer back, each once; without a draw, paper + QR answers as they arrived. */
  returned: number;
  refusals: number | null;
  valid: number | null;
  filled: number | null;
  /** Responses from outside the drawn list (imported naming only the unit). */
  imported: number;
  /** Of those, counted in the index; null without collection figures. */
  importedValid: number | null;
  /** Responses counted in the index by this analysis, from the list and from outside it. */
  counted: number;
  rates: TrackingRates;
}

export interface TrackingRow extends TrackingFigures {
  unitCode: string;
  unitName: string;
  kind: UnitKind;
}

export interface ProfileCount {
  overall: number;
  byKind: Partial<Record<UnitKind, number>>;
}

export interface ProfileRow extends ProfileCount {
  /** Option code; null for the "no answer" row. */
  option: string | null;
  label: string;
}

export interface ProfileTable {
  item: string;
  label: string;
  multi: boolean;
  /** Number of valid respondents the percentages are taken over. */
  base: ProfileCount;
  rows: ProfileRow[];
}

export interface ChannelResult {
  unitCode: string;
  unitName: string;
  kind: UnitKind;
  channels: Record<ResponseChannel, { respondents: number; index: number | null }>;
}

export interface WaveResults {
  year: number;
  questionnaireVersion: string;
  settings: AnalysisSettings;
  elements: { code: string; label: string }[];
  previous: { year: number; source: 'raw' | 'published' } | null;
  units: UnitResult[];
  groups: GroupResult[];
  criteria: CriterionRow[];
  tracking: { rows: TrackingRow[]; total: TrackingFigures };
  profile: ProfileTable[];
  byChannel: ChannelResult[];
  excluded: { invalid: number; unknownUnit: number };
  /** Data problems that did not stop the analysis (unknown unit codes, missing predecessors…). */
  warnings: string[];
}
