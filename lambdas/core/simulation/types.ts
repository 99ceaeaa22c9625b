/** Outcome of one scaling policy over a backtest. Shapes the `backtest --json` output; keep it stable. */
export interface PolicyOutcome {
  /** Sum over steps of in-service capacity × step length, in hours. */
  readonly instanceHours: number;
  /** Share of steps where load per in-service instance exceeded the target value. */
  readonly underProvisionedFraction: number;
  /** Largest gap, in instances, between the capacity the load needed and the capacity in service. */
  readonly worstShortfall: number;
  /** Number of capacity changes the policy made (scale-out and scale-in each count one). */
  readonly scalingActions: number;
}

/** One point of the reactive cost/risk frontier: reactive scaling alone at a lowered target. */
export interface FrontierPoint {
  /** Target value used, as a fraction of the configured one (1 = the configured target). */
  readonly targetFraction: number;
  readonly instanceHours: number;
  readonly underProvisionedFraction: number;
}

/**
 * How a policy compares with the reactive frontier at its own instance-hours: the ratio of
 * under-provisioned fractions, or why there is none. `cheaper` / `costlier`: the policy's
 * instance-hours are below the frontier's cheapest point / beyond its costliest (or the frontier
 * is empty); `noBreaches`: the frontier reaches that cost but is never under-provisioned there
 * (headroom alone removes every breach; a ratio would divide by 0).
 */
export type EqualCostComparison =
  | { readonly kind: 'ratio'; readonly ratio: number }
  | { readonly kind: 'cheaper' }
  | { readonly kind: 'costlier' }
  | { readonly kind: 'noBreaches' };

/*
 * Fields marked optional below were added after the first contract; `runBacktest` always sets
 * them, they are optional only so hand-made results (test fixtures) need not carry them.
 */

/**
 * Forecast accuracy over the backtest, scored as in FORECAST-PROTOCOL.md with the shared metrics
 * (lambdas/core/forecast/metrics.ts). A figure with nothing to score is NaN (`null` in JSON).
 */
export interface ForecastAccuracy {
  /** Mean MASE of the 1 h origins; NaN with no origin, or when any has MASE undefined (see below). */
  readonly mase1h: number;
  readonly mase24h: number;
  readonly smape1h: number;
  readonly smape24h: number;
  /** Share of top-decile load points where the point forecast reached at least 90 % of the actual. */
  readonly peakCoverage: number;
  /**
   * The same for the forecasts' upper series as the planner consumed it: the bound the floor was
   * planned on (`planningBound`; untrusted forecasts, which plan nothing, keep the selector's upper).
   */
  readonly peakCoverageUpper: number;
  /** 100 · Σ(f − y) / Σ|y| of the point forecast; NaN with nothing scored or a load of all zero. */
  readonly biasPercent: number;
  /**
   * Forecast origins scored at 1 h: one per replan with an hour of load ahead and two days of
   * history (for the MASE scale). MASE and sMAPE at 1 h average these same origins.
   */
  readonly origins?: number;
  /** The same at 24 h: origins with a day of load ahead. */
  readonly origins24h?: number;
  /**
   * Origins at 1 h whose history has no seasonal variation (MASE scale 0 or negligible), where
   * MASE is undefined; when any is, `mase1h` is NaN while `smape1h` still averages every origin.
   */
  readonly maseUndefinedOrigins?: number;
  /** The same at 24 h, for `mase24h`. */
  readonly maseUndefinedOrigins24h?: number;
}

/** Per-step series for charts: everything aligned on `startSec + i * stepSec`. */
export interface BacktestTimeline {
  readonly startSec: number;
  readonly stepSec: number;
  readonly load: Float64Array;
  /** Forecast in force at each step (NaN before the first trusted forecast). */
  readonly forecast: Float64Array;
  readonly upper: Float64Array;
  readonly capacity: {
    readonly reactive: Float64Array;
    readonly predictive: Float64Array;
    readonly oracle: Float64Array;
  };
}

export interface BacktestResult {
  readonly policies: {
    readonly reactive: PolicyOutcome;
    readonly predictive: PolicyOutcome;
    readonly oracle: PolicyOutcome;
  };
  readonly reactiveFrontier: readonly FrontierPoint[];
  /**
   * Predictive + reactive's under-provisioned fraction divided by the frontier's at the same
   * instance-hours (linear interpolation). Below 1: the forecaster beats adding headroom.
   * `null` when there is none; {@link equalCost} says why.
   */
  readonly equalCostRatio: number | null;
  /** The comparison {@link equalCostRatio} comes from: the ratio, or why there is none. */
  readonly equalCost?: EqualCostComparison;
  readonly forecast: ForecastAccuracy;
  /** Forecasts made (one per replan) and how many the trust gate let drive the plan. */
  readonly forecasts?: { readonly made: number; readonly trusted: number };
  /**
   * Start of the scored period: the first decision with enough history. Every outcome, the
   * frontier and the accuracy cover `[scoredFromSec, end]`; the timeline covers the whole trace.
   */
  readonly scoredFromSec?: number;
  readonly timeline: BacktestTimeline;
}
