/**
 * Review: a group with a MixedInstancesPolicy whose overrides carry WeightedCapacity counts MinSize,
 * MaxSize and DesiredCapacity in capacity units, not instances. The forecaster reads only the three
 * sizes (lambdas/adapters/auto-scaling-groups.ts, groupState) and writes its plan, counted in
 * instances (README: `targetValue` is the "load one instance should carry"), as MinSize: a block
 * planned at 10 instances becomes MinSize 10 units, 3 instances of weight 4. Nothing tells the
 * operator. AWS (LaunchTemplateOverrides.WeightedCapacity): "if you configure a mixed instances
 * policy that defines weights for the instance types, you must specify these sizes with the same
 * units that you use for weighting instances."
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

/** A group of c5.xlarge (weight 4) and c5.2xlarge (weight 8): 2 c5.xlarge in service, MinSize 8 units. */
function weightedGroup(name: string) {
  return {
    ...group(name),
    MinSize: 8,
    MaxSize: 80,
    DesiredCapacity: 8,
    MixedInstancesPolicy: {
      LaunchTemplate: {
        LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abcd1234efgh5678', Version: '$Default' },
        Overrides: [
          { InstanceType: 'c5.xlarge', WeightedCapacity: '4' },
          { InstanceType: 'c5.2xlarge', WeightedCapacity: '8' },
        ],
      },
      InstancesDistribution: {
        OnDemandAllocationStrategy: 'prioritized',
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

describe('forecaster handler on a group with instance weights', () => {
  it('writes no instance-counted MinSize to a group whose overrides carry WeightedCapacity, and says why naming the field and value', async () => {
    asg.on(DescribeAutoScalingGroupsCommand).callsFake((input: DescribeAutoScalingGroupsCommandInput) => ({
      AutoScalingGroups: (input.AutoScalingGroupNames ?? []).map((name) =>
        name === 'g0' ? weightedGroup(name) : group(name),
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
    // Today: the group's MinSize 8 (units: 2 instances) is kept as a floor of 8 "instances", blocks
    // planned at 10 instances write MinSize 10 (units: 3 c5.xlarge), and t0 reports `scaled`.
    expect(written).toEqual([]);
    expect(decision).toMatchObject({ targetId: 't0', status: 'failed', failedStage: 'group' });
    expect(String((decision as { error?: unknown }).error)).toContain('WeightedCapacity');
    expect(result).toMatchObject({ succeeded: 1, failed: 1 });
  });
});
