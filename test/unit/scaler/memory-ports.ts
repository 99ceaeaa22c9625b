/** In-memory implementations of the scaler ports, for tests of the orchestration. */

import { CronExpressionParser } from 'cron-parser';
import {
  type BatchWriteResult,
  type ForecastDatum,
  type GroupState,
  type HistoryRequest,
  isOwnAction,
  type Outcome,
  type PublishWindow,
  type ScalerPorts,
  type ScheduledActionSpec,
  type ScheduledActionState,
  type TargetHistory,
} from '../../../lambdas/core/scaler';
import { parseAppConfig } from '../../../lib/config/parse';
import type { ScalingTarget } from '../../../lib/config/schema';

/** 2024-03-04T10:30:00Z, a Monday. */
export const NOW_SEC = 1_709_548_200;

/** Scheduled actions per group, as EC2 Auto Scaling enforces it (a put past it fails with LimitExceeded). */
const QUOTA = 125;
/**
 * EC2 Auto Scaling rejects a scheduled action whose start time another action of the group holds
 * ("the call is rejected and returns an error indicating that a scheduled action with this
 * scheduled start time already exists"; the documentation names no error code):
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html#scheduled-scaling-limitations
 */
export const START_TIME_TAKEN = 'a scheduled action with this scheduled start time already exists';

/**
 * Whether `a` holds start time `tSec`: its StartTime, or a run of its Recurrence (cron-parser's
 * next run from just before, in its TimeZone) between its StartTime and EndTime.
 */
function holdsStartTime(a: ScheduledActionState, tSec: number): boolean {
  if (a.startTimeSec === tSec) return true;
  if (a.recurrence === undefined) return false;
  if (tSec < (a.startTimeSec ?? tSec) || tSec > (a.endTimeSec ?? tSec)) return false;
  try {
    const cron = CronExpressionParser.parse(a.recurrence, {
      currentDate: new Date((tSec - 1) * 1000),
      tz: a.timeZone ?? 'UTC',
    });
    return cron.next().getTime() === tSec * 1000;
  } catch {
    return false;
  }
}

/** A validated target with overrides; hourly period keeps forecasts fast. */
export function target(overrides: Record<string, unknown> = {}): ScalingTarget {
  const raw = {
    id: 'web',
    autoScalingGroupName: 'web-asg',
    loadMetric: { type: 'predefined', metric: 'ASGTotalCPUUtilization' },
    targetValue: 100,
    mode: 'forecastAndScale',
    minCapacity: 2,
    maxCapacity: 20,
    periodSec: 3600,
    horizonHours: 24,
    ...overrides,
  };
  const cfg = parseAppConfig({ predictiveScaling: { targets: [raw] } });
  const t = cfg.predictiveScaling.targets[0];
  if (t === undefined) throw new Error('no target');
  return t;
}

/** A daily cycle between `low` and `high` over `days` days of `stepSec` points ending before `endSec`. */
export function dailyHistory(
  endSec: number,
  stepSec: number,
  days: number,
  low = 200,
  high = 1000,
): TargetHistory {
  const n = Math.floor((days * 86_400) / stepSec);
  const start = Math.floor(endSec / stepSec) * stepSec - n * stepSec;
  const points = Array.from({ length: n }, (_, i) => {
    const tSec = start + i * stepSec;
    const phase = ((tSec % 86_400) / 86_400) * 2 * Math.PI;
    return { tSec, value: low + ((high - low) * (1 - Math.cos(phase))) / 2 };
  });
  return { points, partial: false, statusCodes: ['Complete'], messages: [] };
}

/** Why one item of a batched write fails, or undefined when it succeeds. */
export type ItemFailure<T> = (item: T) => string | undefined;

/**
 * Ports backed by maps; every call is recorded. Scheduled actions behave as EC2 Auto Scaling
 * documents them: a put with an existing name updates it and leaves unspecified sizes unchanged; a
 * start time in the past, a start time another action of the group holds (items of one call are
 * taken in order) or a put past the quota fails that item; {@link advanceTo} runs the actions
 * that are due, in time order, on the group and removes them (DescribeScheduledActions lists only
 * actions that have not run).
 */
export class MemoryPorts implements ScalerPorts {
  readonly histories = new Map<string, Outcome<TargetHistory>>();
  readonly groupStates = new Map<string, GroupState>();
  readonly actions = new Map<string, ScheduledActionState[]>();
  readonly published: ForecastDatum[] = [];
  readonly calls: string[] = [];
  /** Group names whose action puts and deletes throw (e.g. throttling exhausted). */
  readonly throwOnWrite = new Set<string>();
  /** Group names whose action puts throw. */
  readonly throwOnPut = new Set<string>();
  /** Group names whose action deletes throw. */
  readonly throwOnDelete = new Set<string>();
  /** Per-item put failures, reported as FailedScheduledUpdateGroupActions; the item is not written. */
  failPut: ItemFailure<ScheduledActionSpec> = () => undefined;
  /** Per-item delete failures, reported as FailedScheduledActions; the action stays. */
  failDelete: ItemFailure<string> = () => undefined;
  /** Actions that ran and what they did, in order: `<group> <name> min→<n> max→<n>`. */
  readonly ran: string[] = [];
  publishFails = false;
  /** Makes the read-back of stored forecast times throw, as a GetMetricData call that stays throttled. */
  readBackFails = false;

  /** The scheduled-action clock: puts must start after it; {@link advanceTo} moves it. */
  constructor(public nowSec = NOW_SEC) {}

  addGroup(name: string, minSize = 2, maxSize = 20): void {
    this.groupStates.set(name, {
      name,
      minSize,
      maxSize,
      desiredCapacity: minSize,
      instanceWeights: [],
      suspendedProcesses: [],
    });
    this.actions.set(name, []);
  }

  /** The scheduled actions `targetId` wrote that are still on `groupName`. */
  ownActions(groupName: string, targetId: string): ScheduledActionState[] {
    return (this.actions.get(groupName) ?? []).filter((a) => isOwnAction(a.name, targetId));
  }

  /** Runs every action due by `tSec` on its group (in start-time order), removes it, and moves the clock. */
  advanceTo(tSec: number): void {
    for (const [groupName, list] of this.actions) {
      const due = list.filter((a) => (a.startTimeSec ?? 0) <= tSec);
      due.sort((a, b) => (a.startTimeSec ?? 0) - (b.startTimeSec ?? 0));
      for (const a of due) this.run(groupName, a);
      this.actions.set(
        groupName,
        list.filter((a) => !due.includes(a)),
      );
    }
    this.nowSec = tSec;
  }

  private run(groupName: string, a: ScheduledActionState): void {
    const g = this.groupStates.get(groupName);
    if (g === undefined) return;
    const minSize = a.minSize ?? g.minSize;
    const maxSize = a.maxSize ?? g.maxSize;
    if (minSize > maxSize) {
      this.ran.push(`${groupName} ${a.name} failed: min ${minSize} > max ${maxSize}`);
      return;
    }
    const desiredCapacity = Math.min(maxSize, Math.max(minSize, g.desiredCapacity));
    this.groupStates.set(groupName, { ...g, minSize, maxSize, desiredCapacity });
    this.ran.push(`${groupName} ${a.name} min→${minSize} max→${maxSize}`);
  }

  readonly metrics = {
    fetchHistory: async (requests: readonly HistoryRequest[]) => {
      this.calls.push(`fetchHistory(${requests.length})`);
      const out = new Map<string, Outcome<TargetHistory>>();
      for (const r of requests)
        out.set(r.targetId, this.histories.get(r.targetId) ?? { ok: false, error: 'no data' });
      return out;
    },
  };

  readonly groups = {
    describeGroups: async (names: readonly string[]) => {
      this.calls.push(`describeGroups(${names.join(',')})`);
      const out = new Map<string, Outcome<GroupState>>();
      for (const n of names) {
        const g = this.groupStates.get(n);
        out.set(n, g === undefined ? { ok: false, error: `group ${n} not found` } : { ok: true, value: g });
      }
      return out;
    },
    listScheduledActions: async (groupName: string) => {
      this.calls.push(`listScheduledActions(${groupName})`);
      return [...(this.actions.get(groupName) ?? [])];
    },
  };

  readonly actuator = {
    putScheduledActions: async (
      groupName: string,
      specs: readonly ScheduledActionSpec[],
    ): Promise<BatchWriteResult> => {
      this.calls.push(`put(${groupName},${specs.length})`);
      if (this.throwOnWrite.has(groupName) || this.throwOnPut.has(groupName))
        throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      const list = this.actions.get(groupName) ?? [];
      const failed: Array<{ name: string; error: string }> = [];
      for (const s of specs) {
        const i = list.findIndex((a) => a.name === s.name);
        const error =
          this.failPut(s) ??
          (s.startTimeSec <= this.nowSec ? 'ValidationError: Given start time is in the past' : undefined) ??
          (list.some((a) => a.name !== s.name && holdsStartTime(a, s.startTimeSec))
            ? START_TIME_TAKEN
            : undefined) ??
          (i < 0 && list.length >= QUOTA ? 'LimitExceeded: scheduled actions per group' : undefined);
        if (error !== undefined) {
          failed.push({ name: s.name, error });
          continue;
        }
        // An update leaves the sizes it does not specify unchanged.
        const state: ScheduledActionState = { ...(i >= 0 ? list[i] : {}), ...s };
        if (i >= 0) list[i] = state;
        else list.push(state);
      }
      this.actions.set(groupName, list);
      return { failed };
    },
    deleteScheduledActions: async (
      groupName: string,
      names: readonly string[],
    ): Promise<BatchWriteResult> => {
      this.calls.push(`delete(${groupName},${names.length})`);
      if (this.throwOnWrite.has(groupName) || this.throwOnDelete.has(groupName))
        throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      const failed: Array<{ name: string; error: string }> = [];
      const drop = new Set<string>();
      for (const n of names) {
        const error = this.failDelete(n);
        if (error === undefined) drop.add(n);
        else failed.push({ name: n, error });
      }
      this.actions.set(
        groupName,
        (this.actions.get(groupName) ?? []).filter((a) => !drop.has(a.name)),
      );
      return { failed };
    },
  };

  /**
   * Publishes into {@link published}, which keeps every value sent, as CloudWatch does (a value at
   * a time already held is stored beside the first); the read-back reports the times holding a
   * `LoadForecast` value in the target's series at the window's period.
   */
  readonly publisher = {
    storedTimes: async (windows: readonly PublishWindow[]) => {
      this.calls.push(`storedTimes(${windows.length})`);
      if (this.readBackFails) throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      const out = new Map<string, Outcome<ReadonlySet<number>>>();
      for (const w of windows) {
        const times = this.published
          .filter(
            (d) => d.targetId === w.targetId && d.periodSec === w.periodSec && d.metric === 'LoadForecast',
          )
          .map((d) => d.tSec)
          .filter((t) => t >= w.startSec && t < w.endSec);
        out.set(w.targetId, { ok: true, value: new Set(times) });
      }
      return out;
    },
    publish: async (data: readonly ForecastDatum[]) => {
      this.calls.push(`publish(${data.length})`);
      const out = new Map<string, Outcome<void>>();
      for (const d of data) {
        out.set(
          d.targetId,
          this.publishFails
            ? { ok: false, error: 'InternalServiceError: boom' }
            : { ok: true, value: undefined },
        );
      }
      if (!this.publishFails) this.published.push(...data);
      return out;
    },
  };
}

/** A clock frozen at `nowSec`. */
export function fixedClock(nowSec = NOW_SEC): { nowSec(): number } {
  return { nowSec: () => nowSec };
}
