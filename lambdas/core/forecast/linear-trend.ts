import { linearRegression } from 'simple-statistics';
import type { PointForecaster } from './point-forecaster';

/** Trend fitted over at most this many days: older data says little about today's slope. */
const WINDOW_DAYS = 3;

/**
 * A straight line through hourly means of the last {@link WINDOW_DAYS} days (simple-statistics
 * least squares), extrapolated. Hourly means keep the regression small and blunt single spikes.
 * For steadily growing or draining series without a daily cycle.
 */
export const linearTrend: PointForecaster = {
  name: 'linear-trend',
  minHistoryPoints: (stepSec) => 2 * bucketSteps(stepSec),
  point(history, stepSec, horizon) {
    const bucket = bucketSteps(stepSec);
    const window = Math.min(history.length, Math.round((WINDOW_DAYS * 86_400) / stepSec));
    const buckets = Math.max(1, Math.floor(window / bucket));
    const start = history.length - buckets * bucket;
    const pairs: number[][] = [];
    for (let b = 0; b < buckets; b++) {
      let sum = 0;
      for (let i = 0; i < bucket; i++) sum += history[start + b * bucket + i] as number;
      // x is the bucket's centre in steps, so the line is in per-step units.
      pairs.push([start + b * bucket + (bucket - 1) / 2, sum / bucket]);
    }
    const out = new Float64Array(horizon);
    if (pairs.length < 2) return out.fill(history[history.length - 1] as number);
    const { m, b } = linearRegression(pairs);
    for (let h = 0; h < horizon; h++) out[h] = b + m * (history.length + h);
    return out;
  },
};

function bucketSteps(stepSec: number): number {
  return Math.max(1, Math.round(3600 / stepSec));
}
