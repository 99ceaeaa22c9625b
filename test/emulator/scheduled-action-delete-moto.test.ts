/**
 * Deleting a scheduled action that EC2 Auto Scaling has meanwhile run.
 *
 * Auto Scaling lists only actions that have not run, removes a one-time action once it runs, and
 * may run one up to two minutes after its StartTime; deleting a name that is gone fails that name
 * with `ValidationError: Scheduled action name not found` (moto does the same: getmoto/moto#7323
 * aligned it with the API; hashicorp/terraform#28760 shows the real error). The forecaster deletes
 * its stale own actions, including one still listed because it is due right now, a moment after
 * listing them (the group read, the restore put in between), and the SDK re-sends a
 * BatchDeleteScheduledAction whose answer timed out. Such a name must count as deleted: reported as
 * a failed write it would fail the target's run (stage `actions`) and fire the TargetsFailed
 * alarm although every action the plan wanted gone is gone.
 */
import {
  AutoScalingClient,
  CreateAutoScalingGroupCommand,
  CreateLaunchConfigurationCommand,
  DeleteScheduledActionCommand,
  PutScheduledUpdateGroupActionCommand,
} from '@aws-sdk/client-auto-scaling';
import { beforeAll, describe, expect, it } from 'vitest';
import { AutoScalingActions } from '../../lambdas/adapters/auto-scaling-actions';
import { AutoScalingGroups } from '../../lambdas/adapters/auto-scaling-groups';
import { actionName, applyPlan, restoreActionName } from '../../lambdas/core/scaler';
import { target } from '../unit/scaler/memory-ports';
import { blocks, H } from '../unit/scaler/plan-fixtures';
import { motoClientConfig, requireMoto } from './moto-server';
import { motoForSuite } from './moto-suite';

const run = requireMoto();

describe.runIf(run)('deleting a scheduled action Auto Scaling already ran (moto)', () => {
  const moto = motoForSuite();
  let asg: AutoScalingClient;
  let groups = 0;

  beforeAll(async () => {
    asg = new AutoScalingClient(motoClientConfig(moto().endpoint));
    await asg.send(
      new CreateLaunchConfigurationCommand({
        LaunchConfigurationName: 'web-lc',
        ImageId: 'ami-12c6146b',
        InstanceType: 't3.micro',
      }),
    );
  });

  /** A new group at 2–20. */
  const newGroup = async () => {
    groups += 1;
    const name = `web-asg-${groups}`;
    await asg.send(
      new CreateAutoScalingGroupCommand({
        AutoScalingGroupName: name,
        LaunchConfigurationName: 'web-lc',
        MinSize: 2,
        MaxSize: 20,
        AvailabilityZones: ['us-east-1a'],
      }),
    );
    return name;
  };

  const put = (group: string, name: string, startSec: number, minSize: number) =>
    asg.send(
      new PutScheduledUpdateGroupActionCommand({
        AutoScalingGroupName: group,
        ScheduledActionName: name,
        StartTime: new Date(startSec * 1000),
        MinSize: minSize,
      }),
    );

  /** What Auto Scaling does once the action has run: it is no longer there. */
  const runs = (group: string, name: string) =>
    asg.send(new DeleteScheduledActionCommand({ AutoScalingGroupName: group, ScheduledActionName: name }));

  it('reports no failure for an action that is already gone', async () => {
    const group = await newGroup();
    const nowSec = Math.floor(Date.now() / 1000);
    const name = actionName('web', nowSec + 360);
    await put(group, name, nowSec + 60, 5);
    await runs(group, name);

    const res = await new AutoScalingActions(asg).deleteScheduledActions(group, [name]);

    expect(res.failed).toEqual([]);
  });

  it('does not fail the plan when a stale own action runs between the list and its delete', async () => {
    const group = await newGroup();
    const nowSec = Math.floor(Date.now() / 1000);
    // The previous run's raise for the block starting in 6 minutes, due in 1 minute, and its restore.
    const dueBlockSec = nowSec + 360;
    const due = actionName('web', dueBlockSec);
    await put(group, due, dueBlockSec - 300, 5);
    await put(group, restoreActionName('web'), dueBlockSec + H, 2);
    const reader = new AutoScalingGroups(asg);
    const listed = reader.listScheduledActions.bind(reader);
    const ports = {
      groups: {
        describeGroups: reader.describeGroups.bind(reader),
        // The due raise runs right after the list, as Auto Scaling runs it at its time.
        listScheduledActions: async (name: string, signal?: AbortSignal) => {
          const actions = await listed(name, signal);
          await runs(group, due);
          return actions;
        },
      },
      actuator: new AutoScalingActions(asg),
    };
    // This run plans nothing for that block (the load fell): only a raise an hour later.
    const t = target({ autoScalingGroupName: group });

    const facts = await applyPlan(t, blocks([5], dueBlockSec + H), ports, {
      nowSec: () => Math.floor(Date.now() / 1000),
    });

    expect(facts.deleted).toContain(due);
    expect(facts.failed).toEqual([]);
  });
});
