/**
 * Review: the forecaster plans and writes for a group whose SuspendedProcesses stop the plan from
 * taking effect, and reports the target `scaled` without a word. It reads only MinSize, MaxSize and
 * DesiredCapacity (lambdas/adapters/auto-scaling-groups.ts, groupState).
 * AWS, "Suspend and resume Amazon EC2 Auto Scaling processes": ScheduledActions "performs the
 * scheduled scaling actions"; suspending it disables them. "How suspended processes affect other
 * processes": with Launch suspended "ScheduledActions is active, but your Auto Scaling group can't
 * initiate scale-out activities for any scheduled actions that occur"; suspending AlarmNotification
 * stops the group's target tracking (which the plan relies on for scale-in and for load above the
 * floor). EC2 Auto Scaling also suspends processes itself ("administrative suspension") on a group
 * that failed to launch for 24 hours.
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

function logLines(output: string): Array<Record<string, unknown>> {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('forecaster handler on a group with suspended processes', () => {
  it.each([
    { process: 'ScheduledActions', effect: 'none of the actions it writes runs' },
    { process: 'Launch', effect: 'no raised floor launches an instance' },
    {
      process: 'AlarmNotification',
      effect: 'target tracking neither scales out above the floor nor back in',
    },
  ])(
    'tells the operator, in the decision record, that $process is suspended on the group ($effect)',
    async ({ process }) => {
      asg.on(DescribeAutoScalingGroupsCommand).callsFake((input: DescribeAutoScalingGroupsCommandInput) => ({
        AutoScalingGroups: (input.AutoScalingGroupNames ?? []).map((name) =>
          name === 'g0'
            ? {
                ...group(name),
                SuspendedProcesses: [
                  { ProcessName: process, SuspensionReason: 'User suspended at 2024-03-04T09:12:45Z' },
                ],
              }
            : group(name),
        ),
      }));
      const logged = await outputOf(async () => {
        const { handler } = await loadHandler(targets(2), { POWERTOOLS_LOG_LEVEL: 'INFO' });
        await handler(scheduledEvent, context);
      });

      const decision = logLines(logged).find(
        (l) => l.message === 'decision' && (l.decision as { targetId?: string }).targetId === 't0',
      )?.decision;
      // Today: actions are written to g0 as to any group, and the record is an ordinary `scaled`
      // one that mentions neither the suspension nor the process.
      const g1Writes = asg.commandCalls(BatchPutScheduledUpdateGroupActionCommand, {
        AutoScalingGroupName: 'g1',
      });
      expect(g1Writes.length).toBeGreaterThan(0);
      expect(decision).toMatchObject({ targetId: 't0' });
      expect(JSON.stringify(decision)).toContain('SuspendedProcesses');
      expect(JSON.stringify(decision)).toContain(process);
    },
  );
});
