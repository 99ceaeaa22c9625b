import type { RegularSeries } from '../series/types';
import { type CapacityBounds, type GroupRun, neededCapacity } from './target-tracking';
import type { PolicyOutcome } from './types';

/**
 * Scores in-service capacity against the load from step `fromIndex` on: a step is
 * under-provisioned when load per in-service instance exceeds `targetValue` (any load with no
 * instance counts too); the shortfall is the capacity the load needed minus the capacity serving.
 */
export function scoreCapacity(
  load: RegularSeries,
  run: GroupRun,
  targetValue: number,
  fromIndex = 0,
): PolicyOutcome {
  const { inService } = run;
  let instanceSteps = 0;
  let actions = 0;
  let under = 0;
  let worst = 0;
  const n = load.values.length;
  for (let i = fromIndex; i < n; i++) {
    const l = load.values[i] as number;
    const c = inService[i] as number;
    instanceSteps += c;
    actions += run.actions[i] ?? 0;
    // Compared through neededCapacity so the oracle's own rounding never reads as a breach.
    const need = neededCapacity(l, targetValue);
    if (need > c) under++;
    worst = Math.max(worst, need - c);
  }
  const steps = n - fromIndex;
  return {
    instanceHours: (instanceSteps * load.stepSec) / 3600,
    underProvisionedFraction: steps > 0 ? under / steps : 0,
    worstShortfall: worst,
    scalingActions: actions,
  };
}

/**
 * Perfect foresight: exactly the capacity each step needs, already in service, within the bounds
 * (so a binding `max` can leave even the oracle short). Counts every change as one action.
 */
export function oracleCapacity(load: RegularSeries, targetValue: number, bounds: CapacityBounds): GroupRun {
  const inService = load.values.map((l) =>
    Math.min(bounds.max, Math.max(bounds.min, neededCapacity(l, targetValue))),
  );
  const actions = new Uint32Array(inService.length);
  for (let i = 1; i < inService.length; i++) actions[i] = inService[i] === inService[i - 1] ? 0 : 1;
  return { inService, actions };
}
