/**
 * Uncertainty of a unit index (SIPAS.md s.10).
 *
 * The unit index is a mean of element means of criterion proportions, each proportion taken
 * over the respondents who answered that criterion. With blanks it is a smooth non-linear
 * function of ratio estimators, not a simple proportion or a mean of per-respondent scores,
 * so the textbook p(1−p)/n formula does not apply.
 *
 * Method: delete-one-respondent jackknife. θ_(i) is the unit index recomputed without
 * respondent i (criteria, elements and blanks handled exactly as in the index itself), and
 *   Var_J = (n−1)/n · Σ_i (θ_(i) − θ̄)²,   θ̄ = mean of θ_(i).
 * When there are no blanks the index equals the mean of the per-respondent scores
 *   s_i = mean_e mean_{c∈e} 100·[x_ic ∈ {4,5}],
 * and Var_J reduces exactly to the textbook s²/n of that mean; with blanks it is the usual
 * linearisation-consistent estimate for ratio estimators. It is deterministic (no random
 * numbers, unlike a bootstrap) and costs O(n·C): each θ_(i) is obtained by subtracting
 * respondent i's counts from the unit totals, never by recomputing from scratch.
 *
 * Respondents are drawn without replacement from N eligible persons, so when N (the frame
 * size) is known the standard error is multiplied by the finite population correction
 * sqrt(1 − n/N). The interval is index ± t_{(1+conf)/2, n−1}·SE, clipped to [0, 100].
 * It needs n ≥ 2.
 *
 * Significance of a year-on-year delta: Welch's test. With raw data both years,
 *   t = Δ / sqrt(SE_t² + SE_{t−1}²), df by Welch–Satterthwaite.
 * When last year is known only from published figures there is no SE_{t−1}; last year's
 * value is then treated as a fixed benchmark (t = Δ / SE_t, df = n_t − 1). That ignores last
 * year's own sampling error, so it flags somewhat more deltas as significant than a full
 * two-sample test would: the flag is a lower bound on caution, and the report says so.
 */
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

export function confidenceInterval(
  index: number,
  se: number,
  n: number,
  confidence: number,
): { low: number; high: number } {
  const half = studentTQuantile((1 + confidence) / 2, n - 1) * se;
  return { low: Math.max(0, index - half), high: Math.min(100, index + half) };
}

/** A delta smaller than this displays as 0,00 and is counted as unchanged. */
export const UNCHANGED_BELOW = 0.005;

export function isUnchanged(delta: number): boolean {
  return Math.abs(delta) < UNCHANGED_BELOW;
}

export function deltaIsSignificant(args: {
  delta: number;
  se: number;
  n: number;
  prevSe: number | null;
  prevN: number | null;
  confidence: number;
}): boolean {
  const { delta, se, n, prevSe, prevN, confidence } = args;
  const v1 = se * se;
  const v2 = prevSe !== null && prevN !== null && prevN >= 2 ? prevSe * prevSe : null;
  const variance = v1 + (v2 ?? 0);
  // Zero variance happens for a census (n = N) or identical answers: any visible change is real.
  if (variance === 0) return !isUnchanged(delta);
  const df = v2 === null ? n - 1 : variance ** 2 / (v1 ** 2 / (n - 1) + v2 ** 2 / (prevN! - 1));
  return Math.abs(delta) / Math.sqrt(variance) > studentTQuantile((1 + confidence) / 2, df);
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
