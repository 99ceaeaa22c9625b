/**
 * The pieces of a robust decomposition that touch every point of the window (see `decompose.ts`):
 * reference levels, the weekly residual profile, and the day medians and robust sigma of the
 * deseasonalised series. They work in caller-provided scratch because they run four times per
 * series in the selector's hot path.
 */
import { medianCounted, robustSigmaOfSamples, type SigmaGuess } from './median-near';
import { circularSmooth, medianOf, SIGMA_SAMPLE } from './robust-stats';
import type { FitWorkspace } from './series-cache';

/** Residuals beyond this many robust sigmas are clipped (Huber) before they shape the weekly profile. */
const HUBER_K = 2.5;

/**
 * Half-width of the moving average over the weekly residual profile: four hours either side.
 * Fourteen days give each weekly slot two samples, so the profile is mostly noise at the scale of
 * an hour; what it must carry is the weekday/weekend level and the broad shape of each day. Widening
 * the average from ±1 h to ±4 h cut the median MASE of the six reference series from 0.633 to 0.600
 * (1 h) and 0.797 to 0.779 (24 h); of the 15 other NAB traces, 8 improved at 24 h and 6 got worse
 * (two by under 0.001); their median moved 0.729 → 0.734, their mean at 1 h 0.488 → 0.481.
 * ±30 min, ±2 h, ±3 h, ±5 h, ±6 h and ±12 h were tried (docs/forecasting-experiments.md).
 */
export const WEEKLY_SMOOTH_SEC = 4 * 3600;

/**
 * Weekly residual profile: the mean, per weekly slot, of the Huber-clipped residuals against the
 * reference level and the daily profile, smoothed over {@link WEEKLY_SMOOTH_SEC} either side.
 */
export function weeklyProfile(
  window: Float64Array,
  day: number,
  weekOffset: number,
  refLevel: Float64Array,
  daily: Float64Array,
  work: FitWorkspace,
  sigmaGuess?: SigmaGuess,
): Float64Array {
  const { scratch, samples } = work;
  const len = window.length;
  const week = 7 * day;
  // Only the residuals the robust sigma samples are computed (window index i has daily phase i % day).
  const stride = Math.max(1, Math.ceil(len / SIGMA_SAMPLE));
  let m = 0;
  for (let i = 0; i < len; i += stride)
    samples[m++] = (window[i] as number) - (refLevel[(i / day) | 0] as number) - (daily[i % day] as number);
  const clip = HUBER_K * robustSigmaOfSamples(samples, m, scratch, sigmaGuess) || Number.POSITIVE_INFINITY;
  const sum = work.weekSum.fill(0);
  for (let k = 0, i = 0, w = weekOffset; k < refLevel.length; k++) {
    const level = refLevel[k] as number;
    for (let s = 0; s < day; s++, i++) {
      const r = (window[i] as number) - level - (daily[s] as number);
      // biome-ignore lint/complexity/useMathMinMax: hottest loop of the fit; the ternary measured faster.
      sum[w] = (sum[w] as number) + (r > clip ? clip : r < -clip ? -clip : r);
      if (++w === week) w = 0;
    }
  }
  // Slot w holds the window indices d, d + week, … with d = (w − weekOffset) mod week.
  const fullWeeks = Math.floor(len / week);
  const rest = len - fullWeeks * week;
  for (let d = 0, w = weekOffset; d < week; d++) {
    const count = fullWeeks + (d < rest ? 1 : 0);
    sum[w] = count > 0 ? (sum[w] as number) / count : 0;
    if (++w === week) w = 0;
  }
  const half = Math.round((day * WEEKLY_SMOOTH_SEC) / 86_400);
  return half > 0 ? circularSmooth(sum, half) : sum.slice();
}

/** Running median of `values` over a window of `half` either side (shrunk at the ends). */
export function runningMedian(values: Float64Array, half: number): Float64Array {
  const out = new Float64Array(values.length);
  const scratch = new Float64Array(2 * half + 1);
  for (let k = 0; k < values.length; k++) {
    const lo = Math.max(0, k - half);
    const hi = Math.min(values.length - 1, k + half);
    out[k] = medianOf(values.subarray(lo, hi + 1), hi - lo + 1, scratch);
  }
  return out;
}

/** Earlier fits' day medians by absolute day start: guesses that make exact medians cheaper. */
export interface DayMedianGuesses {
  readonly byStart: Map<number, number>;
  /** Absolute index of the window's first value. */
  readonly start: number;
  /** Scratch for {@link medianNear}. */
  readonly near: Float64Array;
  /** The remainder's robust-sigma medians of the previous fit. */
  readonly sigma: SigmaGuess;
}

/** Day medians of a deseasonalised window and the robust sigma of its remainder. */
export interface Deseasonalised {
  /** Median of the deseasonalised values of each day of the window. */
  readonly dayMedians: Float64Array;
  /** Robust sigma of the deseasonalised values minus their day's median. */
  readonly sigma: number;
}

/**
 * Deseasonalises the window (minus the daily and, when given, the weekly profile) one day at a
 * time in `scratch` (length at least `day`), taking each day's median and keeping only the values
 * the robust sigma samples: the same figures as materialising the deseasonalised series and
 * calling `robustSigmaAt` on it, without the series.
 */
export function deseasonalise(
  window: Float64Array,
  day: number,
  daily: Float64Array,
  weekly: Float64Array | undefined,
  weekOffset: number,
  work: FitWorkspace,
  guesses?: DayMedianGuesses,
): Deseasonalised {
  const { scratch, samples } = work;
  const len = window.length;
  const days = len / day;
  const week = 7 * day;
  const stride = Math.max(1, Math.ceil(len / SIGMA_SAMPLE));
  const dayMedians = new Float64Array(days);
  let m = 0;
  let next = 0;
  for (let k = 0, i = 0, w = weekOffset; k < days; k++) {
    const base = k * day;
    const key = (guesses?.start ?? 0) + base;
    // The previous fit's median of this day, else the day before's: deseasonalised days move little.
    const guess = guesses?.byStart.get(key) ?? (k > 0 ? (dayMedians[k - 1] as number) : Number.NaN);
    let below = 0;
    if (weekly === undefined) {
      for (let s = 0; s < day; s++, i++) {
        const v = (window[i] as number) - (daily[s] as number);
        scratch[s] = v;
        if (v < guess) below++;
        else if (!(v >= guess)) below = Number.NEGATIVE_INFINITY;
      }
    } else {
      for (let s = 0; s < day; s++, i++) {
        const v = (window[i] as number) - (daily[s] as number) - (weekly[w] as number);
        scratch[s] = v;
        if (v < guess) below++;
        else if (!(v >= guess)) below = Number.NEGATIVE_INFINITY;
        if (++w === week) w = 0;
      }
    }
    const first = m;
    for (; next < base + day; next += stride) samples[m++] = scratch[next - base] as number;
    // A NaN value or guess makes the count -Infinity: medianCounted then falls back to quickselect.
    const median =
      guesses === undefined
        ? medianOf(scratch, day, scratch)
        : medianCounted(scratch, day, guess, below, guesses.near);
    guesses?.byStart.set(key, median);
    dayMedians[k] = median;
    for (let j = first; j < m; j++) samples[j] = (samples[j] as number) - median;
  }
  return { dayMedians, sigma: robustSigmaOfSamples(samples, m, scratch, guesses?.sigma) };
}
