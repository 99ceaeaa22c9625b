/** GroupReader on Auto Scaling: DescribeAutoScalingGroups (batched) and DescribeScheduledActions (paginated). */
import {
  type AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  type ScheduledUpdateGroupAction,
} from '@aws-sdk/client-auto-scaling';
import { describeError } from '../core/scaler/decision';
import type {
  GroupReader,
  GroupState,
  InstanceWeight,
  Outcome,
  ScheduledActionState,
  SuspendedProcessState,
} from '../core/scaler/ports';
import { describeScheduledActions } from './scheduled-action-pages';

/** DescribeAutoScalingGroups takes up to 50 names by default, up to 100 with MaxRecords 100 (its maximum). */
export const GROUP_NAMES_PER_CALL = 100;
/** DescribeScheduledActions returns at most 100 records per page. */
export const SCHEDULED_ACTIONS_PER_PAGE = 100;

/** DescribeScheduledActions returned an action the scaler cannot plan around; fails only that group's target. */
export class ScheduledActionShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduledActionShapeError';
  }
}

/**
 * Reads Auto Scaling groups and their scheduled actions. A `signal` aborts the call in flight (the
 * SDK's `abortSignal`) and stops the next pages.
 */
export class AutoScalingGroups implements GroupReader {
  constructor(private readonly client: AutoScalingClient) {}

  /**
   * Describes groups 100 names per call (following NextToken), without their instances
   * (`IncludeInstances: false`); an unknown name becomes an error entry, and a call failing (after
   * the SDK's retries) fails the names of that call only.
   */
  async describeGroups(
    names: readonly string[],
    signal?: AbortSignal,
  ): Promise<ReadonlyMap<string, Outcome<GroupState>>> {
    const out = new Map<string, Outcome<GroupState>>();
    for (let i = 0; i < names.length; i += GROUP_NAMES_PER_CALL) {
      const chunk = names.slice(i, i + GROUP_NAMES_PER_CALL);
      let found: ReadonlyMap<string, Outcome<GroupState>>;
      try {
        found = await this.describeChunk(chunk, signal);
      } catch (error) {
        for (const n of chunk) out.set(n, { ok: false, error: describeError(error) });
        continue;
      }
      for (const n of chunk) {
        out.set(n, found.get(n) ?? { ok: false, error: `Auto Scaling group ${n} not found` });
      }
    }
    return out;
  }

  private async describeChunk(
    chunk: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<ReadonlyMap<string, Outcome<GroupState>>> {
    const found = new Map<string, Outcome<GroupState>>();
    let nextToken: string | undefined;
    do {
      signal?.throwIfAborted();
      const res = await this.client.send(
        new DescribeAutoScalingGroupsCommand({
          AutoScalingGroupNames: [...chunk],
          MaxRecords: GROUP_NAMES_PER_CALL,
          // The scaler reads the group's settings, not its instances: listing every instance of every
          // group would only add bytes and throttling.
          IncludeInstances: false,
          NextToken: nextToken,
        }),
        { abortSignal: signal },
      );
      for (const g of res.AutoScalingGroups ?? []) {
        if (g.AutoScalingGroupName === undefined) continue;
        found.set(g.AutoScalingGroupName, groupState(g.AutoScalingGroupName, g));
      }
      nextToken = res.NextToken;
    } while (nextToken !== undefined && nextToken !== '');
    return found;
  }

  /**
   * Every scheduled action of one group, all pages, checked: an action whose name, times, sizes,
   * Recurrence or TimeZone is missing where required or of the wrong shape throws
   * {@link ScheduledActionShapeError} naming the action, the field and the value (the scaler plans
   * around every action, so one it cannot read fails the target rather than being skipped).
   */
  async listScheduledActions(
    groupName: string,
    signal?: AbortSignal,
  ): Promise<readonly ScheduledActionState[]> {
    const out: ScheduledActionState[] = [];
    const input = { AutoScalingGroupName: groupName, MaxRecords: SCHEDULED_ACTIONS_PER_PAGE };
    for await (const a of describeScheduledActions(this.client, input, signal)) {
      out.push(scheduledAction(groupName, a));
    }
    return out;
  }
}

/**
 * The sizes the plan is written against, checked: a size read as 0 when it is missing would cap
 * every action (and the restore) at MinSize 0, so a group without valid sizes is an error entry.
 * What the sizes count (DesiredCapacityType, instance weights), the suspended processes and the
 * Status are carried as read; the core (`groupFit`) decides what they mean for the plan.
 */
function groupState(name: string, g: AutoScalingGroup): Outcome<GroupState> {
  const { MinSize: minSize, MaxSize: maxSize, DesiredCapacity: desiredCapacity } = g;
  const invalid = (field: string, value: number | undefined): Outcome<GroupState> => ({
    ok: false,
    error: `DescribeAutoScalingGroups returned group ${name} with ${field} ${String(value)}; expected an integer >= 0`,
  });
  if (!isSize(minSize)) return invalid('MinSize', minSize);
  if (!isSize(maxSize)) return invalid('MaxSize', maxSize);
  if (!isSize(desiredCapacity)) return invalid('DesiredCapacity', desiredCapacity);
  if (minSize > maxSize) {
    return {
      ok: false,
      error: `DescribeAutoScalingGroups returned group ${name} with MinSize ${minSize} above MaxSize ${maxSize}`,
    };
  }
  return {
    ok: true,
    value: {
      name,
      minSize,
      maxSize,
      desiredCapacity,
      ...(g.DesiredCapacityType === undefined ? {} : { desiredCapacityType: g.DesiredCapacityType }),
      instanceWeights: instanceWeights(g),
      suspendedProcesses: suspendedProcesses(g),
      ...(g.Status === undefined ? {} : { status: g.Status }),
    },
  };
}

/** The overrides of the group's mixed instances policy that carry a WeightedCapacity. */
function instanceWeights(g: AutoScalingGroup): InstanceWeight[] {
  const overrides = g.MixedInstancesPolicy?.LaunchTemplate?.Overrides ?? [];
  return overrides.flatMap((o, override) =>
    o.WeightedCapacity === undefined
      ? []
      : [
          {
            override,
            ...(o.InstanceType === undefined ? {} : { instanceType: o.InstanceType }),
            weightedCapacity: o.WeightedCapacity,
          },
        ],
  );
}

function suspendedProcesses(g: AutoScalingGroup): SuspendedProcessState[] {
  return (g.SuspendedProcesses ?? []).flatMap((p) =>
    p.ProcessName === undefined
      ? []
      : [
          {
            processName: p.ProcessName,
            ...(p.SuspensionReason === undefined ? {} : { suspensionReason: p.SuspensionReason }),
          },
        ],
  );
}

/** One ScheduledUpdateGroupAction as the scaler reads it (DesiredCapacity is checked, not kept). */
function scheduledAction(groupName: string, a: ScheduledUpdateGroupAction): ScheduledActionState {
  const name = a.ScheduledActionName;
  const invalid = (field: string, value: unknown, expected: string) =>
    new ScheduledActionShapeError(
      `DescribeScheduledActions returned scheduled action ${name ?? '(no name)'} of group ${groupName} with ${field} ${shown(value)}; expected ${expected}`,
    );
  if (typeof name !== 'string' || name === '')
    throw invalid('ScheduledActionName', name, 'a non-empty string');
  const sizes = { MinSize: a.MinSize, MaxSize: a.MaxSize, DesiredCapacity: a.DesiredCapacity };
  for (const [field, value] of Object.entries(sizes)) {
    if (value !== undefined && !isSize(value)) throw invalid(field, value, 'an integer >= 0');
  }
  const times = { StartTime: a.StartTime, EndTime: a.EndTime };
  for (const [field, value] of Object.entries(times)) {
    if (value !== undefined && !(value instanceof Date && Number.isFinite(value.getTime())))
      throw invalid(field, value, 'a date');
  }
  const texts = { Recurrence: a.Recurrence, TimeZone: a.TimeZone };
  for (const [field, value] of Object.entries(texts)) {
    if (value !== undefined && (typeof value !== 'string' || value.trim() === ''))
      throw invalid(field, value, 'a non-empty string');
  }
  if (a.StartTime === undefined && a.Recurrence === undefined)
    throw invalid(
      'StartTime',
      undefined,
      'a date (an action without Recurrence runs once, at its StartTime)',
    );
  const sec = (d: Date) => Math.round(d.getTime() / 1000);
  return {
    name,
    ...(a.StartTime === undefined ? {} : { startTimeSec: sec(a.StartTime) }),
    ...(a.EndTime === undefined ? {} : { endTimeSec: sec(a.EndTime) }),
    ...(a.MinSize === undefined ? {} : { minSize: a.MinSize }),
    ...(a.MaxSize === undefined ? {} : { maxSize: a.MaxSize }),
    ...(a.Recurrence === undefined ? {} : { recurrence: a.Recurrence }),
    ...(a.TimeZone === undefined ? {} : { timeZone: a.TimeZone }),
  };
}

function shown(value: unknown): string {
  return value instanceof Date
    ? `"${String(value)}"`
    : typeof value === 'string'
      ? `"${value}"`
      : String(value);
}

function isSize(value: number | undefined): value is number {
  return value !== undefined && Number.isInteger(value) && value >= 0;
}
