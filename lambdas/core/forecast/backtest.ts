import { hasMaseScale, meanAbsoluteError, NEGLIGIBLE_SCALE, smape } from './metrics';
import { stepsPerDay } from './options';
import type { FitMemo, PointForecaster, SeriesCalendar } from './point-forecaster';
import type { ModelScore, ValidationDays } from './types';

/** Rolling-origin validation origins used by default: the last three days of the history. */
export const DEFAULT_VALIDATION_ORIGINS = 3;

/** One model's rolling-origin validation on a history: its score and its relative errors by horizon. */
export interface Backtest {
  readonly score: ModelScore;
  /**
   * Per origin and validated step (one day of steps), `(actual - forecast) / max(|forecast|, floor)`
   * with {@link errorFloor}: errors relative to the forecast, because misses grow with the level
   * and peaks are where capacity runs out.
   */
  readonly errors: readonly Float64Array[];
  /** The forecasts behind `errors`, origin by origin (newest first), kept so no one fits them again. */
  readonly validation: ValidationDays;
}

/**
 * Rolling-origin validation inside `values`: origins one day apart, the last one day before the
 * end, each forecasting one day from the values before its origin only. The validation horizon is
 * one day whatever horizon the caller will forecast: a shorter one would judge the models on the
 * next few steps alone (the choice, the trust verdict and the upper bound then changed with
 * `--horizon-steps`), a longer one would starve validation of origins. An origin needs a day of
 * training (and a model's own minimum). MASE uses the protocol scale of each origin's own training
 * window; a window too short for a scale (under two days, see `MIN_SCALE_PERIODS`) takes the scale
 * of the whole history instead, which then holds at least a day of seasonal differences: the
 * scale only normalises the error, and the validation day's own differences are past data by the
 * time the forecast is made. So a group is validated after 48 h, not 72. `score.origins` may be 0.
 * An origin whose scale window is all zero has no MASE (as the accuracy metrics treat it): a
 * fallback scale of 1 made its "MASE" the raw error in the series' own unit, so the same load in
 * thousands was trusted and in units refused. `score.mase` averages the origins that have one (NaN
 * when none has) and `score.maseUndefinedOrigins` counts the others.
 * All models see each origin together, sharing one {@link FitMemo}; entries of `shared` (such as a
 * series cache) are visible to every origin. Every origin's training values start where `values`
 * does, so all share its `calendar`.
 */
export function backtestAll(
  models: readonly PointForecaster[],
  values: Float64Array,
  stepSec: number,
  maxOrigins = DEFAULT_VALIDATION_ORIGINS,
  shared?: FitMemo,
  calendar?: SeriesCalendar,
): Backtest[] {
  const day = stepsPerDay(stepSec);
  const origins: number[] = [];
  for (let j = 1; j <= maxOrigins && values.length - j * day >= day + 1; j++)
    origins.push(values.length - j * day);
  // One error store per model, one view per origin: fewer allocations in the selector's hot path.
  const acc = models.map(() => ({
    mase: 0,
    maseOrigins: 0,
    smape: 0,
    errors: [] as Float64Array[],
    origins: [] as number[],
    forecasts: [] as Float64Array[],
    store: new Float64Array(origins.length * day),
  }));
  const sums = trainingSums(values, day, origins);
  let wholeScale: number | undefined;
  const scaleOfWhole = () => {
    if (wholeScale === undefined) {
      const w = trainingSums(values, day, [values.length]);
      wholeScale = flooredScale(w.abs[0] as number, w.seasonalDiff[0] as number, values.length, day);
    }
    return wholeScale;
  };
  origins.forEach((origin, j) => {
    const train = values.subarray(0, origin);
    const actual = values.subarray(origin, origin + day);
    const abs = sums.abs[j] as number;
    const scale = hasMaseScale(origin, day)
      ? flooredScale(abs, sums.seasonalDiff[j] as number, origin, day)
      : scaleOfWhole();
    const memo: FitMemo = new Map(shared);
    const floor = floorOf(abs, origin);
    models.forEach((model, m) => {
      const a = acc[m];
      if (a === undefined || origin < model.minHistoryPoints(stepSec)) return;
      const f = model.point(train, stepSec, day, memo, calendar);
      if (Number.isFinite(scale)) {
        const mae = meanAbsoluteError(actual, f);
        a.mase += mae === 0 ? 0 : mae / scale;
        a.maseOrigins++;
      }
      a.smape += smape(actual, f);
      const e = a.store.subarray(a.errors.length * day, (a.errors.length + 1) * day);
      for (let i = 0; i < day; i++) {
        const fi = f[i] as number;
        e[i] = ((actual[i] as number) - fi) / Math.max(Math.abs(fi), floor);
      }
      a.errors.push(e);
      a.origins.push(origin);
      a.forecasts.push(f);
    });
  });
  return models.map((model, m) => {
    const a = acc[m] ?? { mase: 0, maseOrigins: 0, smape: 0, errors: [], origins: [], forecasts: [] };
    const origins = a.errors.length;
    const undefinedOrigins = origins - a.maseOrigins;
    return {
      score: {
        model: model.name,
        mase: a.maseOrigins === 0 ? Number.NaN : a.mase / a.maseOrigins,
        smape: origins === 0 ? Number.NaN : a.smape / origins,
        origins,
        ...(undefinedOrigins > 0 ? { maseUndefinedOrigins: undefinedOrigins } : {}),
      },
      errors: a.errors,
      validation: { origins: a.origins, forecasts: a.forecasts },
    };
  });
}

/** {@link backtestAll} for one model. */
export function backtest(
  model: PointForecaster,
  values: Float64Array,
  stepSec: number,
  maxOrigins = DEFAULT_VALIDATION_ORIGINS,
  calendar?: SeriesCalendar,
): Backtest {
  const [only] = backtestAll([model], values, stepSec, maxOrigins, undefined, calendar);
  if (only === undefined) throw new Error('backtestAll returned no result for one model');
  return only;
}

/**
 * For each training end (descending, as the origins are), `Σ|x_i|` over `[0, end)` and the
 * protocol's `Σ|x_t − x_{t−day}|` over `[day, end)`, from one pass over the values: each sum runs in
 * the same order as a loop over that window alone, so the figures are the same to the bit.
 */
function trainingSums(
  values: Float64Array,
  day: number,
  ends: readonly number[],
): { abs: number[]; seasonalDiff: number[] } {
  const abs: number[] = [];
  const seasonalDiff: number[] = [];
  let a = 0;
  let d = 0;
  let t = 0;
  for (let j = ends.length - 1; j >= 0; j--) {
    const end = ends[j] as number;
    for (; t < end; t++) {
      a += Math.abs(values[t] as number);
      if (t >= day) d += Math.abs((values[t] as number) - (values[t - day] as number));
    }
    abs[j] = a;
    seasonalDiff[j] = d;
  }
  return { abs, seasonalDiff };
}

/**
 * The protocol's MASE scale (`maseScale`: the mean absolute seasonal difference of the training
 * window, NaN when it is not longer than a day) from its sums, floored at {@link NEGLIGIBLE_SCALE}
 * (a billionth) of the mean absolute value: an exactly repeating history has a scale of 0 (or of rounding noise), which
 * would turn any error into Infinity and make the ranking meaningless. NaN for an all-zero
 * window: no scale is there to floor, and any stand-in would be in the series' unit.
 */
function flooredScale(abs: number, seasonalDiff: number, n: number, day: number): number {
  const scale = n <= day ? Number.NaN : seasonalDiff / (n - day);
  const floor = (NEGLIGIBLE_SCALE * abs) / n;
  const floored = Math.max(scale, floor);
  return floored > 0 ? floored : Number.NaN;
}

/**
 * Smallest denominator of a relative error: a tenth of the mean absolute value of the history
 * (or 1e-9 for an all-zero history), so forecasts near zero do not turn small misses into huge ratios.
 */
export function errorFloor(history: Float64Array): number {
  let abs = 0;
  for (let i = 0; i < history.length; i++) abs += Math.abs(history[i] as number);
  return floorOf(abs, history.length);
}

/** {@link errorFloor} of a history of `n` values whose absolute values sum to `abs`. */
function floorOf(abs: number, n: number): number {
  return Math.max((0.1 * abs) / Math.max(1, n), 1e-9);
}
