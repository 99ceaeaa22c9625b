import type { MaxCapacityBreachBehavior, PlannerConfig, PlanningBasis } from './types';

/** A planner setting that cannot work; the message names the field, the value and the rule. */
export class PlannerConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PlannerConfigError';
  }
}

/** {@link PlannerConfig} with every default filled in and every rule checked. */
export interface ResolvedPlannerConfig {
  readonly targetValuePerInstance: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  readonly maxCapacityBreachBehavior: MaxCapacityBreachBehavior;
  readonly maxCapacityBufferPercent: number;
  readonly schedulingBufferSec: number;
  readonly horizonSec: number;
  readonly blockSec: number;
  readonly basis: PlanningBasis;
}

/** Defaults of AWS predictive scaling where it has one (buffer 300 s, 48 h forecast, hourly blocks). */
export const PLANNER_DEFAULTS = {
  maxCapacityBreachBehavior: 'honor',
  maxCapacityBufferPercent: 10,
  schedulingBufferSec: 300,
  horizonSec: 172_800,
  blockSec: 3_600,
  basis: 'upper',
} as const;

/**
 * Fills defaults and validates a planner config, failing fast with a {@link PlannerConfigError}
 * such as "targetValuePerInstance must be > 0, got -5".
 */
export function resolvePlannerConfig(config: PlannerConfig): ResolvedPlannerConfig {
  const r: ResolvedPlannerConfig = {
    targetValuePerInstance: config.targetValuePerInstance,
    minCapacity: config.minCapacity,
    maxCapacity: config.maxCapacity,
    maxCapacityBreachBehavior: config.maxCapacityBreachBehavior ?? PLANNER_DEFAULTS.maxCapacityBreachBehavior,
    maxCapacityBufferPercent: config.maxCapacityBufferPercent ?? PLANNER_DEFAULTS.maxCapacityBufferPercent,
    schedulingBufferSec: config.schedulingBufferSec ?? PLANNER_DEFAULTS.schedulingBufferSec,
    horizonSec: config.horizonSec ?? PLANNER_DEFAULTS.horizonSec,
    blockSec: config.blockSec ?? PLANNER_DEFAULTS.blockSec,
    basis: config.basis ?? PLANNER_DEFAULTS.basis,
  };
  check('targetValuePerInstance', r.targetValuePerInstance, r.targetValuePerInstance > 0, 'be > 0');
  check(
    'minCapacity',
    r.minCapacity,
    Number.isInteger(r.minCapacity) && r.minCapacity >= 0,
    'be an integer >= 0',
  );
  check(
    'maxCapacity',
    r.maxCapacity,
    Number.isInteger(r.maxCapacity) && r.maxCapacity >= 1,
    'be an integer >= 1',
  );
  check('maxCapacity', r.maxCapacity, r.maxCapacity >= r.minCapacity, `be >= minCapacity (${r.minCapacity})`);
  // AWS accepts a MaxCapacityBuffer of 0-100 percent.
  check(
    'maxCapacityBufferPercent',
    r.maxCapacityBufferPercent,
    r.maxCapacityBufferPercent >= 0 && r.maxCapacityBufferPercent <= 100,
    'be between 0 and 100',
  );
  check('blockSec', r.blockSec, Number.isInteger(r.blockSec) && r.blockSec >= 60, 'be an integer >= 60');
  // AWS requires SchedulingBufferTime below the 3,600 s forecast interval; here: below one block.
  check(
    'schedulingBufferSec',
    r.schedulingBufferSec,
    r.schedulingBufferSec >= 0 && r.schedulingBufferSec < r.blockSec,
    `be >= 0 and < blockSec (${r.blockSec})`,
  );
  check('horizonSec', r.horizonSec, r.horizonSec >= r.blockSec, `be >= blockSec (${r.blockSec})`);
  check(
    'maxCapacityBreachBehavior',
    r.maxCapacityBreachBehavior,
    r.maxCapacityBreachBehavior === 'honor' || r.maxCapacityBreachBehavior === 'increase',
    "be 'honor' or 'increase'",
  );
  check('basis', r.basis, r.basis === 'upper' || r.basis === 'point', "be 'upper' or 'point'");
  return r;
}

function check(field: string, value: unknown, ok: boolean, rule: string): void {
  // `ok` is false for NaN comparisons too, so NaN and Infinity are rejected where a bound applies.
  const finite = typeof value !== 'number' || Number.isFinite(value);
  if (!ok || !finite) throw new PlannerConfigError(`${field} must ${rule}, got ${String(value)}`);
}
