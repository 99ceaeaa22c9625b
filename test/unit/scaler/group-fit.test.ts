import { describe, expect, it } from 'vitest';
import { type GroupState, groupFit } from '../../../lambdas/core/scaler';

const plain: GroupState = {
  name: 'web-asg',
  minSize: 2,
  maxSize: 20,
  desiredCapacity: 2,
  instanceWeights: [],
  suspendedProcesses: [],
};

const suspended = (processName: string, suspensionReason?: string): GroupState => ({
  ...plain,
  suspendedProcesses: [{ processName, ...(suspensionReason === undefined ? {} : { suspensionReason }) }],
});

describe('groupFit', () => {
  it.each([
    { name: 'a group counted in instances', group: plain },
    { name: 'DesiredCapacityType units', group: { ...plain, desiredCapacityType: 'units' } },
    {
      name: 'overrides all weighted 1',
      group: {
        ...plain,
        instanceWeights: [
          { override: 0, instanceType: 'c5.large', weightedCapacity: '1' },
          { override: 1, instanceType: 'c6i.large', weightedCapacity: '1' },
        ],
      },
    },
    { name: 'an empty Status', group: { ...plain, status: '' } },
    {
      name: 'processes that do not touch the plan suspended',
      group: {
        ...plain,
        suspendedProcesses: ['AZRebalance', 'HealthCheck', 'ReplaceUnhealthy', 'InstanceRefresh'].map(
          (processName) => ({ processName, suspensionReason: 'User suspended at 2024-03-04T09:12:45Z' }),
        ),
      },
    },
  ])('takes $name as it is', ({ group }) => {
    expect(groupFit(group)).toEqual({ refusals: [], warnings: [] });
  });

  it.each([
    {
      name: 'DesiredCapacityType vcpu',
      group: { ...plain, desiredCapacityType: 'vcpu' },
      says: 'DesiredCapacityType "vcpu": its MinSize, MaxSize and DesiredCapacity count vCPUs, not instances',
    },
    {
      name: 'DesiredCapacityType memory-mib',
      group: { ...plain, desiredCapacityType: 'memory-mib' },
      says: 'DesiredCapacityType "memory-mib": its MinSize, MaxSize and DesiredCapacity count MiB of memory',
    },
    {
      name: 'a DesiredCapacityType it does not know',
      group: { ...plain, desiredCapacityType: 'gpu' },
      says: 'DesiredCapacityType "gpu": its MinSize, MaxSize and DesiredCapacity count "gpu" units',
    },
    {
      name: 'the first override weighted other than 1',
      group: {
        ...plain,
        instanceWeights: [
          { override: 0, instanceType: 'c5.large', weightedCapacity: '1' },
          { override: 1, instanceType: 'c5.2xlarge', weightedCapacity: '4' },
          { override: 2, weightedCapacity: '8' },
        ],
      },
      says: 'MixedInstancesPolicy.LaunchTemplate.Overrides[1].WeightedCapacity "4" (c5.2xlarge): with instance weights its MinSize, MaxSize and DesiredCapacity count capacity units',
    },
    {
      name: 'a group being deleted',
      group: { ...plain, status: 'Delete in progress' },
      says: 'Status "Delete in progress": a DeleteAutoScalingGroup of the group is in progress',
    },
    {
      name: 'ScheduledActions suspended',
      group: suspended('ScheduledActions', 'User suspended at 2024-03-04T09:12:45Z'),
      says: 'SuspendedProcesses includes ScheduledActions (SuspensionReason "User suspended at 2024-03-04T09:12:45Z"): the group runs none of its scheduled actions',
    },
    {
      name: 'ScheduledActions suspended without a reason (as moto reports it)',
      group: suspended('ScheduledActions', ''),
      says: 'SuspendedProcesses includes ScheduledActions (no SuspensionReason given)',
    },
  ])('refuses $name, naming the field and the value', ({ group, says }) => {
    const fit = groupFit(group);
    expect(fit.refusals).toHaveLength(1);
    expect(fit.refusals[0]).toContain(says);
    expect(fit.warnings).toEqual([]);
  });

  it.each([
    { process: 'Launch', effect: 'a raised MinSize launches no instance' },
    { process: 'Terminate', effect: 'a lowered MinSize (the restore included) terminates no instance' },
    { process: 'AddToLoadBalancer', effect: 'they take no traffic' },
    { process: 'AlarmNotification', effect: 'neither scales out above the planned floor nor back in' },
  ])(
    'writes for a group with $process suspended, warning what the plan will not do',
    ({ process, effect }) => {
      const fit = groupFit(suspended(process, 'User suspended at 2024-03-04T09:12:45Z'));
      expect(fit.refusals).toEqual([]);
      expect(fit.warnings).toHaveLength(1);
      expect(fit.warnings[0]).toContain(
        `SuspendedProcesses includes ${process} (SuspensionReason "User suspended at 2024-03-04T09:12:45Z"): the actions were written`,
      );
      expect(fit.warnings[0]).toContain(effect);
    },
  );

  it('gives every refusal and warning at once, so one run tells the operator all of it', () => {
    const fit = groupFit({
      ...plain,
      desiredCapacityType: 'vcpu',
      suspendedProcesses: [
        { processName: 'Launch', suspensionReason: 'Administrative' },
        { processName: 'ScheduledActions', suspensionReason: 'Administrative' },
      ],
    });
    expect(fit.refusals.map((r) => r.split(':')[0])).toEqual([
      'DesiredCapacityType "vcpu"',
      'SuspendedProcesses includes ScheduledActions (SuspensionReason "Administrative")',
    ]);
    expect(fit.warnings).toHaveLength(1);
  });
});
