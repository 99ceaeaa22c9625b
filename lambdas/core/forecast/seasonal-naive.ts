import { stepsPerDay } from './options';
import type { PointForecaster } from './point-forecaster';

/**
 * Repeats the last full cycle of `periodDays` days: the protocol's `snaive` when the period is one
 * day. Cheap, unbiased on stable cycles, and the yardstick MASE is scaled by.
 */
export function seasonalNaive(name: string, periodDays: number): PointForecaster {
  const periodOf = (stepSec: number) => stepsPerDay(stepSec) * periodDays;
  return {
    name,
    minHistoryPoints: periodOf,
    point(history, stepSec, horizon) {
      const period = periodOf(stepSec);
      const base = history.length - period;
      const out = new Float64Array(horizon);
      for (let h = 0; h < horizon; h++) out[h] = history[base + (h % period)] as number;
      return out;
    },
  };
}

/** Repeats yesterday. */
export const seasonalNaiveDaily = seasonalNaive('seasonal-naive-daily', 1);

/** Repeats the same day last week: keeps weekday/weekend shapes that a daily cycle blurs. */
export const seasonalNaiveWeekly = seasonalNaive('seasonal-naive-weekly', 7);

/** Repeats the last value: the only model usable with a few points, and strong at very short horizons. */
export const naiveLast: PointForecaster = {
  name: 'naive',
  minHistoryPoints: () => 1,
  point(history, _stepSec, horizon) {
    return new Float64Array(horizon).fill(history[history.length - 1] as number);
  },
};
