/**
 * A short-term correction fitted per series: an AR(1) on a seasonal model's in-sample residuals.
 * The forecast then starts from the current departure from the profile and decays toward the
 * profile at the rate the series itself shows, instead of at a fixed, global rate.
 */

/**
 * Largest AR coefficient used: 0.99. A residual series whose lag-1 regression says φ ≥ 1 (a
 * level that wanders, or too few points) would otherwise carry or even amplify today's
 * departure forever; 0.99 still keeps most of it over the first hour at 5-minute steps.
 */
export const MAX_PHI = 0.99;

/** Residual history the coefficient is estimated on: three days, recent enough to track the series. */
export const AR_WINDOW_SEC = 3 * 86_400;

/** Fewest residuals that give a usable lag-1 estimate; with fewer the correction is off. */
const MIN_RESIDUALS = 8;

/**
 * Least-squares AR(1) coefficient through the origin, `φ = Σ r_t r_{t−1} / Σ r_{t−1}²`,
 * clamped to `[0, MAX_PHI]`: a negative φ would make the forecast flip sign every step, which
 * no load metric does at forecast horizons. Returns 0 for fewer than 8 residuals or all zeros.
 * (A closed form: simple-statistics' `linearRegression` fits an intercept we do not want and
 * would need an array of pairs per call in the selector's hot path.)
 */
export function estimateAr1(residuals: ArrayLike<number>): number {
  const n = residuals.length;
  if (n < MIN_RESIDUALS) return 0;
  let cross = 0;
  let square = 0;
  let prev = residuals[0] as number;
  for (let t = 1; t < n; t++) {
    const r = residuals[t] as number;
    cross += r * prev;
    square += prev * prev;
    prev = r;
  }
  if (!(square > 0)) return 0;
  return Math.min(MAX_PHI, Math.max(0, cross / square));
}

/**
 * Adds `last · φ^(h+1)` to `out[h]` in place: the AR(1) forecast of the residual `h + 1` steps
 * after the last one, so the correction is `φ · last` at the first step and fades geometrically.
 */
export function addArCorrection(out: Float64Array, last: number, phi: number): void {
  let e = last;
  for (let h = 0; h < out.length; h++) {
    e *= phi;
    if (e === 0) break;
    out[h] = (out[h] as number) + e;
  }
}
