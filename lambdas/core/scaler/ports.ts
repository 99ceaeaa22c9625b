/**
 * Ports of the forecast cycle: every input and output the orchestration needs, as plain data.
 * Adapters (lambdas/adapters/) implement them with the AWS SDK; tests implement them in memory.
 */

import type { LoadMetric } from '../../../lib/config/load-metric-schema';
import type { FORECAST_METRICS } from '../../../lib/config/metric-names';
import type { Point } from '../series/types';

/** Wall-clock time, injected so tests control it. */
export interface Clock {
  /** Current time in epoch seconds (UTC). */
  nowSec(): number;
}

/** Per-item result of a batched port call: one item failing never hides the others. */
export type Outcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

/** History wanted for one target. */
export interface HistoryRequest {
  readonly targetId: string;
  readonly loadMetric: LoadMetric;
  /** Auto Scaling group, for the predefined ASG metrics' `AutoScalingGroupName` dimension. */
  readonly autoScalingGroupName: string;
  readonly periodSec: number;
  readonly startSec: number;
  readonly endSec: number;
}

/** What the metric store returned for one target, with its completeness stated, not hidden. */
export interface TargetHistory {
  /** Observations in time order. */
  readonly points: readonly Point[];
  /**
   * True when the store returned the history incomplete: it still reported `PartialData` after
   * every page was read, or it attached a message to the whole call that read it (CloudWatch then
   * executed the call only in part).
   */
  readonly partial: boolean;
  /** Status codes seen across pages (e.g. `Complete`, `PartialData`), in order, without repeats. */
  readonly statusCodes: readonly string[];
  /** Messages the store attached to this target's results and to the call that read them. */
  readonly messages: readonly string[];
}

/** Reads load history for many targets at once (batched by the adapter). */
export interface MetricSource {
  /**
   * `signal`, when given, aborts the call in flight and stops the next ones; the read then rejects
   * and sends nothing more.
   */
  fetchHistory(
    requests: readonly HistoryRequest[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, Outcome<TargetHistory>>>;
}

/** The parts of an Auto Scaling group the scaler reads (see `groupFit` for what it does with them). */
export interface GroupState {
  readonly name: string;
  readonly minSize: number;
  readonly maxSize: number;
  readonly desiredCapacity: number;
  /**
   * The unit of the three sizes as the group reports it (`DesiredCapacityType`): absent or `units`
   * counts instances; `vcpu` and `memory-mib` (attribute-based instance type selection) do not.
   */
  readonly desiredCapacityType?: string;
  /** The mixed instances policy's overrides that carry a `WeightedCapacity`, in their order. */
  readonly instanceWeights: readonly InstanceWeight[];
  /** The group's suspended processes (`SuspendedProcesses`), in the order reported. */
  readonly suspendedProcesses: readonly SuspendedProcessState[];
  /** `Status`: set only while a DeleteAutoScalingGroup of the group is in progress. */
  readonly status?: string;
}

/** One override of a mixed instances policy that weights its instance type. */
export interface InstanceWeight {
  /** Index in `MixedInstancesPolicy.LaunchTemplate.Overrides`. */
  readonly override: number;
  readonly instanceType?: string;
  /** As reported: a string, `1` to `999`. */
  readonly weightedCapacity: string;
}

/** A suspended Auto Scaling process (`Launch`, `ScheduledActions`, …) and why it was suspended. */
export interface SuspendedProcessState {
  readonly processName: string;
  /** Empty or absent when the group gives none. */
  readonly suspensionReason?: string;
}

/**
 * A scheduled action as the group reports it (DescribeScheduledActions' ScheduledUpdateGroupAction;
 * DesiredCapacity is not read: it does not bound MinSize).
 */
export interface ScheduledActionState {
  readonly name: string;
  /** A one-time action's time; for a recurring one, the time it starts (and first runs). */
  readonly startTimeSec?: number;
  /** When a recurring action stops recurring. */
  readonly endTimeSec?: number;
  readonly minSize?: number;
  readonly maxSize?: number;
  /** Unix cron: [Minute] [Hour] [Day_of_Month] [Month_of_Year] [Day_of_Week]. */
  readonly recurrence?: string;
  /** IANA time zone of `recurrence`; UTC when unset. */
  readonly timeZone?: string;
}

/**
 * Reads groups (batched) and their scheduled actions (paginated). `signal`, when given, aborts the
 * calls in flight (and sends no more) once the run stops waiting for the target.
 */
export interface GroupReader {
  /** One entry per requested name; a group that does not exist is an error entry. */
  describeGroups(
    names: readonly string[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, Outcome<GroupState>>>;
  listScheduledActions(groupName: string, signal?: AbortSignal): Promise<readonly ScheduledActionState[]>;
}

/** A one-time scheduled action to create or replace. `maxSize` unset leaves the group maximum alone. */
export interface ScheduledActionSpec {
  readonly name: string;
  readonly startTimeSec: number;
  readonly minSize: number;
  readonly maxSize?: number;
}

/** Item-level failures of a batched write; an empty list means every item succeeded. */
export interface BatchWriteResult {
  readonly failed: ReadonlyArray<{ readonly name: string; readonly error: string }>;
}

/**
 * Writes scheduled actions. Only ever called with names the scaler owns. `signal`, when given,
 * aborts the calls in flight (and sends no more) once the run stops waiting for the target, so a
 * write the run gave up on does not land after it recorded the target failed.
 */
export interface ScalingActuator {
  putScheduledActions(
    groupName: string,
    actions: readonly ScheduledActionSpec[],
    signal?: AbortSignal,
  ): Promise<BatchWriteResult>;
  /**
   * Deletes the named actions. A name the group no longer holds afterwards counts as deleted, not
   * failed: Auto Scaling removes a one-time action once it has run.
   */
  deleteScheduledActions(
    groupName: string,
    names: readonly string[],
    signal?: AbortSignal,
  ): Promise<BatchWriteResult>;
}

/**
 * Names of the published forecast metrics (dimensions `TargetId`, `StackName`, `PeriodSec`):
 * lib/config/metric-names.ts.
 */
export type ForecastMetricName = (typeof FORECAST_METRICS)[keyof typeof FORECAST_METRICS];

/** One published forecast value. */
export interface ForecastDatum {
  readonly targetId: string;
  /**
   * The target's `periodSec`, part of the forecast's identity: a target whose period changed
   * publishes a new series instead of mixing two scales in one.
   */
  readonly periodSec: number;
  readonly metric: ForecastMetricName;
  readonly tSec: number;
  readonly value: number;
}

/**
 * The forecast times a run may publish for one target: its `periodSec` grid in `[startSec, endSec)`,
 * read back from the target's series at that period only.
 */
export interface PublishWindow {
  readonly targetId: string;
  readonly periodSec: number;
  readonly startSec: number;
  readonly endSec: number;
}

/**
 * Publishes forecasts (batched across targets) and reads back which forecast times the store
 * already holds. The store keeps every value sent, even at a time it already holds, so the
 * scaler sends only times it does not hold yet. Both are this deployment's own: another stack's
 * forecasts of a target with the same id are neither read back nor written over. A target's
 * series is also its period's: forecasts it published at another `periodSec` are neither read
 * back nor combined with the new ones.
 */
export interface ForecastPublisher {
  /**
   * The times within each target's window at which the store holds the target's forecast, one
   * outcome per target id. The values of one time are stored together or not at all (see
   * {@link publish}), so one read metric stands for all of them.
   */
  storedTimes(
    windows: readonly PublishWindow[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, Outcome<ReadonlySet<number>>>>;
  /**
   * Returns one outcome per target id. The values of one target at one time are sent in the same
   * request, so they are stored together or not at all. `signal`, when given, aborts the call in
   * flight and sends nothing more (both methods then reject): nothing is put after the run stopped
   * waiting for it.
   */
  publish(data: readonly ForecastDatum[], signal?: AbortSignal): Promise<ReadonlyMap<string, Outcome<void>>>;
}

/** Everything {@link runForecastCycle} talks to. */
export interface ScalerPorts {
  readonly metrics: MetricSource;
  readonly groups: GroupReader;
  readonly actuator: ScalingActuator;
  readonly publisher: ForecastPublisher;
}
