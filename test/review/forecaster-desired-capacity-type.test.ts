/**
 * Review: a group whose DesiredCapacityType is `vcpu` or `memory-mib` (attribute-based instance
 * type selection) counts MinSize, MaxSize and DesiredCapacity in vCPUs or MiB, not instances.
 * The forecaster reads only the three sizes (lambdas/adapters/auto-scaling-groups.ts, groupState)
 * and writes its plan, counted in instances (ceil(load / targetValue)), as MinSize: 12 instances
 * planned becomes MinSize 12 vCPUs, 3 instances of 4 vCPUs. Nothing tells the operator.
 * AWS: "The unit of measurement for the value specified for desired capacity … Valid values:
 * units | vcpu | memory-mib" (AutoScalingGroup.DesiredCapacityType, EC2 Auto Scaling API reference).
 */
import {
  BatchPutScheduledUpdateGroupActionCommand,
  DescribeAutoScalingGroupsCommand,
  type DescribeAutoScalingGroupsCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { outputOf } from '../handlers/emf-capture';
import {
  asg,
  context,
  freezeDate,
  group,
  loadHandler,
  mockAws,
  scheduledEvent,
  targets,
} from '../handlers/forecaster-setup';

beforeEach(() => {
  freezeDate();
  mockAws();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

/** g0 as DescribeAutoScalingGroups returns a group using attribute-based instance type selection. */
function attributeBasedGroup(name: string, desiredCapacityType: 'vcpu' | 'memory-mib', perInstance: number) {
  return {
    ...group(name),
    // Two instances of 4 vCPUs / 8,192 MiB each; at most 20 such instances.
    MinSize: 2 * perInstance,
    MaxSize: 20 * perInstance,
    DesiredCapacity: 2 * perInstance,
    DesiredCapacityType: desiredCapacityType,
    MixedInstancesPolicy: {
      LaunchTemplate: {
        LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abcd1234efgh5678', Version: '$Default' },
        Overrides: [
          { InstanceRequirements: { VCpuCount: { Min: 4, Max: 4 }, MemoryMiB: { Min: 8192, Max: 8192 } } },
        ],
      },
      InstancesDistribution: {
        OnDemandAllocationStrategy: 'lowest-price',
        OnDemandBaseCapacity: 0,
        OnDemandPercentageAboveBaseCapacity: 100,
        SpotAllocationStrategy: 'price-capacity-optimized',
      },
    },
  };
}

function logLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('forecaster handler on a group whose capacity is not counted in instances', () => {
  it.each([
    { type: 'vcpu' as const, perInstance: 4 },
    { type: 'memory-mib' as const, perInstance: 8192 },
  ])(
    'writes no instance-counted MinSize to a group with DesiredCapacityType $type, and says why naming the field and value',
    async ({ type, perInstance }) => {
      asg.on(DescribeAutoScalingGroupsCommand).callsFake((input: DescribeAutoScalingGroupsCommandInput) => ({
        AutoScalingGroups: (input.AutoScalingGroupNames ?? []).map((name) =>
          name === 'g0' ? attributeBasedGroup(name, type, perInstance) : group(name),
        ),
      }));
      let result: unknown;
      const logged = await outputOf(async () => {
        const { handler } = await loadHandler(targets(2), { POWERTOOLS_LOG_LEVEL: 'INFO' });
        result = await handler(scheduledEvent, context);
      });

      const decision = logLines(logged).find(
        (l) => l.message === 'decision' && (l.decision as { targetId?: string }).targetId === 't0',
      )?.decision;
      const written = asg
        .commandCalls(BatchPutScheduledUpdateGroupActionCommand, { AutoScalingGroupName: 'g0' })
        .flatMap((c) => c.args[0].input.ScheduledUpdateGroupActions ?? [])
        .map((a) => `${a.ScheduledActionName} MinSize ${a.MinSize}`);
      // Today, vcpu: the group's MinSize 8 (vCPUs: 2 instances) is kept as a floor of 8 "instances"
      // and blocks planned at 10 instances write MinSize 10 (vCPUs: 3 instances), t0 `scaled`.
      // memory-mib: the MinSize 16384 (MiB) is kept as the floor, every block is below it, nothing
      // is written, and t0 still reports `scaled`.
      expect(written).toEqual([]);
      expect(decision).toMatchObject({ targetId: 't0', status: 'failed', failedStage: 'group' });
      expect(String((decision as { error?: unknown }).error)).toContain('DesiredCapacityType');
      expect(String((decision as { error?: unknown }).error)).toContain(type);
      expect(result).toMatchObject({ succeeded: 1, failed: 1 });
    },
  );
});
