import type { RegularSeries } from '../series/types';
import { AlarmDatapoints, alarmEvaluation } from './alarm-datapoints';

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
 * - "PredefinedMetricSpecification" (Auto Scaling API Reference): every predefined metric is an
 *   average over the group (ASGAverageCPUUtilization "Average CPU utilization of the Auto Scaling
 *   group", ALBRequestCountPerTarget "Average ... request count per target"); MetricAlarm `Period`:
 *   "The period, in seconds, over which the statistic is applied".
 * Reported by users (GitHub, not AWS documentation): the managed alarms have a 60 s period
 * (hashicorp/terraform-provider-aws#42553, Application Auto Scaling), AlarmHigh 3 datapoints and
 * AlarmLow 15 (aws-samples/amazon-aurora-labs-for-mysql#3).
 *
 * Assumed (not stated by AWS): a metric that only has a datapoint every 5 minutes (EC2 basic
 * monitoring; a trace of 5-minute points) gives the 60 s alarm one real datapoint per 5 minutes,
 * so 3 datapoints take 15 minutes and 15 take 75. Hence the model ({@link alarmEvaluation}): with
 * a `metricPeriodSec` (default: the trace step) no coarser than the step, an alarm delay is
 * datapoints × period, rounded up to whole steps, at least one, and the alarm counts consecutive
 * breaching steps. With a coarser period (60 s on a 15 s trace) the steps are grouped into
 * period-long datapoints aligned on multiples of the period ({@link AlarmDatapoints}), each the
 * metric's Average over its steps (load ÷ in-service instances, summed over the steps), and the
 * alarm counts consecutive breaching datapoints. A datapoint is published at the end of its last
 * step; a scale-out sizes on its metric × the capacity in service at that end.
 * Also modelled, where the docs leave room: a warm instance carries load (and counts) from the
 * first step that starts after its warm-up; the scale-in alarm's threshold sits 10 % under the
 * target; scale-in sizes on the highest load the datapoints of its evaluation window imply and
 * then waits a full window.
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
   * Coarser than the step (60 on a 15 s trace), each datapoint averages the steps of its period.
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
  const alarms = alarmEvaluation(config, stepSec);
  const datapoints = new AlarmDatapoints(alarms.datapointSec, stepSec);
  // The load each published datapoint implies, for the scale-in window's peak.
  const implied = new Float64Array(values.length);
  let published = 0;
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

    const dp = datapoints.add(t, values[i] as number, serving);
    if (dp === undefined) continue;
    implied[published++] = dp.impliedLoad;
    // "metric > target" written as needed > in service, with the same float tolerance as the scoring.
    above = neededCapacity(dp.load, target) > dp.instanceSteps ? above + 1 : 0;
    below = dp.load < lowMetric * dp.instanceSteps ? below + 1 : 0;
    const decideAt = t + stepSec;
    if (above >= alarms.outDatapoints) {
      // desired = ceil(current × metric / target) = ceil(implied load / target): warming instances
      // count as current capacity, so only the shortfall beyond them is launched.
      const want = Math.min(bounds.max, neededCapacity(dp.impliedLoad, target));
      if (want > desired) launch(want - desired, decideAt);
    } else if (below >= alarms.inDatapoints && pending.length === 0) {
      const peak = windowPeak(implied, published - 1, alarms.inDatapoints);
      const want = Math.max(bounds.min, neededCapacity(peak, target));
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
