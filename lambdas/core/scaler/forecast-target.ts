/**
 * One target's pure step: history → regular series → forecast → trust → planning bound → capacity
 * plan → published points.
 */
import { missingMeansZero } from '../../../lib/config/load-metric';
import { FORECAST_METRICS } from '../../../lib/config/metric-names';
import type { ScalingTarget } from '../../../lib/config/schema';
import { historyTrust } from '../forecast/history-gate';
import { selectForecast } from '../forecast/select';
import type { Forecast, Forecaster, SelectedForecast, TrustVerdict } from '../forecast/types';
import { planCapacity } from '../planning/plan';
import { type PlanningForecast, planningForecast } from '../planning/planning-bound';
import type { CapacityPlan, PlannerConfig } from '../planning/types';
import { regularize } from '../series/regularize';
import type { Point } from '../series/types';
import { fillMissingWithZero } from '../series/zero-fill';
import type { HistoryFacts } from './decision';
import type { ForecastDatum, TargetHistory } from './ports';

/**
 * Periods that ended less than this before the run are not read: CloudWatch may not hold all of
 * their data yet. Datapoints reach it minutes after the time they describe (publishers aggregate
 * and buffer, and PutMetricData accepts past timestamps), so the `Sum` of the period that just
 * closed can still be short, and a short last point is carried into the first forecast hours by
 * the AR(1) correction and can tip model selection and the trust verdict. Ten minutes covers the
 * usual lag. The history then ends 10 min to 10 min + one period before the run (instead of 0 to
 * one period); the forecast horizon is stretched so the plan still reaches now + `horizonHours`.
 */
export const HISTORY_SETTLE_SEC = 600;
/**
 * Forecast points are published up to this far ahead of the run. CloudWatch accepts timestamps at
 * most two hours in the future (PutMetricData); one hour matches the hourly schedule the config
 * requires (lib/config/schedule-expression.ts), so the next run, not this one, publishes the hour
 * after. Which points of the window a run actually sends depends on what CloudWatch already holds
 * (see publish-forecasts.ts): windows of runs closer than an hour overlap.
 */
export const PUBLISH_AHEAD_SEC = 3600;

/** The result of forecasting one target. */
export interface TargetForecast {
  readonly history: HistoryFacts;
  /** The selector's forecast: its `upper` is the `upperQuantile` bound that is published. */
  readonly forecast: SelectedForecast;
  /** The core verdict combined with the history checks (partial data, long gaps, a stopped history). */
  readonly trust: TrustVerdict;
  /** The bound the plan was sized on, and why the configured one was not used if it was not. */
  readonly planned: Pick<PlanningForecast, 'bound' | 'fallback'>;
  readonly plan: CapacityPlan;
  readonly data: readonly ForecastDatum[];
}

/**
 * The history window a run reads: `lookbackDays` up to the last whole period that ended at least
 * {@link HISTORY_SETTLE_SEC} before now.
 */
export function historyWindow(target: ScalingTarget, nowSec: number): { startSec: number; endSec: number } {
  const endSec = Math.floor((nowSec - HISTORY_SETTLE_SEC) / target.periodSec) * target.periodSec;
  return { startSec: endSec - target.lookbackDays * 86_400, endSec };
}

/**
 * The forecast times a run may publish for a target: `[history end, now + PUBLISH_AHEAD_SEC)`. It
 * starts where the history read ends, not at now, because every step from there on is forecast
 * without having been seen: a run a little later than an hour after the previous one then still
 * publishes the steps between the previous window's end and its own start (with a window starting
 * at now, the step on the hour was lost whenever a run started seconds late), and after a missed
 * run the only steps left without a forecast are those no run forecast before they began. The
 * start is at most about an hour plus {@link HISTORY_SETTLE_SEC} back, far within the two weeks
 * PutMetricData accepts.
 */
export function publishWindow(target: ScalingTarget, nowSec: number): { startSec: number; endSec: number } {
  return { startSec: historyWindow(target, nowSec).endSec, endSec: nowSec + PUBLISH_AHEAD_SEC };
}

/**
 * Forecasts one target and plans it on the target's `planningBound` (see `planningForecast`; the
 * backtest plans through the same function), over clock-aligned blocks. `history` is the read of
 * the target's {@link historyWindow} at `nowSec`; for a load metric whose missing periods mean no
 * load (see {@link observedPoints}) they count as 0, other missing periods are filled by
 * interpolation. Throws SeriesError for history that cannot be regularized (fewer than two
 * points, time going backwards) and PlannerConfigError for impossible bounds. `forecaster` is
 * injected for tests.
 */
export function forecastTarget(
  target: ScalingTarget,
  history: TargetHistory,
  nowSec: number,
  forecaster: Forecaster = selectForecast,
): TargetForecast {
  const step = target.periodSec;
  const observed = observedPoints(target, history, nowSec);
  const { series, report } = regularize(observed.points, { stepSec: step });
  const lastPointSec = series.startSec + (series.values.length - 1) * step;
  const forecastStartSec = lastPointSec + step;
  const horizonSec = target.horizonHours * 3600;
  // A stale last point (late metrics) lengthens the horizon so the plan still reaches now + horizon.
  const horizonSteps = Math.max(1, Math.ceil((nowSec + horizonSec - forecastStartSec) / step));
  const weekendUtcOffsetSec = target.weekendUtcOffsetHours * 3600;
  const forecast = forecaster(series, {
    horizonSteps,
    upperQuantile: target.upperQuantile,
    weekendUtcOffsetSec,
  });
  const facts: HistoryFacts = {
    points: history.points.length,
    partial: history.partial,
    statusCodes: history.statusCodes,
    messages: history.messages,
    zeroPointsFilled: observed.filled,
    ...(observed.lastReportedSec === undefined ? {} : { lastReportedSec: observed.lastReportedSec }),
    gapPointsFilled: report.gapPointsFilled,
    longestGapSteps: report.longestGapSteps,
    duplicatesMerged: report.duplicatesMerged,
    nonFiniteDropped: report.nonFiniteDropped,
    lastPointSec,
  };
  const trust = historyTrust(forecast.trust, { ...facts, stepSec: step }, nowSec);
  const blockSec = target.blockMinutes * 60;
  // Blocks start on the clock: the first one began `stepsIntoBlock` steps before the forecast.
  const planned = planningForecast({ ...forecast, trust }, series, {
    bound: target.planningBound,
    blockSteps: Math.round(blockSec / step),
    firstBlockStep: -stepsIntoBlock(forecast, blockSec),
    weekendUtcOffsetSec,
  });
  const aligned = alignToBlocks(planned.forecast, blockSec);
  const horizonPlanSec = aligned.point.length * step;
  const plan = planCapacity(aligned, plannerConfig(target, Math.max(horizonPlanSec, blockSec)), trust);
  return {
    history: facts,
    forecast,
    trust,
    planned: { bound: planned.bound, fallback: planned.fallback },
    plan,
    data: forecastData(target, forecast, plan.trusted, nowSec),
  };
}

/**
 * The history's points, with a 0 at each period without a datapoint from the first datapoint to
 * the end of the window when the load metric reports nothing while there is no load
 * (`missingMeansZero`: an ALB target group without requests), so a quiet night is read as the
 * zero load it was, not interpolated between evening and morning nor taken for a stopped metric.
 * Only a complete read with a datapoint is filled: a partial one may lack periods that had load,
 * and one without any (a wrong resource label) must still fail rather than plan on zeros.
 */
function observedPoints(
  target: ScalingTarget,
  history: TargetHistory,
  nowSec: number,
): { readonly points: readonly Point[]; readonly filled: number; readonly lastReportedSec?: number } {
  if (!missingMeansZero(target.loadMetric) || history.partial) return { points: history.points, filled: 0 };
  const { endSec } = historyWindow(target, nowSec);
  const last = history.points.reduce((latest, p) => Math.max(latest, p.tSec), Number.NEGATIVE_INFINITY);
  const filled = fillMissingWithZero(history.points, { stepSec: target.periodSec, endSec });
  return Number.isFinite(last) ? { ...filled, lastReportedSec: last } : filled;
}

/** The planner settings a target's configuration implies. */
export function plannerConfig(target: ScalingTarget, horizonSec: number): PlannerConfig {
  return {
    targetValuePerInstance: target.targetValue,
    minCapacity: target.minCapacity,
    maxCapacity: target.maxCapacity,
    maxCapacityBreachBehavior: target.maxCapacityBreachBehavior,
    maxCapacityBufferPercent: target.maxCapacityBufferPercent,
    schedulingBufferSec: target.schedulingBufferSec,
    horizonSec,
    blockSec: target.blockMinutes * 60,
  };
}

/**
 * Whole steps from the start of the clock block a forecast starts in to its first point (10:25 →
 * 5 at 5-minute steps and hourly blocks); 0 on a block boundary or off the step grid.
 */
export function stepsIntoBlock(forecast: Forecast, blockSec: number): number {
  const startSec = Math.floor(forecast.startSec / blockSec) * blockSec;
  const lead = Math.round((forecast.startSec - startSec) / forecast.stepSec);
  return lead > 0 && startSec + lead * forecast.stepSec === forecast.startSec ? lead : 0;
}

/**
 * The forecast re-based on the clock block it starts in (10:25 → 10:00 for hourly blocks), the
 * steps before its first point left empty (NaN, which the planner skips), so blocks and scheduled
 * actions fall on clock hours as in AWS predictive scaling and keep their names from run to run.
 */
export function alignToBlocks(forecast: Forecast, blockSec: number): Forecast {
  const lead = stepsIntoBlock(forecast, blockSec);
  if (lead === 0) return forecast;
  const pad = (values: Float64Array) => {
    const out = new Float64Array(lead + values.length).fill(Number.NaN);
    out.set(values, lead);
    return out;
  };
  const startSec = forecast.startSec - lead * forecast.stepSec;
  return { startSec, stepSec: forecast.stepSec, point: pad(forecast.point), upper: pad(forecast.upper) };
}

/**
 * Load and capacity forecasts at each forecast step in the {@link publishWindow}: the point
 * forecast and the selector's `upperQuantile` upper bound, whichever bound the plan was sized on,
 * and `ForecastTrusted`, 1 when the trust verdict let the forecast plan capacity (`trusted`) and 0
 * when it did not, so the dashboard can tell a forecast the scaler planned on from one it only
 * published. All carry the target's `periodSec`, which is part of the published series' identity.
 */
function forecastData(
  target: ScalingTarget,
  forecast: SelectedForecast,
  trusted: boolean,
  nowSec: number,
): ForecastDatum[] {
  const data: ForecastDatum[] = [];
  const window = publishWindow(target, nowSec);
  const capacity = (load: number) => Math.max(0, Math.ceil(load / target.targetValue - 1e-9));
  const series = { targetId: target.id, periodSec: target.periodSec };
  for (let i = 0; i < forecast.point.length; i++) {
    const tSec = forecast.startSec + i * forecast.stepSec;
    if (tSec < window.startSec) continue;
    if (tSec >= window.endSec) break;
    const point = forecast.point[i] as number;
    const upper = forecast.upper[i] as number;
    if (!Number.isFinite(point) || !Number.isFinite(upper)) continue;
    data.push(
      { ...series, metric: FORECAST_METRICS.load, tSec, value: point },
      { ...series, metric: FORECAST_METRICS.loadUpper, tSec, value: upper },
      { ...series, metric: FORECAST_METRICS.capacity, tSec, value: capacity(point) },
      { ...series, metric: FORECAST_METRICS.capacityUpper, tSec, value: capacity(upper) },
      { ...series, metric: FORECAST_METRICS.trusted, tSec, value: trusted ? 1 : 0 },
    );
  }
  return data;
}
