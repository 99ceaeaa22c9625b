/** What the capacity planner does when the forecast needs more than `maxCapacity`, as in AWS predictive scaling. */
export type MaxCapacityBreachBehavior = 'honor' | 'increase';

/** Which forecast series capacity is planned on. */
export type PlanningBasis = 'upper' | 'point';

/**
 * Capacity-planning settings, named after AWS predictive scaling's so users recognise them.
 * Capacity needed = forecast load / `targetValuePerInstance`, rounded up.
 */
export interface PlannerConfig {
  /** Load one instance should carry (the target-tracking target value), in the load metric's unit. */
  readonly targetValuePerInstance: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Default `honor`: never plan above `maxCapacity`. */
  readonly maxCapacityBreachBehavior?: MaxCapacityBreachBehavior;
  /** With `increase`: how far above `maxCapacity` a plan may go, percent of the forecast capacity. Default 10. */
  readonly maxCapacityBufferPercent?: number;
  /** Pre-launch lead time: each block's action runs this long before the block starts. Default 300. */
  readonly schedulingBufferSec?: number;
  /** How far ahead to plan. Default 48 h (172,800 s). */
  readonly horizonSec?: number;
  /** Planning block length. Default 3,600 s, as AWS; shorter blocks (e.g. 900) plan closer to the load. */
  readonly blockSec?: number;
  /** Default `upper`: point forecasts under-shoot most peaks. */
  readonly basis?: PlanningBasis;
}

/** One block of the plan: from `actionAtSec` the group's minimum is raised to `minCapacity`. */
export interface PlannedBlock {
  readonly blockStartSec: number;
  readonly blockEndSec: number;
  /**
   * `blockStartSec - schedulingBufferSec`: when a raise to this block takes effect. A lowering
   * takes effect at `blockStartSec`, when the higher block before it ends.
   */
  readonly actionAtSec: number;
  /** Highest forecast load (on the planning basis) inside the block. */
  readonly forecastLoad: number;
  /** Capacity the forecast needs, before bounds. */
  readonly neededCapacity: number;
  /** Floor to set: needed capacity within the bounds; never below the configured minimum. */
  readonly minCapacity: number;
  /**
   * Group maximum while the block is in force: the configured `maxCapacity` with `honor`; with
   * `increase` and a forecast above it, `ceil(neededCapacity * (1 + bufferPercent / 100))`, as AWS.
   */
  readonly maxCapacity: number;
  /** Set when the bounds changed the needed capacity, e.g. "capped at maxCapacity 20 (honor)". */
  readonly boundNote?: string;
}

/** The planner's answer. Untrusted plans carry no blocks and say why. */
export interface CapacityPlan {
  readonly trusted: boolean;
  readonly reason: string;
  readonly blocks: readonly PlannedBlock[];
}
