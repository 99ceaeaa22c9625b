/**
 * The user's own scheduled actions set a floor the plan never writes MinSize below, for the times
 * they apply: a user's action that sets MinSize holds until their next one changes it (EC2 Auto
 * Scaling "does not keep track of old values": whichever action runs last sets the sizes).
 */
import { describe, expect, it } from 'vitest';
import {
  type ActionBounds,
  actionName,
  desiredActions,
  floorAt,
  restoreActionName,
  type ScheduledActionState,
  userSchedule,
} from '../../../lambdas/core/scaler';
import { blocks, bounds, H, minutes, NOW, sizesAt, T0 } from './plan-fixtures';

const END = T0 + 12 * H;

/** The group's sizes minute by minute with the plan's actions and every occurrence of the user's. */
function replay(
  b: ActionBounds,
  planned: readonly ScheduledActionState[],
  from = NOW + 60,
  to = END,
): Array<{ t: number; minSize: number; maxSize: number; floor: number }> {
  const user = userSchedule(b.foreign, NOW, to).events.map((e) => ({ ...e, startTimeSec: e.atSec }));
  const all = [...planned, ...user];
  const base = { baseline: b.baseline };
  const schedule = userSchedule(b.foreign, NOW, to);
  return minutes(from, to).map((t) => ({
    t,
    ...sizesAt(all, { minSize: b.groupMinSize, maxSize: b.groupMaxSize }, t),
    floor: floorAt(schedule, base, t),
  }));
}

const at = (iso: string) => Date.parse(`2024-03-04T${iso}:00Z`) / 1000;

describe('desiredActions with the user’s own scheduled actions', () => {
  it('never lowers MinSize below a user’s one-time raise, and restores to it', () => {
    const launch = { name: 'launch', startTimeSec: at('14:45'), minSize: 15 };
    const b = { ...bounds, foreign: [launch] };
    // 11:00 4, 12:00 6, 13:00 8, 14:00 6, 15:00 9, 16:00 18, 17:00 4, 18:00 2
    const out = desiredActions(blocks([4, 6, 8, 6, 9, 18, 4, 2]), b, NOW);
    const sizes = replay(b, out.actions);
    expect(sizes.filter((s) => s.minSize < s.floor)).toEqual([]);
    expect(sizes.filter((s) => s.t >= at('14:45') && s.minSize < 15)).toEqual([]);
    // The 16:00 block still gets its 18, and the plan returns to the user's 15, not to 2.
    expect(sizes.find((s) => s.t === at('16:30'))?.minSize).toBe(18);
    expect(out.actions.at(-1)).toEqual({
      name: restoreActionName('web'),
      startTimeSec: at('17:00'),
      minSize: 15,
    });
  });

  it('raises again with the next block when the user lowers MinSize inside a raised block, and restores to the user’s floor', () => {
    const lower = { name: 'lunch-dip', startTimeSec: at('11:30'), minSize: 3 };
    const b = { ...bounds, foreign: [lower] };
    const out = desiredActions(blocks([8, 8, 8, 2]), b, NOW);
    const sizes = replay(b, out.actions);
    expect(sizes.find((s) => s.t === at('11:40'))?.minSize).toBe(3);
    expect(out.actions.map((a) => [a.name, a.startTimeSec, a.minSize])).toEqual([
      [actionName('web', T0), at('10:55'), 8],
      [actionName('web', T0 + H), at('11:55'), 8],
      [restoreActionName('web'), at('14:00'), 3],
    ]);
    expect(sizes.filter((s) => s.t >= at('11:55') && s.t < at('14:00') && s.minSize < 8)).toEqual([]);
  });

  it('returns to the higher of a floor found on the group and the user’s MinSize', () => {
    // The group's MinSize 10 was kept as the floor; the user's own actions set 4, then 14.
    const foreign = [
      { name: 'evening', startTimeSec: at('12:30'), minSize: 4 },
      { name: 'late-batch', startTimeSec: at('15:30'), minSize: 14 },
    ];
    const b = { ...bounds, baseline: 10, held: true, groupMinSize: 10, foreign };
    const early = desiredActions(blocks([12, 12, 12, 12, 2]), b, NOW);
    // The user's own action lowers the group to 4 at 12:30; the plan's next action raises it again.
    expect(
      replay(b, early.actions).filter((s) => s.minSize < 10 && (s.t < at('12:30') || s.t >= at('12:55'))),
    ).toEqual([]);
    expect(early.actions.at(-1)).toEqual({
      name: restoreActionName('web', true),
      startTimeSec: at('15:00'),
      minSize: 10,
    });
    const late = desiredActions(blocks([12, 12, 12, 12, 12, 2]), b, NOW);
    expect(late.actions.at(-1)).toEqual({
      name: restoreActionName('web', true),
      startTimeSec: at('16:00'),
      minSize: 14,
    });
  });

  it('keeps the MinSize a recurring action of the user set before now until their next action', () => {
    // Office hours: 12 from 09:00 (already run today), 2 from 15:00.
    const foreign = [
      { name: 'office-open', recurrence: '0 9 * * *', minSize: 12 },
      { name: 'office-close', recurrence: '0 15 * * *', minSize: 2 },
    ];
    // The group is at the user's 12 (their 09:00 action ran); the baseline is minCapacity.
    const b = { ...bounds, groupMinSize: 12, foreign };
    const out = desiredActions(blocks([4, 6, 14, 6, 4, 3, 2]), b, NOW);
    const sizes = replay(b, out.actions);
    expect(sizes.filter((s) => s.t < at('15:00') && s.minSize < 12)).toEqual([]);
    expect(sizes.find((s) => s.t === at('13:30'))?.minSize).toBe(14);
    expect(sizes.find((s) => s.t === at('15:30'))?.minSize).toBe(4);
  });

  it('caps MinSize at a MaxSize the user lowers, with honor', () => {
    const cap = { name: 'cost-cap', startTimeSec: at('12:30'), maxSize: 10 };
    const b = { ...bounds, foreign: [cap] };
    const out = desiredActions(blocks([6, 6, 12, 12, 2]), b, NOW);
    const sizes = replay(b, out.actions);
    expect(sizes.filter((s) => s.minSize > s.maxSize)).toEqual([]);
    expect(sizes.find((s) => s.t === at('13:30'))).toMatchObject({ minSize: 10, maxSize: 10 });
    expect(out.notes.join('\n')).toContain('capped');
  });

  it('keeps its plan, and says so, when a user’s action lowering MaxSize below it would fail', () => {
    const cap = { name: 'cost-cap', startTimeSec: at('12:30'), maxSize: 8 };
    const b = { ...bounds, foreign: [cap] };
    const out = desiredActions(blocks([6, 12, 12, 2]), b, NOW);
    expect(out.actions.map((a) => a.minSize)).toEqual([6, 12, 2]);
    expect(out.notes).toContain(
      'scheduled action cost-cap at 2024-03-04T12:30:00Z would leave MinSize 12 above MaxSize 8: it fails when it runs',
    );
  });

  it('honours a user’s floor above the configured maxCapacity, within the MaxSize the user set', () => {
    const launch = { name: 'launch', startTimeSec: at('12:30'), minSize: 25, maxSize: 30 };
    const b = { ...bounds, foreign: [launch] };
    const out = desiredActions(blocks([6, 12, 12, 2]), b, NOW);
    const sizes = replay(b, out.actions);
    expect(sizes.filter((s) => s.t >= at('12:30') && s.minSize < 25)).toEqual([]);
    expect(out.actions.every((a) => a.maxSize === undefined)).toBe(true);
    expect(out.actions.at(-1)).toMatchObject({ name: restoreActionName('web'), minSize: 25 });
  });

  it('never writes a MaxSize below one the user raised, with increase', () => {
    const room = { name: 'room', startTimeSec: at('11:30'), maxSize: 40 };
    const b = { ...bounds, raiseMax: true, foreign: [room] };
    const out = desiredActions(blocks([4, [25, 28], [25, 28], 2]), b, NOW);
    expect(out.actions.every((a) => a.maxSize === undefined)).toBe(true);
    const sizes = replay(b, out.actions);
    expect(sizes.find((s) => s.t === at('12:30'))).toMatchObject({ minSize: 25, maxSize: 40 });
  });

  it('follows a recurring user schedule: the floor in office hours, the baseline after', () => {
    const foreign = [
      { name: 'office-open', recurrence: '0 12 * * *', minSize: 12 },
      { name: 'office-close', recurrence: '0 15 * * *', minSize: 2 },
    ];
    const b = { ...bounds, foreign };
    const out = desiredActions(blocks([4, 6, 8, 6, 4, 4, 3, 2]), b, NOW);
    const sizes = replay(b, out.actions);
    expect(sizes.filter((s) => s.minSize < s.floor)).toEqual([]);
    expect(sizes.filter((s) => s.t >= at('12:00') && s.t < at('15:00') && s.minSize < 12)).toEqual([]);
    expect(sizes.find((s) => s.t === at('15:30'))?.minSize).toBe(4);
    // The lowering at 15:00 and the restore's time are the user's: each moved a minute later.
    expect(out.actions.some((a) => a.startTimeSec === at('12:00') || a.startTimeSec === at('15:00'))).toBe(
      false,
    );
    expect(out.actions.at(-1)).toEqual({
      name: restoreActionName('web'),
      startTimeSec: at('18:00'),
      minSize: 2,
    });
  });

  it('takes the MinSize of a user’s action whose Recurrence cannot be read as a floor from now on, and says so', () => {
    const odd = { name: 'odd-cron', recurrence: '0 9 * *', minSize: 5 };
    const b = { ...bounds, foreign: [odd] };
    const out = desiredActions(blocks([4, 8, 2]), b, NOW);
    expect(out.warnings).toEqual([
      'scheduled action odd-cron: Recurrence "0 9 * *" is not a Unix cron expression of 5 fields (it has 4); its MinSize 5 is taken as a floor from now on; its run times are unknown, so an action of the plan may be put at one of them and be rejected',
    ]);
    expect(out.actions.map((a) => [a.startTimeSec, a.minSize])).toEqual([
      [at('10:55'), 5],
      [at('11:55'), 8],
      [at('13:00'), 5],
    ]);
  });

  it('leaves the plan as it was when the user’s actions set neither MinSize nor MaxSize', () => {
    const desired = { name: 'desired-only', startTimeSec: at('12:30') };
    const plan = blocks([4, 8, 2]);
    expect(desiredActions(plan, { ...bounds, foreign: [desired] }, NOW).actions).toEqual(
      desiredActions(plan, bounds, NOW).actions,
    );
  });
});
