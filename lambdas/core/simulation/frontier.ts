import type { RegularSeries } from '../series/types';
import { scoreCapacity } from './outcome';
import { simulateTargetTracking, type TargetTrackingConfig } from './target-tracking';
import type { FrontierPoint } from './types';

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
 * A policy's under-provisioned fraction divided by the frontier's at the same instance-hours,
 * interpolated linearly between the two frontier points that bracket `instanceHours`.
 * Returns `null` when no two points bracket it (out of the frontier's range) or when the
 * interpolated fraction is 0 (headroom alone removes every breach there; a ratio means nothing).
 */
export function equalCostRatio(
  frontier: readonly FrontierPoint[],
  instanceHours: number,
  underProvisionedFraction: number,
): number | null {
  const pts = [...frontier].sort((a, b) => a.instanceHours - b.instanceHours);
  for (let k = 1; k < pts.length; k++) {
    const a = pts[k - 1] as FrontierPoint;
    const b = pts[k] as FrontierPoint;
    if (instanceHours < a.instanceHours || instanceHours > b.instanceHours) continue;
    const span = b.instanceHours - a.instanceHours;
    const w = span > 0 ? (instanceHours - a.instanceHours) / span : 0;
    const ref = a.underProvisionedFraction + w * (b.underProvisionedFraction - a.underProvisionedFraction);
    return ref > 0 ? underProvisionedFraction / ref : null;
  }
  return null;
}
