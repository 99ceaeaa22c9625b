/**
 * The forecaster on groups that cannot take its plan as written. The plan counts instances
 * (ceil(load / targetValue)) and takes effect through scheduled actions, so:
 * - a group whose sizes count vCPUs, MiB (DesiredCapacityType, "units | vcpu | memory-mib") or
 *   weighted capacity units (LaunchTemplateOverrides.WeightedCapacity: "you must specify these
 *   sizes with the same units that you use for weighting instances") is refused at `group`;
 * - a group with ScheduledActions suspended runs none of them, and is refused at `group`;
 * - a group with Launch or AlarmNotification suspended runs them without their full effect ("How
 *   suspended processes affect other processes", EC2 Auto Scaling User Guide): written, with a
 *   warning.
 * Group shapes follow DescribeAutoScalingGroups' AutoScalingGroup.
 */
import {
  BatchPutScheduledUpdateGroupActionCommand,
  DescribeAutoScalingGroupsCommand,
  type DescribeAutoScalingGroupsCommandInput,
} from '@aws-sdk/client-auto-scaling';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { emitted, outputOf } from './emf-capture';
import {
  asg,
  context,
  freezeDate,
  group,
  loadHandler,
  mockAws,
  scheduledEvent,
  targets,
} from './forecaster-setup';

beforeEach(() => {
  freezeDate();
  mockAws();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

const REASON = 'User suspended at 2024-03-04T09:12:45Z';

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

/** A group of c5.xlarge and c5.2xlarge weighted `weights`; with 4 and 8, 2 c5.xlarge are MinSize 8 units. */
function weightedGroup(name: string, weights: readonly [string, string], minSize: number) {
  return {
    ...group(name),
    MinSize: minSize,
    MaxSize: 10 * minSize,
    DesiredCapacity: minSize,
    MixedInstancesPolicy: {
      LaunchTemplate: {
        LaunchTemplateSpecification: { LaunchTemplateId: 'lt-0abcd1234efgh5678', Version: '$Default' },
        Overrides: [
          { InstanceType: 'c5.xlarge', WeightedCapacity: weights[0] },
          { InstanceType: 'c5.2xlarge', WeightedCapacity: weights[1] },
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

function suspendedGroup(name: string, process: string) {
  return { ...group(name), SuspendedProcesses: [{ ProcessName: process, SuspensionReason: REASON }] };
}

function logLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{') && !line.includes('"_aws"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/**
 * Runs the handler over t0 (on g0, described as `g0`) and t1 (an ordinary g1), metrics on; both
 * targets take `overrides` (e.g. their mode).
 */
async function runWith(
  g0: (name: string) => Record<string, unknown>,
  overrides: Record<string, unknown> = {},
) {
  asg.on(DescribeAutoScalingGroupsCommand).callsFake((input: DescribeAutoScalingGroupsCommandInput) => ({
    AutoScalingGroups: (input.AutoScalingGroupNames ?? []).map((name) =>
      name === 'g0' ? g0(name) : group(name),
    ),
  }));
  let result: unknown;
  const output = await outputOf(async () => {
    const { handler } = await loadHandler(targets(2, overrides), {
      POWERTOOLS_LOG_LEVEL: 'INFO',
      POWERTOOLS_METRICS_DISABLED: 'false',
    });
    result = await handler(scheduledEvent, context);
  });
  const lines = logLines(output);
  const decisionLine = lines.find(
    (l) => l.message === 'decision' && (l.decision as { targetId?: string }).targetId === 't0',
  );
  const written = (name: string) =>
    asg
      .commandCalls(BatchPutScheduledUpdateGroupActionCommand, { AutoScalingGroupName: name })
      .flatMap((c) => c.args[0].input.ScheduledUpdateGroupActions ?? [])
      // Without the target id, so g0's writes compare with g1's.
      .map((a) => `${a.ScheduledActionName?.replace(/^selfheal-t\d+-/, '')} MinSize ${a.MinSize}`);
  return {
    result,
    lines,
    level: decisionLine?.level,
    decision: decisionLine?.decision as Record<string, unknown> | undefined,
    written,
    targetsFailed: emitted(output, 'TargetsFailed').map((m) => m.value),
  };
}

describe('forecaster handler on a group whose capacity is not counted in instances', () => {
  it.each([
    { type: 'vcpu' as const, perInstance: 4 },
    { type: 'memory-mib' as const, perInstance: 8192 },
  ])(
    'writes no instance-counted MinSize to a group with DesiredCapacityType $type, and fails it at group naming the field and value',
    async ({ type, perInstance }) => {
      // Before the fix, vcpu: the group's MinSize 8 (vCPUs: 2 instances) was kept as a floor of 8
      // "instances" and blocks planned at 10 instances wrote MinSize 10 (vCPUs: 3 instances), t0
      // `scaled`. memory-mib: MinSize 16384 (MiB) became the floor, nothing was written, `scaled`.
      const run = await runWith((name) => attributeBasedGroup(name, type, perInstance));

      expect(run.written('g0')).toEqual([]);
      expect(run.written('g1').length).toBeGreaterThan(0);
      expect(run.decision).toMatchObject({ targetId: 't0', status: 'failed', failedStage: 'group' });
      expect(String(run.decision?.error)).toContain(`DesiredCapacityType "${type}"`);
      expect(run.result).toMatchObject({ succeeded: 1, failed: 1 });
      // What TargetsFailedAlarm reads, and the record it tells the operator to look for.
      expect(run.targetsFailed).toEqual([1]);
      expect(run.level).toBe('ERROR');
    },
  );

  it('writes no instance-counted MinSize to a group whose overrides carry WeightedCapacity, and fails it at group naming the field and value', async () => {
    // Before the fix: MinSize 8 (units: 2 instances) was kept as a floor of 8 "instances", blocks
    // planned at 10 instances wrote MinSize 10 (units: 3 c5.xlarge), and t0 reported `scaled`.
    const run = await runWith((name) => weightedGroup(name, ['4', '8'], 8));

    expect(run.written('g0')).toEqual([]);
    expect(run.decision).toMatchObject({ targetId: 't0', status: 'failed', failedStage: 'group' });
    expect(String(run.decision?.error)).toContain(
      'MixedInstancesPolicy.LaunchTemplate.Overrides[0].WeightedCapacity "4" (c5.xlarge)',
    );
    expect(run.result).toMatchObject({ succeeded: 1, failed: 1 });
    expect(run.targetsFailed).toEqual([1]);
  });

  it('plans a group whose overrides are all weighted 1 as any other: its sizes count instances', async () => {
    const run = await runWith((name) => weightedGroup(name, ['1', '1'], 2));

    expect(run.decision).toMatchObject({ targetId: 't0', status: 'scaled' });
    expect(run.written('g0').length).toBeGreaterThan(0);
    expect(run.written('g0')).toEqual(run.written('g1'));
    expect(run.targetsFailed).toEqual([0]);
  });
});

describe('forecaster handler on a group with suspended processes', () => {
  it('writes nothing to a group with ScheduledActions suspended, and fails it at group naming the process and its reason', async () => {
    // Before the fix: actions were written to g0 as to any group, none of which would run, and the
    // record was an ordinary `scaled` one.
    const run = await runWith((name) => suspendedGroup(name, 'ScheduledActions'));

    expect(run.written('g0')).toEqual([]);
    expect(run.written('g1').length).toBeGreaterThan(0);
    expect(run.decision).toMatchObject({ targetId: 't0', status: 'failed', failedStage: 'group' });
    expect(String(run.decision?.error)).toContain(
      `SuspendedProcesses includes ScheduledActions (SuspensionReason "${REASON}")`,
    );
    expect(run.targetsFailed).toEqual([1]);
  });

  it.each([
    { process: 'Launch', effect: 'a raised MinSize launches no instance' },
    {
      process: 'AlarmNotification',
      effect: 'neither scales out above the planned floor nor back in',
    },
  ])(
    'writes the plan to a group with $process suspended, and warns that it will not take full effect',
    async ({ process, effect }) => {
      // Before the fix: the record was an ordinary `scaled` one that named neither.
      const run = await runWith((name) => suspendedGroup(name, process));

      expect(run.written('g0').length).toBeGreaterThan(0);
      expect(run.written('g0')).toEqual(run.written('g1'));
      expect(run.decision).toMatchObject({ targetId: 't0', status: 'scaled' });
      const warnings = (run.decision?.actions as { groupWarnings?: unknown } | undefined)?.groupWarnings;
      expect(warnings).toEqual([expect.stringContaining(`SuspendedProcesses includes ${process}`)]);
      expect(String(warnings)).toContain(effect);
      const logged = run.lines.filter((l) => l.message === 'group will not follow the plan fully');
      expect(logged).toEqual([
        expect.objectContaining({
          level: 'WARN',
          targetId: 't0',
          autoScalingGroupName: 'g0',
          warning: expect.stringContaining(
            `SuspendedProcesses includes ${process} (SuspensionReason "${REASON}")`,
          ),
        }),
      ]);
      expect(run.targetsFailed).toEqual([0]);
    },
  );
});

describe('forecaster handler on a forecastOnly target whose group forecastAndScale would not take fully', () => {
  it('warns, in the record and the log, what forecastAndScale would refuse and warn about, without failing the target', async () => {
    // Before: forecastOnly read no group, so a group sized in vCPUs with Launch suspended was only
    // found out on the switch to forecastAndScale, when the target failed at `group`.
    const run = await runWith(
      (name) => ({
        ...attributeBasedGroup(name, 'vcpu', 4),
        SuspendedProcesses: [{ ProcessName: 'Launch', SuspensionReason: REASON }],
      }),
      { mode: 'forecastOnly' },
    );

    expect(run.written('g0')).toEqual([]);
    expect(run.written('g1')).toEqual([]);
    expect(run.decision).toMatchObject({ targetId: 't0', status: 'forecastOnly' });
    expect(run.level).toBe('INFO');
    expect(run.result).toMatchObject({ succeeded: 2, failed: 0 });
    expect(run.targetsFailed).toEqual([0]);
    // One batched read of both groups.
    expect(
      asg.commandCalls(DescribeAutoScalingGroupsCommand).map((c) => c.args[0].input.AutoScalingGroupNames),
    ).toEqual([['g0', 'g1']]);
    const logged = run.lines.filter((l) => l.message === 'group not ready for forecastAndScale');
    expect(logged).toEqual([
      expect.objectContaining({
        level: 'WARN',
        targetId: 't0',
        autoScalingGroupName: 'g0',
        warning: expect.stringContaining(
          'would be refused and nothing written (failedStage group): DesiredCapacityType "vcpu"',
        ),
      }),
      expect.objectContaining({
        level: 'WARN',
        targetId: 't0',
        autoScalingGroupName: 'g0',
        warning: expect.stringContaining(
          `would be written with a warning: SuspendedProcesses includes Launch (SuspensionReason "${REASON}")`,
        ),
      }),
    ]);
  });
});
