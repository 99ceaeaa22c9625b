import type { RegularSeries } from '../series/types';
import { scoreCapacity } from './outcome';
import { simulateTargetTracking, type TargetTrackingConfig } from './target-tracking';
import type { BacktestResult, EqualCostComparison, FrontierPoint } from './types';

/** Target fractions of the default frontier: 1.0, 0.95, …, 0.3. */
export const DEFAULT_FRONTIER_FRACTIONS: readonly number[] = Array.from(
  { length: 15 },
  (_, k) => Math.round((1 - 0.05 * k) * 100) / 100,
);

/**
 * Reactive scaling alone at lowered targets (`targetValue × fraction`): the cost of buying safety
 * with headroom. Every point is scored against the configured target from `fromIndex` on.
 */
export function reactiveFrontier(
  load: RegularSeries,
  config: TargetTrackingConfig,
  fractions: readonly number[] = DEFAULT_FRONTIER_FRACTIONS,
  fromIndex = 0,
): FrontierPoint[] {
  return fractions.map((targetFraction) => {
    const run = simulateTargetTracking(load, { ...config, targetValue: config.targetValue * targetFraction });
    const outcome = scoreCapacity(load, run, config.targetValue, fromIndex);
    return {
      targetFraction,
      instanceHours: outcome.instanceHours,
      underProvisionedFraction: outcome.underProvisionedFraction,
    };
  });
}

/**
 * Compares a policy with the frontier at the same instance-hours: the frontier's under-provisioned
 * fraction there is interpolated linearly between the two points that bracket `instanceHours`,
 * or read off a point whose instance-hours equal it (either end included, also for a one-point
 * frontier).
 */
export function compareAtEqualCost(
  frontier: readonly FrontierPoint[],
  instanceHours: number,
  underProvisionedFraction: number,
): EqualCostComparison {
  const pts = [...frontier].sort((a, b) => a.instanceHours - b.instanceHours);
  const first = pts[0];
  const last = pts[pts.length - 1];
  if (first === undefined || last === undefined || instanceHours > last.instanceHours)
    return { kind: 'costlier' };
  if (instanceHours < first.instanceHours) return { kind: 'cheaper' };
  // The first point at or beyond the policy's cost exists: the last point is.
  const k = pts.findIndex((p) => p.instanceHours >= instanceHours);
  const b = pts[k] as FrontierPoint;
  const a = pts[k - 1];
  const ref =
    a === undefined || b.instanceHours === instanceHours
      ? b.underProvisionedFraction
      : a.underProvisionedFraction +
        ((instanceHours - a.instanceHours) / (b.instanceHours - a.instanceHours)) *
          (b.underProvisionedFraction - a.underProvisionedFraction);
  return ref > 0 ? { kind: 'ratio', ratio: underProvisionedFraction / ref } : { kind: 'noBreaches' };
}

/**
 * A result's comparison at equal cost: the one `runBacktest` recorded, or, for a result
 * without it (made by hand, or before it was recorded), the one its frontier gives.
 */
export function equalCostOf(
  result: Pick<BacktestResult, 'equalCost' | 'policies' | 'reactiveFrontier'>,
): EqualCostComparison {
  if (result.equalCost !== undefined) return result.equalCost;
  const { instanceHours, underProvisionedFraction } = result.policies.predictive;
  return compareAtEqualCost(result.reactiveFrontier, instanceHours, underProvisionedFraction);
}
