/** The structured record of what the forecaster decided for one target, and the run's summary. */
import type { TrustVerdict } from '../forecast/types';
import type { PlanningBound } from '../planning/planning-bound';
import type { Baseline } from './baseline';

/**
 * Where a target's processing stopped when it failed; `deadline`: the invocation's time ran out
 * before the target finished (or was reached), so the run stopped waiting for it.
 */
export type FailureStage = 'history' | 'forecast' | 'group' | 'actions' | 'publish' | 'deadline';

/** What happened to a target in one run. */
export type DecisionStatus = 'scaled' | 'forecastOnly' | 'untrusted' | 'failed';

/** How the history looked once read and put on a regular grid. */
export interface HistoryFacts {
  readonly points: number;
  readonly partial: boolean;
  readonly statusCodes: readonly string[];
  /** What CloudWatch said about the read: messages on this target's results and on the whole call. */
  readonly messages: readonly string[];
  /**
   * Periods without a datapoint read as zero load, not as a gap: the load metric reports nothing
   * while there is none (an ALB target group without requests; see `missingMeansZero`).
   */
  readonly zeroPointsFilled: number;
  /** Periods without a datapoint filled by interpolation (a gap in the data, not zero load). */
  readonly gapPointsFilled: number;
  readonly longestGapSteps: number;
  readonly duplicatesMerged: number;
  readonly nonFiniteDropped: number;
  /** Time of the series' last point: the last datapoint, or the last period read as zero load. */
  readonly lastPointSec: number;
  /** When periods are read as zero load: the time of the last datapoint CloudWatch returned. */
  readonly lastReportedSec?: number;
}

/** Scheduled-action writes for one target. */
export interface ActionFacts {
  /**
   * The floor the plan was written on and why: `minCapacity`, or a higher MinSize found on the
   * group; while such a floor is held, `release` says how to release it (the handler logs it as a
   * warning every run).
   */
  readonly baseline: Baseline;
  readonly written: readonly string[];
  readonly deleted: readonly string[];
  readonly unchanged: number;
  readonly foreign: number;
  readonly truncatedRuns: number;
  readonly failed: ReadonlyArray<{ readonly name: string; readonly error: string }>;
  readonly notes: readonly string[];
  /**
   * The user's scheduled actions on the group whose moments could not be worked out (a Recurrence
   * or TimeZone that cannot be read, or too many occurrences), each naming the action and the
   * problem; their MinSize is then a floor from now on, and the run times of one whose Recurrence
   * or TimeZone cannot be read are unknown (a put at one is rejected). The handler logs each as a
   * warning.
   */
  readonly warnings: readonly string[];
  /**
   * The group's suspended processes that keep the written plan from taking full effect (`Launch`,
   * `Terminate`, `AddToLoadBalancer`, `AlarmNotification`; see `groupFit`), each naming the process,
   * its SuspensionReason and what the plan will not do. The handler logs each as a warning.
   */
  readonly groupWarnings: readonly string[];
  /**
   * Scheduled actions on the group named for another forecaster target (see `otherPlans`): one
   * line per target id, naming how many there are and the last of them. They are left alone; the
   * handler logs each line as a warning.
   */
  readonly otherPlans: readonly string[];
}

/** One line of the decision log: model, validation error, trust verdict, plan and actions. */
export interface DecisionRecord {
  readonly targetId: string;
  readonly autoScalingGroupName: string;
  readonly mode: 'forecastOnly' | 'forecastAndScale';
  readonly status: DecisionStatus;
  readonly history?: HistoryFacts;
  readonly model?: string;
  /** The chosen model's validation MASE, when it could be validated. */
  readonly validationMase?: number;
  readonly validationSmapePercent?: number;
  readonly trust?: TrustVerdict;
  /**
   * The bound the blocks were sized on: the target's `planningBound`, or `upper` when `block-max`
   * could not be calibrated (then `planningBoundFallback` says why). Absent when nothing was
   * planned (untrusted forecast).
   */
  readonly planningBound?: PlanningBound;
  readonly planningBoundFallback?: string;
  /** Planned minimum per block, in order (empty when untrusted). */
  readonly plannedCapacities?: readonly number[];
  readonly planReason?: string;
  readonly actions?: ActionFacts;
  /**
   * `forecastOnly` targets only: what `forecastAndScale` would make of the group as described this
   * run, one line per refusal (the target would fail at `group` and nothing would be written) and
   * per warning (the plan would not take full effect), each naming the field and value (see
   * `groupFit`); or one line saying the group could not be described. Empty when the group could
   * take the plan in full. Nothing is written and the target does not fail either way; the handler
   * logs each line as a warning.
   */
  readonly groupCheck?: readonly string[];
  /**
   * Forecast values sent to CloudWatch this run (5 per forecast time); when the publish stage
   * failed, some or all of them were not stored. Present, with {@link alreadyPublishedPoints},
   * whenever the target reached the publishing step, 0 when it had nothing to send (no value in
   * its window, all of them already stored, or a read-back that failed). Absent only when the
   * target failed before it had a forecast (`failedStage` `history`, `forecast` or `deadline`), so
   * publishing never ran for it.
   */
  readonly publishedPoints?: number;
  /**
   * Forecast values of this run's window not sent because CloudWatch already held their time;
   * present and absent together with {@link publishedPoints}.
   */
  readonly alreadyPublishedPoints?: number;
  readonly failedStage?: FailureStage;
  readonly error?: string;
}

/** What one run did, for logs, metrics and the invocation result. */
export interface CycleSummary {
  readonly total: number;
  /** Trusted forecasts published (and, in forecastAndScale, scheduled). */
  readonly succeeded: number;
  readonly failed: number;
  /** Forecast published but not trusted to drive scaling. */
  readonly untrusted: number;
  readonly records: readonly DecisionRecord[];
}

/** Counts records by outcome. */
export function summarize(records: readonly DecisionRecord[]): CycleSummary {
  let succeeded = 0;
  let failed = 0;
  let untrusted = 0;
  for (const r of records) {
    if (r.status === 'failed') failed++;
    else if (r.status === 'untrusted') untrusted++;
    else succeeded++;
  }
  return { total: records.length, succeeded, failed, untrusted, records };
}

/** A thrown value as one line: `Name: message`. */
export function describeError(error: unknown): string {
  if (error instanceof Error)
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  return String(error);
}
