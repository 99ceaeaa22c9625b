/** GroupReader on Auto Scaling: DescribeAutoScalingGroups (batched) and DescribeScheduledActions (paginated). */
import {
  type AutoScalingClient,
  type AutoScalingGroup,
  DescribeAutoScalingGroupsCommand,
  DescribeScheduledActionsCommand,
} from '@aws-sdk/client-auto-scaling';
import { describeError } from '../core/scaler/decision';
import type { GroupReader, GroupState, Outcome, ScheduledActionState } from '../core/scaler/ports';

/** DescribeAutoScalingGroups takes up to 50 names by default, up to 100 with MaxRecords 100 (its maximum). */
export const GROUP_NAMES_PER_CALL = 100;
/** DescribeScheduledActions returns at most 100 records per page. */
export const SCHEDULED_ACTIONS_PER_PAGE = 100;

/** Reads Auto Scaling groups and their scheduled actions. */
export class AutoScalingGroups implements GroupReader {
  constructor(private readonly client: AutoScalingClient) {}

  /**
   * Describes groups 100 names per call (following NextToken), without their instances
   * (`IncludeInstances: false`); an unknown name becomes an error entry, and a call failing (after
   * the SDK's retries) fails the names of that call only.
   */
  async describeGroups(names: readonly string[]): Promise<ReadonlyMap<string, Outcome<GroupState>>> {
    const out = new Map<string, Outcome<GroupState>>();
    for (let i = 0; i < names.length; i += GROUP_NAMES_PER_CALL) {
      const chunk = names.slice(i, i + GROUP_NAMES_PER_CALL);
      let found: ReadonlyMap<string, Outcome<GroupState>>;
      try {
        found = await this.describeChunk(chunk);
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

  private async describeChunk(chunk: readonly string[]): Promise<ReadonlyMap<string, Outcome<GroupState>>> {
    const found = new Map<string, Outcome<GroupState>>();
    let nextToken: string | undefined;
    do {
      const res = await this.client.send(
        new DescribeAutoScalingGroupsCommand({
          AutoScalingGroupNames: [...chunk],
          MaxRecords: GROUP_NAMES_PER_CALL,
          // Sizes are all the scaler reads; every instance of every group would only add bytes and throttling.
          IncludeInstances: false,
          NextToken: nextToken,
        }),
      );
      for (const g of res.AutoScalingGroups ?? []) {
        if (g.AutoScalingGroupName === undefined) continue;
        found.set(g.AutoScalingGroupName, groupState(g.AutoScalingGroupName, g));
      }
      nextToken = res.NextToken;
    } while (nextToken !== undefined && nextToken !== '');
    return found;
  }

  /** Every scheduled action of one group, all pages. */
  async listScheduledActions(groupName: string): Promise<readonly ScheduledActionState[]> {
    const out: ScheduledActionState[] = [];
    let nextToken: string | undefined;
    do {
      const res = await this.client.send(
        new DescribeScheduledActionsCommand({
          AutoScalingGroupName: groupName,
          MaxRecords: SCHEDULED_ACTIONS_PER_PAGE,
          NextToken: nextToken,
        }),
      );
      for (const a of res.ScheduledUpdateGroupActions ?? []) {
        if (a.ScheduledActionName === undefined) continue;
        out.push({
          name: a.ScheduledActionName,
          ...(a.StartTime === undefined ? {} : { startTimeSec: Math.round(a.StartTime.getTime() / 1000) }),
          ...(a.MinSize === undefined ? {} : { minSize: a.MinSize }),
          ...(a.MaxSize === undefined ? {} : { maxSize: a.MaxSize }),
          ...(a.Recurrence === undefined ? {} : { recurrence: a.Recurrence }),
        });
      }
      nextToken = res.NextToken;
    } while (nextToken !== undefined && nextToken !== '');
    return out;
  }
}

/**
 * The sizes the plan is written against, checked: a size read as 0 when it is missing would cap
 * every action (and the restore) at MinSize 0, so a group without valid sizes is an error entry.
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
  return { ok: true, value: { name, minSize, maxSize, desiredCapacity } };
}

function isSize(value: number | undefined): value is number {
  return value !== undefined && Number.isInteger(value) && value >= 0;
}
