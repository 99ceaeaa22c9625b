import type { RegularSeries } from '../series/types';

/**
 * Target tracking as EC2 Auto Scaling documents it, reduced to a per-step simulation.
 *
 * Verified in AWS documentation:
 * - EC2 Auto Scaling User Guide, "Target tracking scaling policies" (as-scaling-target-tracking.html):
 *   Auto Scaling creates and manages the CloudWatch alarms that invoke the policy; it scales out
 *   in proportion to the metric and scales in more gradually.
 * - "Create a target tracking scaling policy" (policy_creating.html): "confirm that your preferred
 *   metric is available at 1-minute intervals (compared to the default 5-minute interval of Amazon
 *   EC2 metrics)". "Create a target tracking policy using high-resolution metrics"
 *   (policy-creating-high-resolution-metrics.html): the policy observes its metric at a metric
 *   period of 60 s by default, 10 s at the lowest; a period above 60 s is not supported.
 * - CloudWatch User Guide, "Alarm evaluation" (alarm-evaluation.html): an alarm compares one
 *   datapoint per Period and needs "Datapoints to Alarm" breaching datapoints among the latest
 *   "Evaluation Periods"; missing data is treated as `missing` by default (alarms-and-missing-data.html).
 * - "Set the default instance warmup" (ec2-auto-scaling-default-instance-warmup.html): instances in
 *   warm-up do not count toward the metric, do count as current capacity when sizing a scale-out,
 *   and block scale-in until warm-up completes.
 * Reported by users (GitHub, not AWS documentation): the managed alarms have a 60 s period
 * (hashicorp/terraform-provider-aws#42553, Application Auto Scaling), AlarmHigh 3 datapoints and
 * AlarmLow 15 (aws-samples/amazon-aurora-labs-for-mysql#3).
 *
 * Assumed (not stated by AWS): a metric that only has a datapoint every 5 minutes (EC2 basic
 * monitoring; a trace of 5-minute points) gives the 60 s alarm one real datapoint per 5 minutes,
 * so 3 datapoints take 15 minutes and 15 take 75. Hence the model: an alarm delay is datapoints ×
 * `metricPeriodSec` (default: the trace step), rounded up to whole steps, at least one; the alarm
 * counts consecutive breaching steps; a step's datapoint is published at the step's end.
 * Also modelled, where the docs leave room: a warm instance carries load (and counts) from the
 * first step that starts after its warm-up; the scale-in alarm's threshold sits 10 % under the
 * target; scale-in sizes on the highest load of its evaluation window and then waits a full window.
 */
export interface TargetTrackingConfig {
  /** Load per in-service instance the policy aims at (e.g. requests per 5 minutes). */
  readonly targetValue: number;
  readonly minCapacity: number;
  readonly maxCapacity: number;
  /** Launch to in-service delay. Default 300 s. */
  readonly warmupSec?: number;
  /** Consecutive breaching datapoints the scale-out alarm needs. Default 3. */
  readonly scaleOutDatapoints?: number;
  /** Consecutive low datapoints the scale-in alarm needs. Default 15. */
  readonly scaleInDatapoints?: number;
  /**
   * Period of the metric's datapoints as the alarms see them. Default: the trace's step (the
   * trace's datapoints are what CloudWatch holds). 60 models 1-minute detailed monitoring: 3
   * datapoints take 3 minutes, so on 5-minute steps the alarm fires on the first breaching step.
   */
  readonly metricPeriodSec?: number;
  /** Scale-in alarm threshold as a fraction of the target. Default 0.9. */
  readonly scaleInThreshold?: number;
}

/** Group bounds in force at a time; predictive scaling raises `min` (and with `increase`, `max`). */
export interface CapacityBounds {
  readonly min: number;
  readonly max: number;
  /**
   * When `min` took its value: a scheduled action's time, which may fall between two steps (at
   * 05:55 on an hourly trace). Instances it launches are dated from then. Default: the time asked.
   */
  readonly minRaisedAtSec?: number;
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
 * step start: a raised minimum launches instances at the time it was raised (`minRaisedAtSec`,
 * kept within the step just ended: that is when it was first missing), as a scheduled
 * predictive-scaling action would; they serve after warm-up.
 */
export function simulateTargetTracking(
  load: RegularSeries,
  config: TargetTrackingConfig,
  boundsAt: BoundsAt = () => undefined,
): GroupRun {
  const { stepSec, startSec, values } = load;
  const target = config.targetValue;
  const warmupSec = config.warmupSec ?? 300;
  const { outSteps: outPeriods, inSteps: inPeriods } = alarmSteps(config, stepSec);
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
    if (desired < bounds.min) {
      // The bounds were last read at the previous step's start, so the raise came after it.
      const raisedAt = Math.min(t, Math.max(t - stepSec, bounds.minRaisedAtSec ?? t));
      launch(bounds.min - desired, raisedAt);
    }
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

/**
 * Alarm delays of `config` in whole trace steps: datapoints × metric period, rounded up to whole
 * steps and at least one (a breach is only seen once a step's datapoint is published). With a
 * period finer than the step, the datapoints inside a breaching step are taken to breach too.
 */
export function alarmSteps(
  config: Pick<TargetTrackingConfig, 'scaleOutDatapoints' | 'scaleInDatapoints' | 'metricPeriodSec'>,
  stepSec: number,
): { outSteps: number; inSteps: number } {
  const periodSec = config.metricPeriodSec ?? stepSec;
  const steps = (datapoints: number) => Math.max(1, Math.ceil((datapoints * periodSec) / stepSec - EPS));
  return { outSteps: steps(config.scaleOutDatapoints ?? 3), inSteps: steps(config.scaleInDatapoints ?? 15) };
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
