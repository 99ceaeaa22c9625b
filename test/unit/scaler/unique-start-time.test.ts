/**
 * EC2 Auto Scaling takes one scheduled action per start time on a group: "A scheduled action must
 * have a unique time value. If you attempt to schedule an activity at a time when another scaling
 * activity is already scheduled, the call is rejected"
 * (https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html#scheduled-scaling-limitations).
 * MemoryPorts enforces it, so a put at a held time comes back in `failed`.
 */
import { describe, expect, it } from 'vitest';
import {
  actionName,
  applyPlan,
  restoreActionName,
  type ScheduledActionSpec,
  type ScheduledActionState,
} from '../../../lambdas/core/scaler';
import { MemoryPorts, target } from './memory-ports';
import { blocks, H, minutes, NOW, sizesAt, T0 } from './plan-fixtures';

const GROUP = 'web-asg';
const RESTORE = restoreActionName('web');

function setup(foreign: readonly ScheduledActionState[] = []): {
  ports: MemoryPorts;
  write: (caps: number[], nowSec: number) => ReturnType<typeof applyPlan>;
} {
  const ports = new MemoryPorts(NOW);
  ports.addGroup(GROUP, 2, 20);
  ports.actions.set(
    GROUP,
    foreign.map((a) => ({ ...a })),
  );
  const write = (caps: number[], nowSec: number) => {
    ports.advanceTo(nowSec);
    return applyPlan(target(), blocks(caps), ports, { nowSec: () => nowSec });
  };
  return { ports, write };
}

/** No two actions of the group share a start time, and the restore runs after every other own action. */
function expectUniqueTimesAndRestoreLast(ports: MemoryPorts): void {
  const all = ports.actions.get(GROUP) ?? [];
  const times = all.map((a) => a.startTimeSec);
  expect(new Set(times).size).toBe(times.length);
  const own = ports.ownActions(GROUP, 'web');
  const restore = own.find((a) => a.name === RESTORE);
  const others = own.filter((a) => a !== restore).map((a) => a.startTimeSec ?? 0);
  expect(restore?.startTimeSec).toBeGreaterThan(Math.max(...others));
}

describe('applyPlan when a start time of its plan is held by another action of the group', () => {
  it('writes the next run’s plan after the plan got shorter, and keeps it unchanged a run later', async () => {
    const { ports, write } = setup();
    // 10:00: raised from 11:00 to 19:00.
    expect((await write([4, 6, 8, 6, 4, 4, 4, 4], NOW)).failed).toEqual([]);
    // 10:10: raised only until 15:00. The restore goes after the longer plan's actions (deleted
    // this run, but a delete may fail) and the return at 15:00 keeps its block's name.
    expect((await write([4, 6, 8, 6, 2, 2, 2, 2], NOW + 600)).failed).toEqual([]);
    const returnAt = T0 + 4 * H;
    expect(ports.ownActions(GROUP, 'web').find((a) => a.name === actionName('web', returnAt))).toMatchObject({
      startTimeSec: returnAt,
      minSize: 2,
    });

    // 11:00, the same forecast: the restore would take 15:00, the time the block's return holds
    // while the restore is written (first, before any delete). The return stays, the restore follows it.
    const next = await write([4, 6, 8, 6, 2, 2, 2, 2], NOW + H);

    expect(next.failed).toEqual([]);
    expect(next).toMatchObject({ written: [], deleted: [] });
    expectUniqueTimesAndRestoreLast(ports);
    const group = { minSize: 2, maxSize: 20 };
    const own = ports.ownActions(GROUP, 'web');
    expect(sizesAt(own, group, returnAt - 1).minSize).toBe(6);
    for (const t of minutes(returnAt, returnAt + 3 * H)) expect(sizesAt(own, group, t).minSize).toBe(2);
  });

  it('writes its plan when a scheduled action the user created starts on one of the plan’s block boundaries', async () => {
    // The user's own one-time action at 15:00 (never modified or deleted).
    const userAction = { name: 'nightly-report', startTimeSec: T0 + 4 * H, minSize: 2 };
    const { ports, write } = setup([userAction]);

    // 10:00: raised from 11:00 until 15:00, when the plan returns to the baseline.
    const facts = await write([4, 6, 8, 6, 2, 2], NOW);

    expect(facts.failed).toEqual([]);
    expect(ports.actions.get(GROUP)?.find((a) => a.name === userAction.name)).toEqual(userAction);
    expectUniqueTimesAndRestoreLast(ports);
    // The return moved a minute later, after the user's action: never before the higher block ends.
    expect(ports.ownActions(GROUP, 'web').find((a) => a.name === RESTORE)).toMatchObject({
      startTimeSec: userAction.startTimeSec + 60,
      minSize: 2,
    });
    expect(facts.notes.join('\n')).toContain(
      'another scheduled action of the group starts at 2024-03-04T15:00:00Z',
    );
  });

  it('moves a raise whose time the user holds a minute later, still ahead of its block', async () => {
    const userAction = { name: 'warm-up', startTimeSec: T0 + H - 300, minSize: 3 };
    const { ports, write } = setup([userAction]);

    const facts = await write([4, 6, 2], NOW);

    expect(facts.failed).toEqual([]);
    expectUniqueTimesAndRestoreLast(ports);
    expect(ports.ownActions(GROUP, 'web').find((a) => a.name === actionName('web', T0 + H))).toMatchObject({
      startTimeSec: T0 + H - 240,
      minSize: 6,
    });
  });

  it('moves a restore that follows an older plan’s action onto a free time', async () => {
    // An older plan's action that cannot be deleted, and the user's action a minute after it.
    const stale = { name: actionName('web', T0 + 9 * H), startTimeSec: T0 + 9 * H - 300, minSize: 9 };
    const userAction = { name: 'nightly-report', startTimeSec: stale.startTimeSec + 60, minSize: 2 };
    const { ports, write } = setup([stale, userAction]);
    ports.failDelete = () => 'ResourceContention: pending update';

    const facts = await write([5, 2], NOW);

    expect(facts.failed.map((f) => f.name)).toEqual([stale.name]);
    expectUniqueTimesAndRestoreLast(ports);
    expect(ports.ownActions(GROUP, 'web').find((a) => a.name === RESTORE)?.startTimeSec).toBe(
      stale.startTimeSec + 120,
    );
  });

  it('moves an action retimed at the write onto a free time when the user holds the new time', async () => {
    // The block starts in 30 s: its raise is due now, planned at now + 60 s. Each write call takes
    // a minute, so when the raise is put (after the restore) it moves to now + 120 s, which the user holds.
    const now = T0 - 30;
    const userAction = { name: 'on-the-minute', startTimeSec: now + 120, minSize: 2 };
    const ports = new MemoryPorts(now);
    ports.addGroup(GROUP, 2, 20);
    ports.actions.set(GROUP, [{ ...userAction }]);
    const clock = { nowSec: () => ports.nowSec };
    const actuator = {
      putScheduledActions: async (g: string, s: readonly ScheduledActionSpec[]) => {
        const res = await ports.actuator.putScheduledActions(g, s);
        ports.nowSec += 60;
        return res;
      },
      deleteScheduledActions: ports.actuator.deleteScheduledActions,
    };

    const facts = await applyPlan(target(), blocks([5, 2]), { groups: ports.groups, actuator }, clock);

    expect(facts.failed).toEqual([]);
    expectUniqueTimesAndRestoreLast(ports);
    expect(ports.ownActions(GROUP, 'web').find((a) => a.name === actionName('web', T0))).toMatchObject({
      startTimeSec: now + 180,
      minSize: 5,
    });
  });
});
