import { AR_WINDOW_SEC, addArCorrection, estimateAr1 } from './ar-correction';
import { stepsPerDay } from './options';
import type { PointForecaster } from './point-forecaster';
import { type SeriesCache, seriesCacheOf } from './series-cache';

/**
 * Repeats the last full cycle of `periodDays` days: the protocol's `snaive` when the period is one
 * day. Cheap, unbiased on stable cycles, and the yardstick MASE is scaled by.
 */
export function seasonalNaive(name: string, periodDays: number, arCorrection = false): PointForecaster {
  const periodOf = (stepSec: number) => stepsPerDay(stepSec) * periodDays;
  return {
    name,
    minHistoryPoints: periodOf,
    point(history, stepSec, horizon, memo) {
      const period = periodOf(stepSec);
      const base = history.length - period;
      const out = new Float64Array(horizon);
      for (let h = 0; h < horizon; h++) out[h] = history[base + (h % period)] as number;
      if (arCorrection) correctSeasonalDifference(out, history, period, stepSec, seriesCacheOf(memo));
      return out;
    },
  };
}

/**
 * AR(1) on the seasonal differences `x_t − x_{t−period}` (the in-sample errors of seasonal naive)
 * of the last {@link AR_WINDOW_SEC}: the classic ARIMA(1,0,0)(0,1,0) forecast, which starts
 * from today's departure from last cycle and fades back to repeating it.
 */
function correctSeasonalDifference(
  out: Float64Array,
  history: Float64Array,
  period: number,
  stepSec: number,
  cache: SeriesCache | undefined,
): void {
  const n = history.length;
  const w = Math.min(n - period, Math.round(AR_WINDOW_SEC / stepSec));
  if (w <= 0) return;
  const diffs = cache?.residuals(w) ?? new Float64Array(w);
  for (let i = 0, t = n - w; i < w; i++, t++)
    diffs[i] = (history[t] as number) - (history[t - period] as number);
  addArCorrection(out, diffs[w - 1] as number, estimateAr1(diffs));
}

/** Repeats yesterday. */
export const seasonalNaiveDaily = seasonalNaive('seasonal-naive-daily', 1);

/** Repeats the same day last week: keeps weekday/weekend shapes that a daily cycle blurs. */
export const seasonalNaiveWeekly = seasonalNaive('seasonal-naive-weekly', 7);

/** Same day last week, corrected toward today's departure from it (AR(1), fading). */
export const seasonalNaiveWeeklyAr = seasonalNaive('seasonal-naive-weekly-ar', 7, true);

/** Yesterday, corrected toward today's departure from it (AR(1), fading). */
export const seasonalNaiveDailyAr = seasonalNaive('seasonal-naive-daily-ar', 1, true);

/** Repeats the last value: the only model usable with a few points, and strong at very short horizons. */
export const naiveLast: PointForecaster = {
  name: 'naive',
  minHistoryPoints: () => 1,
  point(history, _stepSec, horizon) {
    return new Float64Array(horizon).fill(history[history.length - 1] as number);
  },
};
