import { AR_WINDOW_SEC, addArCorrection, estimateAr1 } from './ar-correction';
import { type Decomposition, decompose } from './decompose';
import { stepsPerDay } from './options';
import { EPOCH_CALENDAR, type FitMemo, type PointForecaster } from './point-forecaster';
import { type SeriesCache, seriesCacheOf } from './series-cache';

/** Fixed configuration of a robust seasonal model; chosen once for all series, never per series. */
export interface RobustSeasonalConfig {
  readonly name: string;
  /** Add the day-type (weekday/weekend) residual profile (used from 8 days of history). */
  readonly weekly: boolean;
  /**
   * e-folding time of the correction toward the latest level, in seconds; 0 disables it. The
   * last half hour's residual says much about the next hour and little about tomorrow.
   */
  readonly correctionTauSec: number;
  /** Treat a sustained, one-sided departure of the last hours as a new level that persists. */
  readonly levelShift: boolean;
  /**
   * Add an AR(1) correction fitted on the last {@link AR_WINDOW_SEC} of in-sample residuals (see
   * `ar-correction.ts`), on top of any fixed correction (normally used instead of it).
   */
  readonly arCorrection?: boolean;
}

/** Residuals averaged for the short-term correction: the last half hour. */
const CORRECTION_WINDOW_SEC = 1800;
/**
 * Level-shift test: every residual of the last half hour beyond {@link SHIFT_SIGMAS} robust sigmas
 * on the same side. Half an hour, because an autoscaler that waits two hours to believe a drop to
 * zero keeps paying for the old level; every point, so a single spike never qualifies.
 */
const SHIFT_WINDOW_SEC = 1800;
const SHIFT_SIGMAS = 5;

/**
 * Trend + daily + weekday/weekend seasonal model, robust to spikes: the daily profile is per-slot
 * medians, the day-type profile is Huber-clipped around each day type's centre, the trend is a
 * Theil–Sen slope of daily medians and is damped so that it adds at most one day's worth of growth (an undamped additive trend
 * explodes on steep intraday slopes). Optional decaying correction toward the latest level and level-shift handling.
 * Forecasts never go below zero when the history never did.
 */
export function robustSeasonal(config: RobustSeasonalConfig): PointForecaster {
  return {
    name: config.name,
    minHistoryPoints: (stepSec) => stepsPerDay(stepSec),
    point(history, stepSec, horizon, memo, calendar = EPOCH_CALENDAR) {
      const key = `decompose:${config.weekly}`;
      const cached = memo?.get(key) as Decomposition | undefined;
      const fit = cached ?? decompose(history, stepSec, config.weekly, calendar, seriesCacheOf(memo));
      if (cached === undefined) memo?.set(key, fit);
      const n = history.length;
      const fitted = (t: number) => fit.level + fit.seasonalAt(t) + trendAt(fit, t - n);
      const shift = config.levelShift ? levelShift(history, fit, stepSec) : 0;
      const correction = correctionOf(history, fitted, shift, stepSec, config.correctionTauSec);
      const tau = config.correctionTauSec / stepSec;
      const out = new Float64Array(horizon);
      fit.fillSeasonal(out, n);
      const cache = seriesCacheOf(memo);
      const ahead = cache !== undefined && cache.day === fit.day ? cache.dampedAhead(horizon) : undefined;
      for (let h = 0; h < horizon; h++) {
        const decay = tau > 0 ? Math.exp(-(h + 1) / tau) : 0;
        const trend =
          ahead === undefined
            ? trendAt(fit, h)
            : (fit.slopePerDay * (fit.day / 2 + (ahead[h] as number))) / fit.day;
        out[h] = (out[h] as number) + fit.level + trend + shift + correction * decay;
      }
      if (config.arCorrection === true) arCorrect(out, history, fit, shift, stepSec, cache);
      if (neverNegative(history, memo))
        for (let h = 0; h < horizon; h++) out[h] = Math.max(0, out[h] as number);
      return out;
    },
  };
}

/**
 * AR(1) on the residuals of the last {@link AR_WINDOW_SEC}: φ from the residuals against the
 * seasonal fit; the start is the last residual against the fit minus any adopted level shift, so
 * a shift is not counted twice. The fit's day-type part is smoothed on each day type's own circle
 * (`fillSeasonalByType`): the forecast's profile ramps across the weekend's edges, and a history
 * ending there would otherwise start the correction from its departure from that ramp.
 */
function arCorrect(
  out: Float64Array,
  history: Float64Array,
  fit: Decomposition,
  shift: number,
  stepSec: number,
  cache: SeriesCache | undefined,
): void {
  const n = history.length;
  const w = Math.min(n, Math.round(AR_WINDOW_SEC / stepSec));
  const resid = cache?.residuals(w) ?? new Float64Array(w);
  fit.fillSeasonalByType(resid, n - w);
  for (let i = 0, t = n - w; i < w; i++, t++)
    resid[i] = (history[t] as number) - fit.level - (resid[i] as number) - trendAt(fit, t - n);
  addArCorrection(out, (resid[w - 1] as number) - shift, estimateAr1(resid));
}

/** Whether the history has no negative value (memoised per history: every robust variant asks). */
function neverNegative(history: Float64Array, memo: FitMemo | undefined): boolean {
  const cached = memo?.get('neverNegative') ?? seriesCacheOf(memo)?.nonNegative(history);
  if (typeof cached === 'boolean') return cached;
  let ok = true;
  for (let i = 0; i < history.length && ok; i++) if ((history[i] as number) < 0) ok = false;
  memo?.set('neverNegative', ok);
  return ok;
}

/**
 * Damped trend at offset `dt` from the end of history; the level sits mid-way through the last day.
 * (`SeriesCache.dampedAhead` holds the same damping for `dt >= 0`.)
 */
function trendAt(fit: Decomposition, dt: number): number {
  const ahead = dt < 0 ? dt : fit.day * (1 - Math.exp(-dt / fit.day));
  return (fit.slopePerDay * (fit.day / 2 + ahead)) / fit.day;
}

function correctionOf(
  history: Float64Array,
  fitted: (t: number) => number,
  shift: number,
  stepSec: number,
  tauSec: number,
): number {
  if (tauSec <= 0) return 0;
  const n = history.length;
  const k = Math.min(n, Math.max(1, Math.round(CORRECTION_WINDOW_SEC / stepSec)));
  let sum = 0;
  for (let t = n - k; t < n; t++) sum += (history[t] as number) - fitted(t) - shift;
  return sum / k;
}

/**
 * The new level's offset when the last half hour sits entirely far to one side of the fit, else 0.
 * The departure must show against the day-type profile smoothed on each day type's own circle
 * too: against the profile smoothed over the week, a history ending at the weekend's edge departs
 * from the ramp that smoothing puts across it, and that departure, adopted as a level shift,
 * would be carried through the next day (docs/forecasting-experiments.md, session 13). Its size
 * is taken against the profile the forecast continues with.
 */
function levelShift(history: Float64Array, fit: Decomposition, stepSec: number): number {
  if (departure(history, fit, stepSec, fit.fillSeasonalByType) === 0) return 0;
  return departure(history, fit, stepSec, fit.fillSeasonal);
}

/** Mean residual of the last half hour against `fillSeasonal`'s fit when every one lies beyond {@link SHIFT_SIGMAS} on one side, else 0. */
function departure(
  history: Float64Array,
  fit: Decomposition,
  stepSec: number,
  fillSeasonal: (out: Float64Array, t0: number) => void,
): number {
  const n = history.length;
  const k = Math.min(n, Math.max(2, Math.round(SHIFT_WINDOW_SEC / stepSec)));
  const limit = SHIFT_SIGMAS * fit.sigma;
  const seasonal = new Float64Array(k);
  fillSeasonal(seasonal, n - k);
  let above = 0;
  let below = 0;
  let sum = 0;
  for (let i = 0, t = n - k; i < k; i++, t++) {
    const r = (history[t] as number) - fit.level - (seasonal[i] as number) - trendAt(fit, t - n);
    if (r > limit) above++;
    else if (r < -limit) below++;
    sum += r;
  }
  return above === k || below === k ? sum / k : 0;
}
