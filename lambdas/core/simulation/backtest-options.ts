import { DEFAULT_HORIZON_HOURS } from '../../../lib/config/schema';
import type { Forecaster } from '../forecast/types';
import { PLANNING_BOUNDS, type PlanningBound } from '../planning/planning-bound';
import type { PlannerConfig } from '../planning/types';
import type { FilledRun } from '../series/regularize';
import type { RegularSeries } from '../series/types';
import type { TargetTrackingConfig } from './target-tracking';

/** Planner settings a backtest may vary; target and bounds come from the backtest itself. */
export type BacktestPlannerOptions = Omit<
  PlannerConfig,
  'targetValuePerInstance' | 'minCapacity' | 'maxCapacity'
>;

/** A backtest setting that cannot work; the message names the field and the value received. */
export class SimulationConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SimulationConfigError';
  }
}

export interface BacktestOptions {
  /** Load one in-service instance carries at target, in the trace's unit per step. */
  readonly targetValue: number;
  /** Injected forecaster: `selectForecast` in production, a double in tests. */
  readonly forecaster: Forecaster;
  /** Default 1. */
  readonly minCapacity?: number;
  /** Default {@link DEFAULT_BACKTEST_MAX_CAPACITY}: generous, so the bounds rarely decide the comparison. */
  readonly maxCapacity?: number;
  /** Instance warm-up, launch to in service. Default 300 s. */
  readonly warmupSec?: number;
  /** Planner settings (block length, buffer, basis, max breach). Defaults: the planner's. */
  readonly planner?: BacktestPlannerOptions;
  /**
   * Target-tracking alarm settings other than target, bounds and warm-up: datapoints to scale out
   * (default 3) and in (default 15), the metric period (default the trace's step; 60 for 1-minute
   * detailed monitoring) and the scale-in threshold. The frontier runs the same settings.
   */
  readonly reactive?: Pick<
    TargetTrackingConfig,
    'scaleOutDatapoints' | 'scaleInDatapoints' | 'metricPeriodSec' | 'scaleInThreshold'
  >;
  /** Time between re-forecasts. Default 3,600 s; must be a whole number of steps. */
  readonly replanEverySec?: number;
  /** Trailing history each forecast sees. Default 14 days. */
  readonly historySec?: number;
  /** History needed before the first forecast (the trust gate). Default 24 h. */
  readonly minHistorySec?: number;
  /**
   * How far each decision forecasts and plans, from the decision. Default 48 h, the deployed
   * scaler's default `horizonHours`: a plan runs on until a later trusted one replaces it, so an
   * untrusted stretch lives on the blocks planned before it, as far ahead as the scaler writes
   * them. The 24 h accuracy is scored only when it is at least 24 h.
   */
  readonly forecastHorizonSec?: number;
  /** Quantile of the upper bound asked of the forecaster. Default 0.9. */
  readonly upperQuantile?: number;
  /** UTC offset of the load's weekend asked of the forecaster (`ForecastOptions`). Default 0. */
  readonly weekendUtcOffsetSec?: number;
  /**
   * What the floor is planned on, as the forecaster Lambda's `planningBound` (see
   * `planningForecast`). Default `block-max`: the forecaster's point forecast plus a margin
   * calibrated on the chosen candidate model's errors of each block's maximum (quantile
   * `blockMaxQuantile`); forecasts from models outside `lambdas/core/forecast/candidates` keep
   * their own upper bound. `upper`: the forecaster's upper bound as returned (`upperQuantile`).
   */
  readonly planningBound?: PlanningBound;
  /** Quantile of the block-maximum errors with `block-max`. Default 0.5 (the median block peak). */
  readonly blockMaxQuantile?: number;
  /** Target fractions of the reactive frontier. Default 1.0, 0.95, …, 0.3. */
  readonly frontierFractions?: readonly number[];
  /**
   * Runs of `load` that `regularize` filled by interpolation (its report's `filledRuns`): no
   * decision sees a value interpolated towards a point after it, and a history holding a filled
   * run longer than the trust gate's limit is not trusted, as in the deployed scaler. Default: none.
   */
  readonly filledRuns?: readonly FilledRun[];
  /** Called after each re-forecast, e.g. to draw a progress bar. */
  readonly onProgress?: (doneHours: number, totalHours: number) => void;
}

/** Backtest settings in grid steps, defaults filled and checked. */
export interface ResolvedBacktest {
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly warmupSec: number;
  readonly replanSteps: number;
  readonly firstDecision: number;
  readonly historySteps: number;
  readonly horizonSteps: number;
}

const DAY_SEC = 86_400;
/** The simulated group's maximum size unless `maxCapacity` says otherwise. */
export const DEFAULT_BACKTEST_MAX_CAPACITY = 1_000;

/**
 * Fills the backtest defaults and converts durations to grid steps; fails with a
 * {@link SimulationConfigError} naming the field and value (e.g. a trace too short to forecast).
 */
export function resolveBacktestOptions(load: RegularSeries, o: BacktestOptions): ResolvedBacktest {
  const step = load.stepSec;
  const minCapacity = o.minCapacity ?? 1;
  const maxCapacity = o.maxCapacity ?? DEFAULT_BACKTEST_MAX_CAPACITY;
  const warmupSec = o.warmupSec ?? 300;
  const replanEverySec = o.replanEverySec ?? 3_600;
  const minHistorySec = o.minHistorySec ?? DAY_SEC;
  const historySec = o.historySec ?? 14 * DAY_SEC;
  const horizonSec = o.forecastHorizonSec ?? DEFAULT_HORIZON_HOURS * 3600;
  check('targetValue', o.targetValue, o.targetValue > 0 && Number.isFinite(o.targetValue), 'be > 0');
  check('minCapacity', minCapacity, Number.isInteger(minCapacity) && minCapacity >= 0, 'be an integer >= 0');
  check(
    'maxCapacity',
    maxCapacity,
    Number.isInteger(maxCapacity) && maxCapacity >= Math.max(1, minCapacity),
    `be an integer >= max(1, minCapacity ${minCapacity})`,
  );
  check('warmupSec', warmupSec, warmupSec >= 0 && Number.isFinite(warmupSec), 'be >= 0');
  checkReactive(o.reactive ?? {});
  checkFilledRuns(o.filledRuns ?? [], load.values.length);
  const bound = o.planningBound;
  if (bound !== undefined && !PLANNING_BOUNDS.includes(bound)) {
    throw new SimulationConfigError(
      `planningBound must be one of ${PLANNING_BOUNDS.join(', ')}, got ${bound}`,
    );
  }
  const replanSteps = replanEverySec / step;
  check(
    'replanEverySec',
    replanEverySec,
    Number.isInteger(replanSteps) && replanSteps >= 1,
    `be a whole number of ${step} s steps`,
  );
  check('historySec', historySec, historySec >= minHistorySec, `be >= minHistorySec (${minHistorySec})`);
  check(
    'forecastHorizonSec',
    horizonSec,
    horizonSec >= replanEverySec,
    `be >= replanEverySec (${replanEverySec})`,
  );
  const firstDecision = Math.ceil(minHistorySec / step);
  if (firstDecision >= load.values.length) {
    const hours = (load.values.length * step) / 3600;
    throw new SimulationConfigError(
      `trace too short: ${hours.toFixed(1)} h of data, but the first forecast needs ${minHistorySec / 3600} h of history`,
    );
  }
  return {
    minCapacity,
    maxCapacity,
    warmupSec,
    replanSteps,
    firstDecision,
    historySteps: Math.floor(historySec / step),
    horizonSteps: Math.ceil(horizonSec / step),
  };
}

function checkReactive(r: NonNullable<BacktestOptions['reactive']>): void {
  const datapoints = (field: 'scaleOutDatapoints' | 'scaleInDatapoints') => {
    const v = r[field];
    if (v !== undefined) check(field, v, Number.isInteger(v) && v >= 1, 'be an integer >= 1');
  };
  datapoints('scaleOutDatapoints');
  datapoints('scaleInDatapoints');
  const period = r.metricPeriodSec;
  if (period !== undefined) check('metricPeriodSec', period, period > 0 && Number.isFinite(period), 'be > 0');
  const low = r.scaleInThreshold;
  if (low !== undefined) check('scaleInThreshold', low, low > 0 && low <= 1, 'be in (0, 1]');
}

/**
 * Runs as `regularize` reports them: whole steps between two real points of the trace, in time
 * order, apart. Anything else would show a decision points that were never filled, or hide real ones.
 */
function checkFilledRuns(runs: readonly FilledRun[], length: number): void {
  let next = 1;
  runs.forEach((run, k) => {
    const { fromIndex, steps } = run;
    const ok =
      Number.isInteger(fromIndex) &&
      Number.isInteger(steps) &&
      steps >= 1 &&
      fromIndex >= next &&
      fromIndex + steps < length;
    if (!ok) {
      throw new SimulationConfigError(
        `filledRuns[${k}] must lie between two real points of the ${length}-point trace, after the run before it (fromIndex >= ${next}, steps >= 1, fromIndex + steps <= ${length - 1}), got fromIndex ${fromIndex}, steps ${steps}`,
      );
    }
    next = fromIndex + steps + 1;
  });
}

function check(field: string, value: number, ok: boolean, rule: string): void {
  if (!ok) throw new SimulationConfigError(`${field} must ${rule}, got ${value}`);
}
