import type { Questionnaire } from './questionnaire.js';

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
  | {
      source: 'raw';
      year: number;
      units: AnalysisUnit[];
      responses: ResponseRecord[];
      /** Last year's questionnaire version when it differs from this year's. */
      questionnaire?: Questionnaire;
    }
  | { source: 'published'; year: number; rows: PublishedRow[] }
  | null;

export interface TrackingInput {
  unitCode: string;
  planned: number;
  drawn: number;
  dispatched: number;
  undeliverable: number;
  refused: number;
  paperReturned: number;
  qrAnswered: number;
  imported: number;
  valid: number;
}

/**
 * What the tracking page shows per unit beyond the figures the analysis uses (counts only,
 * never personal data).
 */
export interface CollectionCounts extends Omit<TrackingInput, 'unitCode'> {
  /** Questionnaires that may be printed: primaries, and reserves released to replace someone. */
  released: number;
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
  /** Questionnaires with any answer back (paper keyed or QR), each counted once. */
  responded: number;
}

export interface UnitCollection extends CollectionCounts {
  unitCode: string;
  unitName: string;
  unitKind: string;
}

export type Band = 'high' | 'mid' | 'low';

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
  ciLow: number | null;
  ciHigh: number | null;
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
  isNew: boolean;
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

export interface TrackingFigures {
  planned: number | null;
  drawn: number | null;
  dispatched: number | null;
  undeliverable: number | null;
  refused: number | null;
  paperReturned: number;
  qrAnswered: number;
  imported: number;
  returned: number;
  /** Valid as recorded by collection (statuses); null when no tracking input was given. */
  valid: number | null;
  /** Responses counted in the index by this analysis. */
  counted: number;
  /** returned / planned × 100. */
  returnRate: number | null;
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
