import { describe, expect, it } from 'vitest';
import { checkForecastOnlyGroups, type GroupState, groupCheck } from '../../../lambdas/core/scaler';
import { target } from './memory-ports';

const fit: GroupState = {
  name: 'web-asg',
  minSize: 2,
  maxSize: 20,
  desiredCapacity: 2,
  instanceWeights: [],
  suspendedProcesses: [],
};

describe('groupCheck', () => {
  it.each([
    { what: 'a group that can take the plan', read: { ok: true as const, value: fit }, lines: [] },
    {
      what: 'a group being deleted',
      read: { ok: true as const, value: { ...fit, status: 'Delete in progress' } },
      lines: [
        'in forecastAndScale the group would be refused and nothing written (failedStage group): Status "Delete in progress": a DeleteAutoScalingGroup of the group is in progress, and actions written to it would go with it',
      ],
    },
    {
      what: 'a group with Terminate suspended',
      read: {
        ok: true as const,
        value: { ...fit, suspendedProcesses: [{ processName: 'Terminate', suspensionReason: '' }] },
      },
      lines: [
        'in forecastAndScale the plan would be written with a warning: SuspendedProcesses includes Terminate (no SuspensionReason given): the actions were written, but a lowered MinSize (the restore included) terminates no instance, so capacity raised for a block stays until Terminate is resumed',
      ],
    },
    {
      what: 'a group that could not be described',
      read: { ok: false as const, error: 'ValidationError: group web-asg not found' },
      lines: [
        'Auto Scaling group web-asg could not be described, so it was not checked for forecastAndScale (ValidationError: group web-asg not found)',
      ],
    },
    {
      what: 'a group the read gave no answer for',
      read: undefined,
      lines: [
        'Auto Scaling group web-asg could not be described, so it was not checked for forecastAndScale (no answer for this group)',
      ],
    },
  ])('says what forecastAndScale would make of $what', ({ read, lines }) => {
    expect(groupCheck('web-asg', read)).toEqual(lines);
  });
});

describe('checkForecastOnlyGroups', () => {
  const targets = [
    target({ id: 'web', autoScalingGroupName: 'web-asg', mode: 'forecastOnly' }),
    target({ id: 'api', autoScalingGroupName: 'api-asg', mode: 'forecastAndScale' }),
    target({ id: 'web-peak', autoScalingGroupName: 'web-asg', mode: 'forecastOnly' }),
  ];

  it('describes the forecastOnly targets’ groups in one call, each group once', async () => {
    const calls: string[][] = [];
    const checks = await checkForecastOnlyGroups(targets, {
      describeGroups: async (names) => {
        calls.push([...names]);
        return new Map(names.map((n) => [n, { ok: true as const, value: { ...fit, name: n } }]));
      },
      listScheduledActions: async () => [],
    });

    expect(calls).toEqual([['web-asg']]);
    expect([...checks.entries()]).toEqual([
      ['web', []],
      ['web-peak', []],
    ]);
  });

  it('says the groups were not checked when the read throws, without throwing', async () => {
    const checks = await checkForecastOnlyGroups(targets, {
      describeGroups: async () => {
        throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
      },
      listScheduledActions: async () => [],
    });

    expect(checks.get('web')).toEqual([
      'Auto Scaling group web-asg could not be described, so it was not checked for forecastAndScale (Throttling: Rate exceeded)',
    ]);
    expect(checks.has('api')).toBe(false);
  });

  it('reads nothing when there is no forecastOnly target', async () => {
    const calls: string[] = [];
    const checks = await checkForecastOnlyGroups([targets[1] ?? target()], {
      describeGroups: async (names) => {
        calls.push(...names);
        return new Map();
      },
      listScheduledActions: async () => [],
    });

    expect(calls).toEqual([]);
    expect(checks.size).toBe(0);
  });
});
