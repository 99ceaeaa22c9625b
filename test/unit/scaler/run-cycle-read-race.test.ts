/**
 * A target's scheduled actions are listed when its turn comes (DescribeScheduledActions), after it
 * has been forecast, and its group is described right after (DescribeAutoScalingGroups, that group
 * alone). An action of the target that runs before the list is gone from it with its effect in the
 * sizes; one that runs between the two reads is listed with its effect in the sizes. Either way
 * the target's own raise is not taken for a floor someone else set, and a MinSize changed by hand
 * before the group read is seen.
 *
 * EC2 Auto Scaling lists only actions that have not run, runs them "within seconds" but possibly
 * "delayed for up to two minutes from the scheduled start time":
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html#scheduled-scaling-considerations
 * https://docs.aws.amazon.com/autoscaling/ec2/APIReference/API_DescribeScheduledActions.html
 * ("Gets information about the scheduled actions that haven't run or that have not reached their end time.")
 */
import { describe, expect, it } from 'vitest';
import { actionName, restoreActionName, runForecastCycle } from '../../../lambdas/core/scaler';
import { dailyHistory, MemoryPorts, NOW_SEC, target } from './memory-ports';

const GROUP = 'web-asg';
/** 11:00, a block boundary: the target's restore from an earlier plan returns the group to 2. */
const RESTORE_SEC = NOW_SEC + 1800;
/** The run starts 30 s before it (an hourly `cron(59 * * * ? *)`, or any run that takes a while). */
const START_SEC = RESTORE_SEC - 30;

/** A group at `minSize` (maximum 20) with `actions` on it, and 14 days of history, at 10:59:30. */
function setup(minSize: number, actions: Parameters<MemoryPorts['actions']['set']>[1] = []): MemoryPorts {
  const ports = new MemoryPorts(START_SEC);
  ports.addGroup(GROUP, minSize, 20);
  ports.actions.set(GROUP, actions);
  ports.histories.set('web', { ok: true, value: dailyHistory(START_SEC, 3600, 14) });
  return ports;
}

/** Runs `between` when the target's turn comes, just before its actions are listed. */
function beforeTheList(ports: MemoryPorts, between: () => void): void {
  const list = ports.groups.listScheduledActions;
  ports.groups.listScheduledActions = async (groupName: string) => {
    between();
    return list(groupName);
  };
}

/** Runs `between` just after the target's actions are listed, before its group is described. */
function afterTheList(ports: MemoryPorts, between: () => void): void {
  const list = ports.groups.listScheduledActions;
  ports.groups.listScheduledActions = async (groupName: string) => {
    const listed = await list(groupName);
    between();
    return listed;
  };
}

function setMinSize(ports: MemoryPorts, minSize: number): void {
  const g = ports.groupStates.get(GROUP);
  if (g !== undefined) ports.groupStates.set(GROUP, { ...g, minSize });
}

/** The group's MinSize once every action of the target left on it has run. */
function minSizeAfterOwnActions(ports: MemoryPorts): number | undefined {
  const last = Math.max(...ports.ownActions(GROUP, 'web').map((a) => a.startTimeSec ?? 0));
  ports.advanceTo(last + 1);
  return ports.groupStates.get(GROUP)?.minSize;
}

/** The group reads of the run, action lists included, in order. */
function groupReads(ports: MemoryPorts): string[] {
  return ports.calls.filter((c) => c.startsWith('describeGroups') || c.startsWith('listScheduledActions'));
}

describe('runForecastCycle when the target’s restore runs after the run starts, before the action list', () => {
  it('does not keep the MinSize its own earlier plan raised as the floor', async () => {
    // MinSize 8: raised by the target's earlier plan, which ends at 11:00.
    const ports = setup(8, [{ name: restoreActionName('web'), startTimeSec: RESTORE_SEC, minSize: 2 }]);
    // The run starts at 10:59:30 (MinSize 8); the target's turn comes after 11:00.
    beforeTheList(ports, () => ports.advanceTo(RESTORE_SEC + 20));
    expect(ports.ran).toEqual([]);

    const summary = await runForecastCycle([target()], ports, { nowSec: () => ports.nowSec });

    expect(ports.ran).toEqual([`${GROUP} ${restoreActionName('web')} min→2 max→20`]);
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 2, source: 'config' });
    expect(ports.ownActions(GROUP, 'web').some((a) => a.name === restoreActionName('web', true))).toBe(false);
    expect(minSizeAfterOwnActions(ports)).toBe(2);
  });

  it('keeps the floor its held restore returned to when that restore runs before the list', async () => {
    const held = { name: restoreActionName('web', true), startTimeSec: RESTORE_SEC, minSize: 5 };
    const ports = setup(8, [held]);
    beforeTheList(ports, () => ports.advanceTo(RESTORE_SEC + 20));

    const summary = await runForecastCycle([target()], ports, { nowSec: () => ports.nowSec });

    expect(ports.ran).toEqual([`${GROUP} ${held.name} min→5 max→20`]);
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 5, source: 'group' });
    expect(minSizeAfterOwnActions(ports)).toBe(5);
  });
});

describe('runForecastCycle when the MinSize changes by hand while the run forecasts', () => {
  it('lets a held floor go when it is lowered to minCapacity in between', async () => {
    const ports = setup(8);
    beforeTheList(ports, () => setMinSize(ports, 2));

    const summary = await runForecastCycle([target()], ports, { nowSec: () => ports.nowSec });

    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 2, source: 'config' });
    expect(minSizeAfterOwnActions(ports)).toBe(2);
  });

  it('keeps a MinSize raised by hand from minCapacity as the floor', async () => {
    // Nothing of the target pending; the group at minCapacity 2 when the run starts. An operator
    // raises MinSize to 6 while the run forecasts, before the target's actions are listed.
    const ports = setup(2);
    beforeTheList(ports, () => setMinSize(ports, 6));

    const summary = await runForecastCycle([target()], ports, { nowSec: () => ports.nowSec });

    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 6, source: 'group' });
    expect(minSizeAfterOwnActions(ports)).toBe(6);
  });

  it('keeps a held floor raised in between at its new value', async () => {
    const ports = setup(8);
    beforeTheList(ports, () => setMinSize(ports, 9));

    const summary = await runForecastCycle([target()], ports, { nowSec: () => ports.nowSec });

    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 9, source: 'group' });
    expect(ports.ownActions(GROUP, 'web').every((a) => (a.minSize ?? 0) >= 9)).toBe(true);
    expect(minSizeAfterOwnActions(ports)).toBe(9);
  });
});

describe('runForecastCycle when the target’s restore runs between the action list and the group read', () => {
  it('plans on minCapacity: the restore was still pending when the actions were listed', async () => {
    const ports = setup(8, [{ name: restoreActionName('web'), startTimeSec: RESTORE_SEC, minSize: 2 }]);
    afterTheList(ports, () => ports.advanceTo(RESTORE_SEC + 20));

    const summary = await runForecastCycle([target()], ports, { nowSec: () => ports.nowSec });

    expect(ports.ran).toEqual([`${GROUP} ${restoreActionName('web')} min→2 max→20`]);
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 2, source: 'config' });
    expect(minSizeAfterOwnActions(ports)).toBe(2);
  });

  it('keeps the floor its held restore returns to', async () => {
    const held = { name: restoreActionName('web', true), startTimeSec: RESTORE_SEC, minSize: 5 };
    const ports = setup(8, [held]);
    afterTheList(ports, () => ports.advanceTo(RESTORE_SEC + 20));

    const summary = await runForecastCycle([target()], ports, { nowSec: () => ports.nowSec });

    expect(ports.ran).toEqual([`${GROUP} ${held.name} min→5 max→20`]);
    expect(summary.records[0]?.actions?.baseline).toMatchObject({ minSize: 5, source: 'group' });
    expect(minSizeAfterOwnActions(ports)).toBe(5);
  });
});

describe('runForecastCycle group reads', () => {
  const raise = { name: actionName('web', RESTORE_SEC + 3600), startTimeSec: RESTORE_SEC + 3300, minSize: 9 };

  it.each([
    { name: 'a MinSize at minCapacity, nothing pending', minSize: 2, actions: [] },
    {
      name: 'a raised MinSize with the plan in flight',
      minSize: 8,
      actions: [raise, { name: restoreActionName('web'), startTimeSec: RESTORE_SEC + 7200, minSize: 2 }],
    },
    {
      name: 'a held floor with its plan in flight',
      minSize: 8,
      actions: [
        raise,
        { name: restoreActionName('web', true), startTimeSec: RESTORE_SEC + 7200, minSize: 5 },
      ],
    },
    { name: 'a MinSize above minCapacity, nothing pending', minSize: 8, actions: [] },
  ])('describes the group once, after listing its actions, with $name', async ({ minSize, actions }) => {
    const ports = setup(minSize, actions);

    await runForecastCycle([target()], ports, { nowSec: () => ports.nowSec });

    expect(groupReads(ports)).toEqual([`listScheduledActions(${GROUP})`, `describeGroups(${GROUP})`]);
  });

  it('reads no group for an untrusted forecastAndScale target, which writes nothing', async () => {
    const ports = setup(8);
    ports.histories.set('web', { ok: true, value: dailyHistory(START_SEC, 3600, 0.75) });

    const summary = await runForecastCycle([target()], ports, { nowSec: () => ports.nowSec });

    expect(summary.failed).toBe(0);
    expect(groupReads(ports)).toEqual([]);
  });

  it('describes a forecastOnly target’s group only to check it, listing no action', async () => {
    const ports = setup(8);
    ports.histories.set('web', { ok: true, value: dailyHistory(START_SEC, 3600, 14) });

    const summary = await runForecastCycle([target({ mode: 'forecastOnly' })], ports, {
      nowSec: () => ports.nowSec,
    });

    expect(summary.failed).toBe(0);
    expect(groupReads(ports)).toEqual(['describeGroups(web-asg)']);
  });

  it('fails the target at the group stage, writing nothing, when the read fails', async () => {
    const ports = setup(8);
    ports.groups.describeGroups = async () => {
      throw Object.assign(new Error('Rate exceeded'), { name: 'Throttling' });
    };

    const summary = await runForecastCycle([target()], ports, { nowSec: () => ports.nowSec });

    expect(summary.records[0]).toMatchObject({ status: 'failed', failedStage: 'group' });
    expect(summary.records[0]?.error).toBe(
      'GroupReadError: Auto Scaling group web-asg could not be described after its scheduled actions were listed (Throttling: Rate exceeded); the plan is made on its sizes read then, so nothing was written',
    );
    expect(ports.calls.filter((c) => c.startsWith('put') || c.startsWith('delete'))).toEqual([]);
  });

  it('fails the target at the group stage when the read no longer finds the group', async () => {
    const ports = setup(8);
    beforeTheList(ports, () => ports.groupStates.delete(GROUP));

    const summary = await runForecastCycle([target()], ports, { nowSec: () => ports.nowSec });

    expect(summary.records[0]).toMatchObject({ status: 'failed', failedStage: 'group' });
    expect(summary.records[0]?.error).toContain(`(group ${GROUP} not found)`);
  });
});
