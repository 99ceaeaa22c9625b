/**
 * Reference forecasters for calibrating the backtest: measurement instruments, not product code.
 * Two of them read the trace's future, so they live in bench/ and nothing under lambdas/, lib/,
 * bin/ or cli/ may import them (test/unit/bench/reference-forecasters.test.ts checks this).
 * Each is built for one trace and answers for history views of that same trace, as the backtest's
 * predictive floor passes them (`values.subarray(from, decision)` on the trace's grid).
 */
import { toForecastModel } from '../lambdas/core/forecast/model';
import { seasonalNaiveDaily } from '../lambdas/core/forecast/seasonal-naive';
import type { Forecaster, SelectedForecast } from '../lambdas/core/forecast/types';
import type { RegularSeries } from '../lambdas/core/series/types';

const TRUSTED = { trusted: true, reason: 'reference forecaster: always drives the plan' } as const;

/**
 * Index in `load` of the first step after `history`; fails when `history` is not a view of
 * `load`'s grid ending inside it, since a foresight forecaster would then read the wrong future.
 */
function originIndex(load: RegularSeries, history: RegularSeries): number {
  const offset = (history.startSec - load.startSec) / load.stepSec;
  const origin = offset + history.values.length;
  if (history.stepSec !== load.stepSec || !Number.isInteger(offset) || offset < 0) {
    throw new Error(
      `history (start ${history.startSec} s, step ${history.stepSec} s) is not on the trace's grid ` +
        `(start ${load.startSec} s, step ${load.stepSec} s); build the reference forecaster for the trace being replayed`,
    );
  }
  if (origin > load.values.length) {
    throw new Error(`history ends at step ${origin}, after the trace's ${load.values.length} steps`);
  }
  return origin;
}

/** Wraps a point and upper bound continuing `history` into the backtest's forecast shape. */
function selected(
  history: RegularSeries,
  model: string,
  point: Float64Array,
  upper = point,
): SelectedForecast {
  return {
    startSec: history.startSec + history.values.length * history.stepSec,
    stepSec: history.stepSec,
    point,
    upper,
    model,
    scores: [],
    trust: TRUSTED,
  };
}

/**
 * Perfect foresight: point = upper = the trace's actual values over the horizon. Past the trace's
 * end (nothing left to score there) it repeats the last value; it never reads beyond it.
 */
export function perfectForesight(load: RegularSeries): Forecaster {
  const { values } = load;
  const last = values.length - 1;
  return (history, { horizonSteps }) => {
    const origin = originIndex(load, history);
    const point = new Float64Array(horizonSteps);
    for (let k = 0; k < horizonSteps; k++) point[k] = values[Math.min(last, origin + k)] as number;
    return selected(history, 'perfect-foresight', point);
  };
}

/**
 * Perfect foresight of the shape, not the spikes: point = upper = the trace's centred moving mean
 * over ±`halfWindowSec` (rounded to whole steps) around each future step, the window cut to the
 * trace at both ends. Past the trace's end it repeats the mean at the last step.
 */
export function smoothedForesight(load: RegularSeries, halfWindowSec: number): Forecaster {
  const { values, stepSec } = load;
  const n = values.length;
  const half = Math.round(halfWindowSec / stepSec);
  if (!(half >= 0)) throw new Error(`halfWindowSec must be >= 0, got ${halfWindowSec}`);
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = (prefix[i] as number) + (values[i] as number);
  const meanAt = (t: number) => {
    const lo = Math.max(0, t - half);
    const hi = Math.min(n - 1, t + half);
    return ((prefix[hi + 1] as number) - (prefix[lo] as number)) / (hi - lo + 1);
  };
  return (history, { horizonSteps }) => {
    const origin = originIndex(load, history);
    const point = new Float64Array(horizonSteps);
    for (let k = 0; k < horizonSteps; k++) point[k] = meanAt(Math.min(n - 1, origin + k));
    return selected(history, `smoothed-foresight-${half}`, point);
  };
}

const seasonalNaiveModel = toForecastModel(seasonalNaiveDaily);

/**
 * Seasonal naive daily (repeat yesterday) with its own upper bound at the asked quantile (the
 * product's rolling-origin residual bound), trusted whenever it has a day of history; it reads
 * only the history it is given.
 */
export const seasonalNaiveOwnUpper: Forecaster = (history, options) => {
  const { point, upper } = seasonalNaiveModel.forecast(history, options);
  return selected(history, seasonalNaiveModel.name, point, upper);
};

/** Forecasts made elsewhere (R, see bench/r/stlf-reference.R) for one trace, by decision index. */
export interface PrecomputedForecasts {
  /** Source and bound, e.g. `r-stlf-hi80`; names the forecasts in the replay. */
  readonly model: string;
  readonly byDecision: ReadonlyMap<number, { readonly point: Float64Array; readonly upper: Float64Array }>;
}

/**
 * Replays forecasts made outside the product for the same trace and the same decisions: the
 * forecast for a history ending at step `d` is the one stored for decision `d`. A history with
 * none stored is untrusted, so that hour plans nothing, as the product's own trust gate does: a
 * decision R could not forecast (stlf needs two days), or a history that stops short of its
 * decision (in a gap, see the backtest's `filledRuns`), whose end is no decision or whose stored
 * forecast, made an hour or more earlier, does not reach the longer horizon it then asks for.
 * (Stored forecasts of another horizon setting are refused before the replay, by their key.)
 */
export function precomputedForecaster(load: RegularSeries, stored: PrecomputedForecasts): Forecaster {
  return (history, { horizonSteps }) => {
    const origin = originIndex(load, history);
    const f = stored.byDecision.get(origin);
    const none = (reason: string): SelectedForecast => ({
      ...selected(history, stored.model, new Float64Array(horizonSteps)),
      trust: { trusted: false, reason },
    });
    if (f === undefined) return none(`no ${stored.model} forecast for decision ${origin}`);
    if (f.point.length < horizonSteps) {
      return none(
        `the ${stored.model} forecast for decision ${origin} has ${f.point.length} steps, ${horizonSteps} asked`,
      );
    }
    return selected(
      history,
      stored.model,
      f.point.subarray(0, horizonSteps),
      f.upper.subarray(0, horizonSteps),
    );
  };
}
