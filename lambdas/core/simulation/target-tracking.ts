import type { RegularSeries } from '../series/types';

/**
 * Target tracking as EC2 Auto Scaling documents it, reduced to a per-step simulation.
 * Sources (Amazon EC2 Auto Scaling User Guide):
 * - "Target tracking scaling policies" (as-scaling-target-tracking.html): the policy creates two
 *   alarms; the scale-out alarm needs 3 datapoints in 3 minutes above the target, the scale-in
 *   alarm 15 datapoints in 15 minutes below it (its threshold sits about 10 % under the target);
 *   capacity changes in proportion to the metric, scale-in is deliberately more conservative, and
 *   no scale-in happens while a scale-out is in progress.
 * - "Set the default instance warmup" (ec2-auto-scaling-default-instance-warmup.html): instances in
 *   warm-up do not count toward the metric; during scale-out they do count as current capacity
 *   when deciding how many to add (so repeated alarms do not over-launch); scale-in is blocked
 *   until warm-up completes.
 * Modelling choices where the docs leave room: a datapoint covers one step and is published at
 * the step's end, so with 5-minute data the 3-minute alarm fires on the first breaching step;
 * a warm instance carries load (and counts) from the first step that starts after its warm-up;
 * scale-in sizes on the highest load of its evaluation window and then waits a full window.
 */
export interface TargetTrackingConfig {
  /** Load per in-service instance the policy aims at (e.g. requests per 5 minutes). */
  readonly targetValue: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Launch to in-service delay. Default 300 s. */
  readonly warmupSec?: number;
  /** How long the metric must breach before scale-out. Default 180 s (3 × 1-minute datapoints). */
  readonly scaleOutAlarmSec?: number;
  /** How long the metric must stay low before scale-in. Default 900 s (15 × 1-minute datapoints). */
  readonly scaleInAlarmSec?: number;
  /** Scale-in alarm threshold as a fraction of the target. Default 0.9. */
  readonly scaleInThreshold?: number;
}

/** Group bounds in force at a time; predictive scaling raises `min` (and with `increase`, `max`). */
export interface CapacityBounds {
  readonly min: number;
  readonly max: number;
}

/** Bounds at a time, asked for with non-decreasing times; `undefined` keeps the configured ones. */
export type BoundsAt = (tSec: number) => CapacityBounds | undefined;

/** What a simulated group did: in-service capacity per step and the capacity changes made in each step. */
export interface GroupRun {
  readonly inService: Float64Array;
  readonly actions: Uint32Array;
}

const EPS = 1e-9;

/** Instances needed to carry `load` at `target` each. */
export function neededCapacity(load: number, target: number): number {
  return Math.max(0, Math.ceil(load / target - EPS));
}

interface Pending {
  readyAtSec: number;
  count: number;
}

/**
 * Replays `load` (total load per step) through a target-tracking group. The group starts sized
 * for the first step's load, already in service. `boundsAt`, when given, is consulted at every
 * step start: a raised minimum launches instances at once (they serve after warm-up), as a
 * scheduled predictive-scaling action would.
 */
export function simulateTargetTracking(
  load: RegularSeries,
  config: TargetTrackingConfig,
  boundsAt: BoundsAt = () => undefined,
): GroupRun {
  const { stepSec, startSec, values } = load;
  const target = config.targetValue;
  const warmupSec = config.warmupSec ?? 300;
  const outPeriods = Math.max(1, Math.ceil((config.scaleOutAlarmSec ?? 180) / stepSec - EPS));
  const inPeriods = Math.max(1, Math.ceil((config.scaleInAlarmSec ?? 900) / stepSec - EPS));
  const lowMetric = (config.scaleInThreshold ?? 0.9) * target;
  const fallback: CapacityBounds = { min: config.minCapacity, max: config.maxCapacity };
  const inService = new Float64Array(values.length);
  const actions = new Uint32Array(values.length);
  let pending: Pending[] = [];
  let desired = clamp(neededCapacity(values[0] ?? 0, target), boundsAt(startSec) ?? fallback);
  let serving = desired;
  let step = 0;
  let above = 0;
  let below = 0;
  const launch = (count: number, atSec: number) => {
    pending.push({ readyAtSec: atSec + warmupSec, count });
    desired += count;
    actions[step] = (actions[step] ?? 0) + 1;
  };
  for (let i = 0; i < values.length; i++) {
    step = i;
    const t = startSec + i * stepSec;
    const bounds = boundsAt(t) ?? fallback;
    if (desired < bounds.min) launch(bounds.min - desired, t);
    if (desired > bounds.max) {
      // A lowered maximum terminates at once: warming instances first, then serving ones.
      const drop = desired - bounds.max;
      ({ pending, serving } = dropCapacity(pending, serving, drop));
      desired = bounds.max;
      actions[i] = (actions[i] ?? 0) + 1;
    }
    serving += pending.filter((p) => p.readyAtSec <= t + EPS).reduce((s, p) => s + p.count, 0);
    pending = pending.filter((p) => p.readyAtSec > t + EPS);
    inService[i] = serving;

    const l = values[i] as number;
    // "metric > target" written as needed > serving, with the same float tolerance as the scoring.
    above = neededCapacity(l, target) > serving ? above + 1 : 0;
    below = l < lowMetric * serving ? below + 1 : 0;
    const decideAt = t + stepSec;
    if (above >= outPeriods) {
      // desired = ceil(current × metric / target) = ceil(load / target): warming instances count
      // as current capacity, so only the shortfall beyond them is launched.
      const want = Math.min(bounds.max, neededCapacity(l, target));
      if (want > desired) launch(want - desired, decideAt);
    } else if (below >= inPeriods && pending.length === 0) {
      const want = Math.max(bounds.min, neededCapacity(windowPeak(values, i, inPeriods), target));
      if (want < desired) {
        serving -= desired - want;
        desired = want;
        actions[i] = (actions[i] ?? 0) + 1;
        below = 0;
      }
    }
  }
  return { inService, actions };
}

function clamp(n: number, b: CapacityBounds): number {
  return Math.min(b.max, Math.max(b.min, n));
}

function windowPeak(values: Float64Array, last: number, len: number): number {
  let peak = Number.NEGATIVE_INFINITY;
  for (let k = Math.max(0, last - len + 1); k <= last; k++) peak = Math.max(peak, values[k] as number);
  return peak;
}

function dropCapacity(
  pending: Pending[],
  serving: number,
  drop: number,
): { pending: Pending[]; serving: number } {
  let left = drop;
  const kept: Pending[] = [];
  for (const p of [...pending].reverse()) {
    const cut = Math.min(left, p.count);
    left -= cut;
    if (p.count > cut) kept.unshift({ readyAtSec: p.readyAtSec, count: p.count - cut });
  }
  return { pending: kept, serving: serving - left };
}
