/**
 * Forecast accuracy metrics, exactly as FORECAST-PROTOCOL.md defines them. The selector, the
 * accuracy benchmark and the backtest simulator all score through these functions.
 */
import { quantileLinearSorted } from './quantile';

type Values = ArrayLike<number>;

/**
 * Below this share of the training window's mean absolute value, a MASE scale is rounding noise:
 * an exactly repeating history (say a sine computed in floating point) has seasonal differences of
 * 1e-14, and dividing errors of the same noise by them printed MASE 1.5 beside an sMAPE of 0.0 %.
 * The selector floors its scale here too (`flooredScale` in backtest.ts); real traces' scales sit
 * at 1e-3 of their mean and above.
 */
export const NEGLIGIBLE_SCALE = 1e-9;

/**
 * MASE scale: the in-sample mean absolute seasonal difference `mean_{t>=m} |x_t - x_{t-m}|` of
 * the training window. Returns NaN when the window is not longer than one period, and when it has
 * no seasonal variation (the scale is 0, or at most a billionth of the window's mean absolute
 * value): MASE is undefined there, not 0 or Infinity.
 */
export function maseScale(train: Values, period: number): number {
  const n = train.length;
  if (n <= period) return Number.NaN;
  let sum = 0;
  let abs = 0;
  for (let t = 0; t < n; t++) {
    abs += Math.abs(train[t] as number);
    if (t >= period) sum += Math.abs((train[t] as number) - (train[t - period] as number));
  }
  const scale = sum / (n - period);
  return scale > (NEGLIGIBLE_SCALE * abs) / n ? scale : Number.NaN;
}

/**
 * Fewest periods of training a MASE scale is taken from: 2, so the scale averages at least one
 * full period of seasonal differences and every time of day weighs in. With one period and a few
 * steps it rests on those few differences, all from one time of day (one difference: the 03:00
 * change between two nights), and a validation MASE divided by it was 0.32 or 44 for the same
 * forecasts depending on where the origin fell. FORECAST-PROTOCOL.md likewise drops an origin with
 * less than 2 days of history.
 */
export const MIN_SCALE_PERIODS = 2;

/** Whether a training window of `n` points is long enough for a MASE scale; see {@link MIN_SCALE_PERIODS}. */
export function hasMaseScale(n: number, period: number): boolean {
  return n >= MIN_SCALE_PERIODS * period;
}

/** Mean absolute error over the first `h` points (default: all of `actual`). */
export function meanAbsoluteError(actual: Values, forecast: Values, h = actual.length): number {
  let sum = 0;
  for (let i = 0; i < h; i++) sum += Math.abs((actual[i] as number) - (forecast[i] as number));
  return sum / h;
}

/**
 * Mean absolute scaled error of the first `h` points against a precomputed {@link maseScale}.
 * NaN (undefined) without a positive scale, even for a perfect forecast: a history with no
 * seasonal variation gives nothing to scale by.
 */
export function mase(actual: Values, forecast: Values, scale: number, h = actual.length): number {
  if (!(scale > 0)) return Number.NaN;
  return meanAbsoluteError(actual, forecast, h) / scale;
}

/** Symmetric MAPE in percent over the first `h` points; a term where both are zero counts 0. */
export function smape(actual: Values, forecast: Values, h = actual.length): number {
  let sum = 0;
  for (let i = 0; i < h; i++) {
    const y = actual[i] as number;
    const f = forecast[i] as number;
    const denom = Math.abs(y) + Math.abs(f);
    if (denom > 0) sum += (2 * Math.abs(y - f)) / denom;
  }
  return (100 * sum) / h;
}

/**
 * Bias in percent of the actual volume: `100 * Σ(f - y) / Σ|y|`; positive means over-forecast.
 * NaN (undefined) when the actuals are all zero, or there are none: a share of no volume has no
 * value, and 0 would call a forecast that over-forecasts every point unbiased.
 */
export function bias(actual: Values, forecast: Values): number {
  let diff = 0;
  let volume = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] as number;
    diff += (forecast[i] as number) - y;
    volume += Math.abs(y);
  }
  return volume === 0 ? Number.NaN : (100 * diff) / volume;
}

/** Peak coverage: how many of the peak points the forecast covers, and how many peaks there were. */
export interface PeakCoverage {
  /** Share of peak points where the forecast is at least 0.9 × actual, in [0, 1]; NaN with no peaks. */
  readonly coverage: number;
  readonly peaks: number;
}

/**
 * Peak coverage over pooled actuals: the peak set is the points at or above the actuals' 90th
 * percentile and above 0; a peak is covered when the forecast is at least 0.9 × actual.
 */
export function peakCoverage(actual: Values, forecast: Values): PeakCoverage {
  const sorted = Float64Array.from(actual).sort();
  if (sorted.length === 0) return { coverage: Number.NaN, peaks: 0 };
  const threshold = quantileLinearSorted(sorted, 0.9);
  let peaks = 0;
  let covered = 0;
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i] as number;
    if (y < threshold || y <= 0) continue;
    peaks++;
    if ((forecast[i] as number) >= 0.9 * y) covered++;
  }
  return { coverage: peaks === 0 ? Number.NaN : covered / peaks, peaks };
}
