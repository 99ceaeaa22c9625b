import { type Backtest, errorFloor } from './backtest';
import { quantileLinearSorted } from './quantile';
import { quantileInPlace } from './robust-stats';

/**
 * Upper bound = point + the `quantile` of the model's own out-of-sample relative errors (see
 * {@link Backtest.errors}) times `max(|point|, floor)`: a margin that scales with the forecast,
 * so it is widest at the peaks. All validated steps of all origins are pooled into one quantile
 * (about 860 errors at 5-minute steps), not one quantile per horizon step: three origins give a
 * per-step quantile of about 30 errors that is little more than their maximum at one time of day
 * and noise at the next. On the 15 non-reference NAB traces the pooled p90 raised the median
 * peak coverage of the bound from 0.67 to 0.88 while its median bias fell from +51 % to +45 %.
 * The bound is never below the point forecast. With no validation errors (short history) it
 * falls back to {@link randomWalkBound}.
 */
export function upperBound(
  point: Float64Array,
  errors: readonly Float64Array[],
  quantile: number,
  history: Float64Array,
): Float64Array {
  let count = 0;
  for (const e of errors) count += e.length;
  if (count === 0) return randomWalkBound(point, history, quantile);
  const pool = new Float64Array(count);
  let k = 0;
  for (const e of errors) {
    pool.set(e, k);
    k += e.length;
  }
  const margin = Math.max(0, quantileInPlace(pool, count, quantile));
  const floor = errorFloor(history);
  const upper = new Float64Array(point.length);
  for (let h = 0; h < point.length; h++) {
    const p = point[h] as number;
    upper[h] = p + margin * Math.max(Math.abs(p), floor);
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
