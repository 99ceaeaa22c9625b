import { bias, hasMaseScale, mase, maseScale, peakCoverage, smape } from '../forecast/metrics';
import type { Forecast } from '../forecast/types';
import type { RegularSeries } from '../series/types';
import type { ForecastAccuracy } from './types';

const DAY_SEC = 86_400;

/**
 * Scores the backtest's forecasts with the shared metrics of FORECAST-PROTOCOL.md: MASE (scaled
 * by each origin's own training window, daily period) and sMAPE per origin over its first hour and
 * first 24 h, averaged over the same origins for both: those with that much load ahead and a
 * training window of two days (as the protocol). Where an origin's window has no seasonal
 * variation (a flat or exactly repeating history: `maseScale` is NaN) its MASE is undefined, and
 * so is the horizon's, rather than an average over fewer origins than sMAPE's. Peak coverage and
 * bias are over the forecasts in force (each forecast's first replan interval, which tile the
 * replay without overlap).
 */
export class AccuracyCollector {
  private readonly h1 = new HorizonScores();
  private readonly h24 = new HorizonScores();
  /** Point and upper forecast in force at each step; NaN before the first forecast. */
  readonly point: Float64Array;
  readonly upper: Float64Array;

  constructor(
    private readonly load: RegularSeries,
    private readonly replanSteps: number,
  ) {
    this.point = new Float64Array(load.values.length).fill(Number.NaN);
    this.upper = new Float64Array(load.values.length).fill(Number.NaN);
  }

  /** Records one forecast made at grid index `decision` from `history`. */
  add(decision: number, history: RegularSeries, forecast: Forecast): void {
    const { values, stepSec } = this.load;
    for (let k = 0; k < this.replanSteps && decision + k < values.length; k++) {
      this.point[decision + k] = forecast.point[k] ?? Number.NaN;
      this.upper[decision + k] = forecast.upper[k] ?? Number.NaN;
    }
    const period = DAY_SEC / stepSec;
    if (!Number.isInteger(period) || !hasMaseScale(history.values.length, period)) return;
    const scale = maseScale(history.values, period);
    this.score(this.h1, decision, Math.round(3600 / stepSec), scale, forecast.point);
    this.score(this.h24, decision, Math.round(DAY_SEC / stepSec), scale, forecast.point);
  }

  /** The accuracy over every step from `fromIndex` on; NaN (null in JSON) where nothing was scored. */
  result(fromIndex: number): ForecastAccuracy {
    const actual: number[] = [];
    const point: number[] = [];
    const upper: number[] = [];
    for (let i = fromIndex; i < this.point.length; i++) {
      const f = this.point[i] as number;
      const u = this.upper[i] as number;
      if (!Number.isFinite(f) || !Number.isFinite(u)) continue;
      actual.push(this.load.values[i] as number);
      point.push(f);
      upper.push(u);
    }
    return {
      mase1h: mean(this.h1.mase),
      mase24h: mean(this.h24.mase),
      smape1h: mean(this.h1.smape),
      smape24h: mean(this.h24.smape),
      peakCoverage: peakCoverage(actual, point).coverage,
      peakCoverageUpper: peakCoverage(actual, upper).coverage,
      biasPercent: bias(actual, point),
      origins: this.h1.mase.length,
      origins24h: this.h24.mase.length,
      maseUndefinedOrigins: this.h1.mase.filter(Number.isNaN).length,
      maseUndefinedOrigins24h: this.h24.mase.filter(Number.isNaN).length,
    };
  }

  private score(into: HorizonScores, decision: number, h: number, scale: number, f: Float64Array): void {
    const { values } = this.load;
    if (decision + h > values.length || f.length < h) return;
    const actual = values.subarray(decision, decision + h);
    const m = mase(actual, f, scale, h);
    // A forecast that is not finite (overflow) scores nothing, as before.
    if (Number.isFinite(scale) && !Number.isFinite(m)) return;
    // NaN where the window has no seasonal variation (scale NaN): the origin still counts, for sMAPE.
    into.mase.push(m);
    into.smape.push(smape(actual, f, h));
  }
}

/** Per-origin scores at one horizon; both lists always hold the same origins (MASE NaN where undefined). */
class HorizonScores {
  readonly mase: number[] = [];
  readonly smape: number[] = [];
}

/** The mean; NaN for no values, or when any is NaN (an origin with MASE undefined). */
function mean(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  return xs.reduce((s, x) => s + x, 0) / xs.length;
}
