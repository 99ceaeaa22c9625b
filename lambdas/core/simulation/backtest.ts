import type { RegularSeries } from '../series/types';
import { AccuracyCollector } from './accuracy';
import { type BacktestOptions, resolveBacktestOptions } from './backtest-options';

export { type BacktestOptions, type BacktestPlannerOptions, SimulationConfigError } from './backtest-options';

import { PLANNER_DEFAULTS } from '../planning/config';
import { DEFAULT_PLANNING_BOUND, planningForecast } from '../planning/planning-bound';
import { compareAtEqualCost, DEFAULT_FRONTIER_FRACTIONS, reactiveFrontier } from './frontier';
import { oracleCapacity, scoreCapacity } from './outcome';
import { type PlanOn, PredictiveFloor } from './predictive-floor';
import { type GroupRun, simulateTargetTracking, type TargetTrackingConfig } from './target-tracking';
import type { BacktestResult } from './types';

/**
 * Replays a load trace under three policies and compares them: reactive target tracking alone,
 * predictive scaling (hourly re-forecast on the trailing history known at each decision, judged
 * by the deployed trust gate, planned by `planCapacity` over the deployed default horizon of
 * 48 h, raising the group's minimum) with the same target tracking above it, and an oracle with
 * perfect foresight. Also scores the forecasts, builds the reactive frontier and the equal-cost
 * ratio. Pure: time comes from the trace, the forecaster is injected.
 * Everything is scored from the first decision that has `minHistorySec` of history; before it,
 * predictive equals reactive.
 */
export function runBacktest(load: RegularSeries, options: BacktestOptions): BacktestResult {
  const s = resolveBacktestOptions(load, options);
  const group: TargetTrackingConfig = {
    targetValue: options.targetValue,
    minCapacity: s.minCapacity,
    maxCapacity: s.maxCapacity,
    warmupSec: s.warmupSec,
    ...options.reactive,
  };
  const collector = new AccuracyCollector(load, s.replanSteps);
  let made = 0;
  let trusted = 0;
  const floor = new PredictiveFloor(load, {
    forecaster: options.forecaster,
    planOn: planningBoundOf(load.stepSec, options),
    filledRuns: options.filledRuns,
    planner: {
      ...options.planner,
      targetValuePerInstance: options.targetValue,
      minCapacity: s.minCapacity,
      maxCapacity: s.maxCapacity,
    },
    replanSteps: s.replanSteps,
    firstDecision: s.firstDecision,
    historySteps: s.historySteps,
    forecastOptions: {
      horizonSteps: s.horizonSteps,
      upperQuantile: options.upperQuantile ?? 0.9,
      weekendUtcOffsetSec: options.weekendUtcOffsetSec ?? 0,
    },
    onForecast: (decision, history, forecast) => {
      collector.add(decision, history, forecast);
      made++;
      if (forecast.trust.trusted) trusted++;
      options.onProgress?.(floor.decisions, floor.totalDecisions);
    },
  });
  const reactive = simulateTargetTracking(load, group);
  const predictive = simulateTargetTracking(load, group, floor.boundsAt);
  const oracle = oracleCapacity(load, options.targetValue, { min: s.minCapacity, max: s.maxCapacity });
  const from = s.firstDecision;
  const score = (run: GroupRun) => scoreCapacity(load, run, options.targetValue, from);
  const policies = { reactive: score(reactive), predictive: score(predictive), oracle: score(oracle) };
  const frontier = reactiveFrontier(
    load,
    group,
    options.frontierFractions ?? DEFAULT_FRONTIER_FRACTIONS,
    from,
  );
  const { instanceHours, underProvisionedFraction } = policies.predictive;
  const equalCost = compareAtEqualCost(frontier, instanceHours, underProvisionedFraction);
  return {
    policies,
    reactiveFrontier: frontier,
    equalCostRatio: equalCost.kind === 'ratio' ? equalCost.ratio : null,
    equalCost,
    forecast: collector.result(from),
    forecasts: { made, trusted },
    scoredFromSec: load.startSec + from * load.stepSec,
    timeline: {
      startSec: load.startSec,
      stepSec: load.stepSec,
      load: load.values,
      forecast: collector.point,
      upper: collector.upper,
      capacity: { reactive: reactive.inService, predictive: predictive.inService, oracle: oracle.inService },
    },
  };
}

/**
 * The planning bound the forecaster Lambda plans on (`planningForecast`), on the backtest's
 * blocks: they start one scheduling buffer after each decision.
 */
function planningBoundOf(stepSec: number, options: BacktestOptions): PlanOn {
  const bound = options.planningBound ?? DEFAULT_PLANNING_BOUND;
  const blockSec = options.planner?.blockSec ?? PLANNER_DEFAULTS.blockSec;
  const blockSteps = Math.max(1, Math.round(blockSec / stepSec));
  return (forecast, history, firstBlockStep) =>
    planningForecast(forecast, history, {
      bound,
      blockSteps,
      firstBlockStep,
      quantile: options.blockMaxQuantile,
      weekendUtcOffsetSec: options.weekendUtcOffsetSec ?? 0,
    }).forecast;
}
