/**
 * The forecaster handler with the user's own scheduled actions on a group, in the shapes
 * DescribeScheduledActions returns (ScheduledUpdateGroupAction): read, checked, and planned around.
 */
import {
  BatchPutScheduledUpdateGroupActionCommand,
  DescribeScheduledActionsCommand,
  type ScheduledUpdateGroupAction,
} from '@aws-sdk/client-auto-scaling';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { outputOf } from './emf-capture';
import { asg, context, freezeDate, loadHandler, mockAws, scheduledEvent, targets } from './forecaster-setup';

beforeEach(() => {
  freezeDate();
  mockAws();
});
afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

/** The user's actions DescribeScheduledActions lists on g0 (with the fields AWS always sets). */
function userActions(...actions: Array<Partial<ScheduledUpdateGroupAction>>): void {
  asg.on(DescribeScheduledActionsCommand, { AutoScalingGroupName: 'g0' }).resolves({
    ScheduledUpdateGroupActions: actions.map((a) => ({
      AutoScalingGroupName: 'g0',
      ScheduledActionARN: `arn:aws:autoscaling:us-east-1:123456789012:scheduledUpdateGroupAction:0b2c8e4d-1111-2222-3333-444455556666:autoScalingGroupName/g0:scheduledActionName/${a.ScheduledActionName ?? 'x'}`,
      ...a,
    })),
  });
}

/** The JSON log lines in `output`. */
function logLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Every action put on `group`, by start time. */
function puts(group: string): Array<{ name: string; start: string; minSize: number | undefined }> {
  return asg
    .commandCalls(BatchPutScheduledUpdateGroupActionCommand, { AutoScalingGroupName: group })
    .flatMap((c) => c.args[0].input.ScheduledUpdateGroupActions ?? [])
    .map((a) => ({
      name: a.ScheduledActionName ?? '',
      start: a.StartTime?.toISOString() ?? '',
      minSize: a.MinSize,
    }))
    .sort((x, y) => x.start.localeCompare(y.start));
}

describe('forecaster handler with the user’s scheduled actions', () => {
  it.each([
    [
      { ScheduledActionName: 'x', StartTime: new Date('2024-03-05T01:00:00Z'), MinSize: -1 },
      'MinSize -1; expected an integer >= 0',
    ],
    [
      { ScheduledActionName: 'x', StartTime: new Date('2024-03-05T01:00:00Z'), MaxSize: 2.5 },
      'MaxSize 2.5; expected an integer >= 0',
    ],
    [
      { ScheduledActionName: 'x', StartTime: new Date('2024-03-05T01:00:00Z'), DesiredCapacity: -3 },
      'DesiredCapacity -3; expected an integer >= 0',
    ],
    [
      { ScheduledActionName: 'x', StartTime: new Date(Number.NaN), MinSize: 3 },
      'StartTime "Invalid Date"; expected a date',
    ],
    [
      { ScheduledActionName: 'x', Recurrence: '0 9 * * *', EndTime: new Date(Number.NaN), MinSize: 3 },
      'EndTime "Invalid Date"; expected a date',
    ],
    [
      { ScheduledActionName: 'x', Recurrence: ' ', MinSize: 3 },
      'Recurrence " "; expected a non-empty string',
    ],
    [
      { ScheduledActionName: 'x', Recurrence: '0 9 * * *', TimeZone: '', MinSize: 3 },
      'TimeZone ""; expected a non-empty string',
    ],
    [
      { ScheduledActionName: 'x', MinSize: 3 },
      'StartTime undefined; expected a date (an action without Recurrence runs once, at its StartTime)',
    ],
    [
      { StartTime: new Date('2024-03-05T01:00:00Z'), MinSize: 3 },
      'ScheduledActionName undefined; expected a non-empty string',
    ],
  ])(
    'fails only the target whose group lists an action it cannot read, naming it, the field and the value (%#)',
    async (action, problem) => {
      userActions(action);
      let result: unknown;
      const logged = await outputOf(async () => {
        const { handler } = await loadHandler(targets(2), { POWERTOOLS_LOG_LEVEL: 'ERROR' });
        result = await handler(scheduledEvent, context);
      });

      expect(result).toMatchObject({ succeeded: 1, failed: 1 });
      expect(puts('g0')).toEqual([]);
      expect(puts('g1').length).toBeGreaterThan(0);
      const name = 'ScheduledActionName' in action ? action.ScheduledActionName : '(no name)';
      const decision = logLines(logged).find((l) => l.message === 'decision')?.decision;
      expect(decision).toMatchObject({
        targetId: 't0',
        failedStage: 'actions',
        error: `ScheduledActionShapeError: DescribeScheduledActions returned scheduled action ${name} of group g0 with ${problem}`,
      });
    },
  );

  it('plans around a recurring action in its time zone: nothing it writes after 09:00 New York is below its MinSize', async () => {
    // 09:00 in New York on 2024-03-04 (EST, UTC-5) is 14:00Z; the run is at 10:30Z.
    userActions({
      ScheduledActionName: 'office-hours',
      Recurrence: '0 9 * * 1-5',
      TimeZone: 'America/New_York',
      StartTime: new Date('2024-03-04T14:00:00Z'),
      EndTime: new Date('2024-12-31T00:00:00Z'),
      MinSize: 7,
    });
    const { handler } = await loadHandler(targets(1));

    const result = await handler(scheduledEvent, context);

    expect(result).toMatchObject({ succeeded: 1, failed: 0 });
    const written = puts('g0');
    expect(
      written.filter((a) => a.start >= '2024-03-04T14:00:00.000Z').every((a) => (a.minSize ?? 0) >= 7),
    ).toBe(true);
    expect(written.find((a) => a.name === 'selfheal-t0-restore')).toMatchObject({ minSize: 7 });
    expect(written.some((a) => a.start === '2024-03-04T14:00:00.000Z')).toBe(false);
  });

  it('logs a warning naming a user’s action whose Recurrence it cannot read, and holds its MinSize as a floor', async () => {
    userActions({ ScheduledActionName: 'odd-cron', Recurrence: '0 9 * *', MinSize: 5 });
    let result: unknown;
    const logged = await outputOf(async () => {
      const { handler } = await loadHandler(targets(1), { POWERTOOLS_LOG_LEVEL: 'WARN' });
      result = await handler(scheduledEvent, context);
    });

    expect(result).toMatchObject({ succeeded: 1, failed: 0 });
    const warning = logLines(logged).find((line) => line.message === 'user scheduled action not followed');
    expect(warning).toMatchObject({
      level: 'WARN',
      targetId: 't0',
      autoScalingGroupName: 'g0',
      warning:
        'scheduled action odd-cron: Recurrence "0 9 * *" is not a Unix cron expression of 5 fields (it has 4); its MinSize 5 is taken as a floor from now on; its run times are unknown, so an action of the plan may be put at one of them and be rejected',
    });
    expect(puts('g0').every((a) => (a.minSize ?? 0) >= 5)).toBe(true);
  });
});
