/**
 * From the review of the wt-race merge (5a6571c): the run described every scaled group once, before
 * forecasting, and each target listed its scheduled actions later; with an action of the target
 * still pending the plan was made on that early read, so an own raise that ran in between was gone
 * from the list while its effect (a higher MinSize, or with `increase` a higher MaxSize) was
 * missing from the sizes. `applyPlan` now describes the group after the list.
 *
 * What the plan promises on those sizes (README, "Scheduled actions"; action-plan.ts): with
 * `increase`, MaxSize is "never below the group's MaxSize at planning time, and, as AWS
 * IncreaseMaxCapacity, never lowered back"; "The block in progress keeps at least the group's
 * current MinSize, so nothing is lowered before it ends".
 *
 * EC2 Auto Scaling lists only actions that have not run, and may run one "delayed for up to two
 * minutes from the scheduled start time":
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScheduledActions.html
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html#scheduled-scaling-considerations
 */
import { describe, expect, it } from 'vitest';
import { actionName, applyPlan, restoreActionName } from '../../../lambdas/core/scaler';
import { MemoryPorts, target } from './memory-ports';
import { blocks, H, T0 } from './plan-fixtures';

const GROUP = 'web-asg';

/** Runs `between` when the target's turn comes, just before its actions are listed. */
function beforeTheList(ports: MemoryPorts, between: () => void): void {
  const list = ports.groups.listScheduledActions;
  ports.groups.listScheduledActions = async (groupName: string) => {
    between();
    return list(groupName);
  };
}

/** Runs `between` after the target's actions are listed, before its group is described. */
function afterTheList(ports: MemoryPorts, between: () => void): void {
  const list = ports.groups.listScheduledActions;
  ports.groups.listScheduledActions = async (groupName: string) => {
    const listed = await list(groupName);
    between();
    return listed;
  };
}

const when = [
  { name: 'before the action list', hook: beforeTheList },
  { name: 'between the action list and the group read', hook: afterTheList },
];

describe.each(when)('applyPlan when an own raise runs $name', ({ hook }) => {
  it('does not lower the MaxSize that raise set (increase)', async () => {
    // 10:54:30. The earlier plan raises for the 11:00 block at 10:55 (MinSize 22, MaxSize 25, above
    // maxCapacity 20 with `increase`) and restores at 12:00.
    const ports = new MemoryPorts(T0 - 330);
    ports.addGroup(GROUP, 2, 20);
    ports.actions.set(GROUP, [
      { name: actionName('web', T0), startTimeSec: T0 - 300, minSize: 22, maxSize: 25 },
      { name: restoreActionName('web'), startTimeSec: T0 + H, minSize: 2 },
    ]);
    // The raise runs at 10:55; the target's turn comes at 10:55:20, its restore still pending.
    hook(ports, () => ports.advanceTo(T0 - 280));
    const t = target({ maxCapacityBreachBehavior: 'increase' });

    // This run's forecast for the 11:00 block is a little lower: 21 instances, maximum 23.
    const facts = await applyPlan(t, blocks([[21, 23]]), ports, { nowSec: () => ports.nowSec });
    ports.advanceTo(T0 + 2 * H);

    expect(facts.failed).toEqual([]);
    // Nothing may write a MaxSize below the 25 the group already has: a lower one also lowers a
    // desired capacity above it, terminating instances.
    expect(ports.ran.filter((r) => Number(/max→(\d+)/.exec(r)?.[1]) < 25)).toEqual([]);
    expect(ports.groupStates.get(GROUP)?.maxSize).toBe(25);
  });

  it('does not lower the MinSize of the block in progress that raise set', async () => {
    // schedulingBufferSec 0: the earlier plan raises at 11:00 itself, for the block 11:00–12:00.
    const ports = new MemoryPorts(T0 - 10);
    ports.addGroup(GROUP, 2, 30);
    ports.actions.set(GROUP, [
      { name: actionName('web', T0), startTimeSec: T0, minSize: 22 },
      { name: restoreActionName('web'), startTimeSec: T0 + H, minSize: 2 },
    ]);
    hook(ports, () => ports.advanceTo(T0 + 5));
    const t = target({ maxCapacity: 30, schedulingBufferSec: 0 });

    // This run plans 15 for the block now in progress.
    const facts = await applyPlan(t, blocks([15], T0, 0), ports, { nowSec: () => ports.nowSec });
    ports.advanceTo(T0 + H - 1);

    expect(facts.failed).toEqual([]);
    // The block in progress keeps the group's MinSize 22 until it ends at 12:00.
    expect(ports.groupStates.get(GROUP)?.minSize).toBe(22);
    ports.advanceTo(T0 + H + 1);
    expect(ports.groupStates.get(GROUP)?.minSize).toBe(2);
  });
});
