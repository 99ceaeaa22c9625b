/**
 * `AutoScalingActions.deleteScheduledActions` asks the group again about the names whose delete
 * failed: a name the group no longer holds (Auto Scaling ran and removed it, or a re-sent delete
 * already took it) counts as deleted; a name it still holds stays a failure, whatever the error
 * says. The moto test `test/emulator/scheduled-action-delete-moto.test.ts` covers the real error.
 */
import {
  AutoScalingClient,
  BatchDeleteScheduledActionCommand,
  DescribeScheduledActionsCommand,
} from '@aws-sdk/client-auto-scaling';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { AutoScalingActions } from '../../../lambdas/adapters/auto-scaling-actions';

const asg = mockClient(AutoScalingClient);
const client = new AutoScalingClient({ region: 'us-east-1' });

const notFound = (name: string) => ({
  ScheduledActionName: name,
  ErrorCode: 'ValidationError',
  ErrorMessage: 'Scheduled action name not found',
});

describe('AutoScalingActions.deleteScheduledActions', () => {
  beforeEach(() => {
    asg.reset();
  });

  it('asks nothing more when every delete succeeded', async () => {
    asg.on(BatchDeleteScheduledActionCommand).resolves({ FailedScheduledActions: [] });

    const res = await new AutoScalingActions(client).deleteScheduledActions('web-asg', ['a', 'b']);

    expect(res.failed).toEqual([]);
    expect(asg.commandCalls(DescribeScheduledActionsCommand)).toHaveLength(0);
  });

  it('keeps a failure for an action the group still holds, and drops one for an action gone', async () => {
    asg.on(BatchDeleteScheduledActionCommand).resolves({
      FailedScheduledActions: [
        notFound('gone'),
        { ScheduledActionName: 'held', ErrorCode: 'ResourceContention', ErrorMessage: 'busy' },
      ],
    });
    asg.on(DescribeScheduledActionsCommand).resolves({
      ScheduledUpdateGroupActions: [{ AutoScalingGroupName: 'web-asg', ScheduledActionName: 'held' }],
    });

    const res = await new AutoScalingActions(client).deleteScheduledActions('web-asg', [
      'gone',
      'held',
      'ok',
    ]);

    expect(res.failed).toEqual([{ name: 'held', error: 'ResourceContention: busy' }]);
    const asked = asg.commandCalls(DescribeScheduledActionsCommand).map((c) => c.args[0].input);
    expect(asked).toEqual([
      { AutoScalingGroupName: 'web-asg', ScheduledActionNames: ['gone', 'held'], NextToken: undefined },
    ]);
  });

  it('follows NextToken when asking the group again', async () => {
    asg.on(BatchDeleteScheduledActionCommand).resolves({
      FailedScheduledActions: [notFound('a'), notFound('b')],
    });
    asg
      .on(DescribeScheduledActionsCommand)
      .resolvesOnce({ ScheduledUpdateGroupActions: [], NextToken: 'page-2' })
      .resolvesOnce({ ScheduledUpdateGroupActions: [{ ScheduledActionName: 'b' }] });

    const res = await new AutoScalingActions(client).deleteScheduledActions('web-asg', ['a', 'b']);

    expect(res.failed.map((f) => f.name)).toEqual(['b']);
  });
});
