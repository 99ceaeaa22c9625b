/**
 * Whether a group can take the plan: the plan counts instances (ceil(load / `targetValue`)) and
 * takes effect through scheduled actions, so a group whose sizes count something else, or that
 * runs no scheduled action, is refused, and one that runs them but will not act on them fully is
 * written with a warning. Pure.
 */
import type { GroupState, SuspendedProcessState } from './ports';

/** The group cannot take the plan: nothing was written. */
export class GroupRefusedError extends Error {
  override readonly name = 'GroupRefusedError';
}

/** What stops the plan from being written, and what keeps it from taking full effect once written. */
export interface GroupFit {
  /** Each names the field and the value; any one of them refuses the group. */
  readonly refusals: readonly string[];
  /** Each names the field and the value, and what the written plan will not do. */
  readonly warnings: readonly string[];
}

/** What each DesiredCapacityType other than `units` counts, for the refusal. */
const CAPACITY_UNITS: Readonly<Record<string, string>> = {
  vcpu: 'vCPUs',
  'memory-mib': 'MiB of memory',
};

/**
 * Suspended processes the plan still runs under, and what it then does not do (EC2 Auto Scaling
 * User Guide, "How suspended processes affect other processes"). The others (AZRebalance,
 * HealthCheck, ReplaceUnhealthy, InstanceRefresh) do not touch the plan; ScheduledActions refuses.
 */
const WEAKENING_PROCESSES: Readonly<Record<string, string>> = {
  Launch: 'the actions were written, but a raised MinSize launches no instance until Launch is resumed',
  Terminate:
    'the actions were written, but a lowered MinSize (the restore included) terminates no instance, so capacity raised for a block stays until Terminate is resumed',
  AddToLoadBalancer:
    "the actions were written, but instances launched for a raised block are not registered with the group's load balancers or target groups, so they take no traffic",
  AlarmNotification:
    "the actions were written, but the group's alarm-driven scaling policies (target tracking, step scaling) do not run, so it neither scales out above the planned floor nor back in after a raised block",
};

/**
 * Refuses a group being deleted (`Status`), one whose sizes are not counted in instances
 * (`DesiredCapacityType` other than `units`, or a mixed instances policy weighting an instance
 * type other than 1) and one with `ScheduledActions` suspended; warns for suspended processes that
 * keep the written plan from taking full effect.
 */
export function groupFit(group: GroupState): GroupFit {
  const refusals: string[] = [];
  if (group.status !== undefined && group.status !== '') {
    refusals.push(
      `Status "${group.status}": a DeleteAutoScalingGroup of the group is in progress, and actions written to it would go with it`,
    );
  }
  const type = group.desiredCapacityType;
  if (type !== undefined && type !== 'units') {
    const counted = CAPACITY_UNITS[type] ?? `"${type}" units`;
    refusals.push(
      `DesiredCapacityType "${type}": its MinSize, MaxSize and DesiredCapacity count ${counted}, not instances, while the plan counts instances (load / targetValue); only "units" (the default) can take it`,
    );
  }
  const weighted = group.instanceWeights.find((w) => Number(w.weightedCapacity.trim()) !== 1);
  if (weighted !== undefined) {
    const type = weighted.instanceType === undefined ? '' : ` (${weighted.instanceType})`;
    refusals.push(
      `MixedInstancesPolicy.LaunchTemplate.Overrides[${weighted.override}].WeightedCapacity "${weighted.weightedCapacity}"${type}: with instance weights its MinSize, MaxSize and DesiredCapacity count capacity units, not instances, while the plan counts instances (load / targetValue); only weights of 1 (or none) can take it`,
    );
  }
  const warnings: string[] = [];
  for (const p of group.suspendedProcesses) {
    if (p.processName === 'ScheduledActions') {
      refusals.push(
        `SuspendedProcesses includes ScheduledActions (${reasonOf(p)}): the group runs none of its scheduled actions while it is suspended; resume it (ResumeProcesses) for the plan to be written`,
      );
      continue;
    }
    const effect = WEAKENING_PROCESSES[p.processName];
    if (effect !== undefined)
      warnings.push(`SuspendedProcesses includes ${p.processName} (${reasonOf(p)}): ${effect}`);
  }
  return { refusals, warnings };
}

function reasonOf(p: SuspendedProcessState): string {
  const reason = p.suspensionReason?.trim();
  return reason === undefined || reason === '' ? 'no SuspensionReason given' : `SuspensionReason "${reason}"`;
}
