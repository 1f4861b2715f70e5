/**
 * Uncertainty of a unit index and of its year-on-year change (SIPAS.md s.10); the method with
 * its formulas, in Vietnamese, is docs/khoang-tin-cay-va-kiem-dinh.md.
 *
 * The unit index is a mean of element means of criterion proportions, each over the
 * respondents who answered that criterion: a smooth function of ratio estimators, not a simple
 * proportion. Its variance comes from the delete-one-respondent jackknife
 *   Var_J = (n−1)/n · Σ_i (θ_(i) − θ̄)²,
 * which, without blanks, is exactly s²/n of the per-respondent scores.
 *
 * A symmetric t interval around the index covered the truth far less than 95 % of the time
 * near 100 % (the sampling distribution is skewed and a sample without its few dissatisfied
 * people shows almost no variance). The interval is therefore Korn–Graubard's: Clopper–Pearson
 * on an effective sample size n_eff = n / deff, with two changes, both checked by simulation
 * (uncertainty-simulation.test.ts):
 * - the design effect is taken from the score variance with a guard pseudo-respondent (weight
 *   ½ at 0 and ½ at 100) added to the variance, never to the index, so that a sample in which
 *   everyone happened to be satisfied does not claim a near-zero variance;
 * - the finite population correction divides n_eff by (1 − n/N), and the degrees-of-freedom
 *   factor (t_{n−1}/t_df)² of R's svyciprop(method = "beta") multiplies it (1 for one unit's
 *   simple random sample, below 1 for predecessors pooled as strata).
 *
 * A delta's interval combines the two years' intervals by MOVER (Newcombe's method for a
 * difference, Zou & Donner 2008); a delta is significant when that interval excludes 0. When
 * last year is only a published index with its respondent count, last year gets this year's
 * design effect carried to that count; without a count there is no test, only the interval of
 * this year's index minus last year's value.
 */
import betaQuantile from '@stdlib/stats-base-dists-beta-quantile';
import { addRespondent, type Counts, type IndexCalculator } from './scoring.js';

/** Valid respondents of one unit (or of pooled units), one byte per criterion. */
export class Sample {
  codes: Uint8Array;
  n = 0;
  readonly counts: Counts;

  constructor(
    readonly criteriaCount: number,
    capacity = 32,
  ) {
    this.codes = new Uint8Array(capacity * criteriaCount);
    this.counts = { sat: new Float64Array(criteriaCount), ans: new Float64Array(criteriaCount) };
  }

  append(source: Uint8Array, offset: number): void {
    const C = this.criteriaCount;
    if ((this.n + 1) * C > this.codes.length) {
      const grown = new Uint8Array(Math.max(this.codes.length * 2, C * 32));
      grown.set(this.codes);
      this.codes = grown;
    }
    this.codes.set(source.subarray(offset, offset + C), this.n * C);
    addRespondent(this.counts, this.codes, this.n * C);
    this.n++;
  }

  static pool(samples: readonly Sample[], criteriaCount: number): Sample {
    const pooled = new Sample(criteriaCount, Math.max(1, samples.reduce((s, x) => s + x.n, 0)));
    for (const s of samples) for (let i = 0; i < s.n; i++) pooled.append(s.codes, i * criteriaCount);
    return pooled;
  }
}

/** Jackknife standard error of the unit index, before any finite population correction. */
export function jackknifeSe(sample: Sample, calc: IndexCalculator): number | null {
  const { n, counts, codes, criteriaCount: C } = sample;
  if (n < 2) return null;
  const theta = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    addRespondent(counts, codes, i * C, -1);
    const t = calc.unitIndex(counts);
    addRespondent(counts, codes, i * C, +1);
    // Only possible if respondent i alone answered everything; the index then has no variance estimate.
    if (t === null) return null;
    theta[i] = t;
    sum += t;
  }
  const centre = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (theta[i] - centre) ** 2;
  return Math.sqrt(((n - 1) / n) * ss);
}

export function finitePopulationCorrection(n: number, frameSize: number | null | undefined): number {
  if (frameSize === null || frameSize === undefined || !(frameSize > 0)) return 1;
  return Math.sqrt(Math.max(0, 1 - n / frameSize));
}

export interface Interval {
  low: number;
  high: number;
}

/** Weight of each half of the guard pseudo-respondent (one at 0, one at 100). */
const GUARD_WEIGHT = 0.5;

/**
 * Design effect of an index (0–100) against a yes/no answer per respondent, from the score
 * variance n·Var_J (before the finite population correction) with the guard pseudo-respondent
 * added: deff = s²_g / (p_g (1 − p_g)), p_g = (n p + w) / (n + 2w).
 */
export function designEffect(index: number, srsSe: number, n: number): number {
  const p = index / 100;
  const s2 = n * (srsSe / 100) ** 2;
  const w = GUARD_WEIGHT;
  const pg = (n * p + w) / (n + 2 * w);
  const s2g = ((n - 1) * s2 + n * (p - pg) ** 2 + w * pg ** 2 + w * (1 - pg) ** 2) / (n + 2 * w - 1);
  return s2g / (pg * (1 - pg));
}

/**
 * Effective sample size for the Clopper–Pearson interval: n / deff, divided by (1 − n/N) when
 * the frame size N is known, times (t_{n−1}/t_df)². Infinite for a census (n ≥ N).
 */
export function effectiveSampleSize(args: {
  n: number;
  deff: number;
  frameSize?: number | null;
  df?: number;
  confidence: number;
}): number {
  const { n, deff, frameSize, confidence } = args;
  const fpc = finitePopulationCorrection(n, frameSize) ** 2;
  if (fpc === 0) return Infinity;
  const df = args.df ?? n - 1;
  const q = (1 + confidence) / 2;
  const dfFactor = n > 1 && df > 0 && df !== n - 1 ? (studentTQuantile(q, n - 1) / studentTQuantile(q, df)) ** 2 : 1;
  return (n / deff / fpc) * dfFactor;
}

/** Clopper–Pearson limits for an index (0–100) observed on nEff "trials", in index points. */
export function clopperPearson(index: number, nEff: number, confidence: number): Interval {
  if (!Number.isFinite(nEff)) return { low: index, high: index };
  const p = Math.min(1, Math.max(0, index / 100));
  const alpha = 1 - confidence;
  const x = nEff * p;
  return {
    low: p > 0 ? 100 * betaQuantile(alpha / 2, x, nEff - x + 1) : 0,
    high: p < 1 ? 100 * betaQuantile(1 - alpha / 2, x + 1, nEff - x) : 100,
  };
}

/** The Korn–Graubard-type interval of a unit index; needs n ≥ 2 (srsSe from jackknifeSe). */
export function indexInterval(args: {
  index: number;
  srsSe: number;
  n: number;
  frameSize?: number | null;
  df?: number;
  confidence: number;
}): Interval {
  const deff = designEffect(args.index, args.srsSe, args.n);
  return clopperPearson(args.index, effectiveSampleSize({ ...args, deff }), args.confidence);
}

/**
 * MOVER interval of Δ = current − previous from each year's own interval:
 *   low  = Δ − sqrt((x₁ − l₁)² + (u₀ − x₀)²),  high = Δ + sqrt((u₁ − x₁)² + (x₀ − l₀)²).
 */
export function deltaInterval(current: number, ci: Interval, previous: number, prevCi: Interval): Interval {
  const delta = current - previous;
  return {
    low: delta - Math.hypot(current - ci.low, prevCi.high - previous),
    high: delta + Math.hypot(ci.high - current, previous - prevCi.low),
  };
}

/** A delta smaller than this displays as 0,00 and is counted as unchanged. */
export const UNCHANGED_BELOW = 0.005;

export function isUnchanged(delta: number): boolean {
  return Math.abs(delta) < UNCHANGED_BELOW;
}

/** Significant: the delta's interval leaves out 0 and the change is visible at two decimals. */
export function excludesZero(delta: number, interval: Interval): boolean {
  return !isUnchanged(delta) && (interval.low > 0 || interval.high < 0);
}

/** Quantile of Student's t distribution, by bisection on the CDF (accurate to ~1e-12). */
export function studentTQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError(`studentTQuantile(${p}, ${df})`);
  if (p === 0.5) return 0;
  if (p < 0.5) return -studentTQuantile(1 - p, df);
  let hi = 1;
  while (studentTCdf(hi, df) < p) hi *= 2;
  let lo = 0;
  for (let k = 0; k < 200 && hi - lo > 1e-13 * Math.max(1, hi); k++) {
    const mid = (lo + hi) / 2;
    if (studentTCdf(mid, df) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

export function studentTCdf(t: number, df: number): number {
  const tail = 0.5 * regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

function logGamma(x: number): number {
  // Lanczos approximation (g = 7, n = 9), accurate to ~1e-15 for x > 0.
  const g = 7;
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + g + 0.5;
  for (let i = 1; i < g + 2; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The continued fraction converges fast only on this side of the mode; use symmetry otherwise.
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** Lentz's method for the continued fraction of the incomplete beta function. */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const step = d * c;
    h *= step;
    if (Math.abs(step - 1) < 1e-15) break;
  }
  return h;
}
