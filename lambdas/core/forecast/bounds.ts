import { type Backtest, errorFloor } from './backtest';
import { quantileLinearSorted } from './quantile';
import { quantileInPlace } from './robust-stats';

/** Fewest pooled errors behind each horizon step's quantile; fewer makes a p90 little more than a max. */
const MIN_POOLED_ERRORS = 30;

/**
 * Upper bound = point + the `quantile` of the model's own out-of-sample relative errors at that
 * horizon (see {@link Backtest.errors}) times `max(|point|, floor)`: a margin that scales with
 * the forecast, so it is widest at the peaks. Each step pools the errors of neighbouring steps across origins so
 * the quantile rests on at least {@link MIN_POOLED_ERRORS} values; steps beyond the validated
 * horizon reuse the last validated step. The bound is never below the point forecast. With no
 * validation errors (short history) it falls back to {@link randomWalkBound}.
 */
export function upperBound(
  point: Float64Array,
  errors: readonly Float64Array[],
  quantile: number,
  history: Float64Array,
): Float64Array {
  const first = errors[0];
  if (first === undefined || first.length === 0) return randomWalkBound(point, history, quantile);
  const hv = first.length;
  const v = errors.length;
  const half = Math.max(0, Math.ceil((MIN_POOLED_ERRORS / v - 1) / 2));
  const pool = new Float64Array(v * (2 * half + 1));
  const margin = new Float64Array(hv);
  for (let h = 0; h < hv; h++) {
    const lo = Math.max(0, h - half);
    const hi = Math.min(hv - 1, h + half);
    let k = 0;
    for (const e of errors) for (let i = lo; i <= hi; i++) pool[k++] = e[i] as number;
    margin[h] = Math.max(0, quantileInPlace(pool, k, quantile));
  }
  const floor = errorFloor(history);
  const upper = new Float64Array(point.length);
  for (let h = 0; h < point.length; h++) {
    const p = point[h] as number;
    upper[h] = p + (margin[Math.min(h, hv - 1)] as number) * Math.max(Math.abs(p), floor);
  }
  return upper;
}

/**
 * Fallback when no out-of-sample errors exist: treat the series as a random walk, whose h-step
 * error grows like sqrt(h) times the one-step change, and take the quantile of the observed
 * absolute one-step changes.
 */
export function randomWalkBound(point: Float64Array, history: Float64Array, quantile: number): Float64Array {
  const diffs = new Float64Array(Math.max(0, history.length - 1));
  for (let t = 1; t < history.length; t++) {
    diffs[t - 1] = Math.abs((history[t] as number) - (history[t - 1] as number));
  }
  const step = diffs.length === 0 ? 0 : quantileLinearSorted(diffs.sort(), quantile);
  const upper = new Float64Array(point.length);
  for (let h = 0; h < point.length; h++) upper[h] = (point[h] as number) + step * Math.sqrt(h + 1);
  return upper;
}
