/**
 * runForecastCycle on a group with the user's own pending scheduled actions (review finding: a
 * MinSize the user's one-time action raised was lowered by the scaler's next action, although the
 * scaler had read that action when it planned). EC2 Auto Scaling applies each action's sizes when
 * it runs and "does not keep track of old values", so whichever action runs last sets the floor:
 * https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-scheduled-scaling.html#scheduled-scaling-how-it-works
 */
import { describe, expect, it } from 'vitest';
import { restoreActionName, runForecastCycle } from '../../../lambdas/core/scaler';
import { dailyHistory, fixedClock, MemoryPorts, NOW_SEC, target } from './memory-ports';
import { minutes, sizesAt } from './plan-fixtures';

const GROUP = 'web-asg';
const HOUR = 3600;
/** 14:30: an hourly forecaster run; the next one is at 15:30. */
const RUN_SEC = NOW_SEC + 4 * HOUR;
/** 14:45: the user's own one-time action raises MinSize to 15 for a launch. */
const LAUNCH = { name: 'launch-floor', startTimeSec: RUN_SEC + 15 * 60, minSize: 15 } as const;

function setup(): MemoryPorts {
  const ports = new MemoryPorts(RUN_SEC);
  ports.addGroup(GROUP, 2, 20);
  ports.actions.set(GROUP, [{ ...LAUNCH }]);
  ports.histories.set('web', { ok: true, value: dailyHistory(RUN_SEC, 3600, 14) });
  return ports;
}

describe('runForecastCycle with a pending scheduled action of the user that raises MinSize', () => {
  it('does not lower that floor before its next run', async () => {
    const ports = setup();

    const summary = await runForecastCycle([target()], ports, fixedClock(RUN_SEC));

    expect(summary.records[0]?.status).toBe('scaled');
    expect(ports.actions.get(GROUP)).toContainEqual(LAUNCH);
    const group = { minSize: 2, maxSize: 20 };
    const all = ports.actions.get(GROUP) ?? [];
    // From the launch until the next hourly run (15:30), only this run's actions and the user's apply.
    const lowered = minutes(LAUNCH.startTimeSec, RUN_SEC + HOUR)
      .map((t) => ({ at: new Date(t * 1000).toISOString(), minSize: sizesAt(all, group, t).minSize }))
      .filter((s) => s.minSize < LAUNCH.minSize);
    expect(lowered.slice(0, 1)).toEqual([]);
  });

  it('returns to that floor, not to minCapacity, and the next run keeps it once the action has run', async () => {
    const ports = setup();
    await runForecastCycle([target()], ports, fixedClock(RUN_SEC));
    const restore = ports.ownActions(GROUP, 'web').find((a) => a.name === restoreActionName('web'));
    expect(restore?.minSize).toBe(LAUNCH.minSize);

    // 15:30: the launch action and the restore have run; the user's MinSize 15 is on the group.
    ports.advanceTo(RUN_SEC + HOUR);
    ports.histories.set('web', { ok: true, value: dailyHistory(RUN_SEC + HOUR, 3600, 14) });
    const next = await runForecastCycle([target()], ports, fixedClock(RUN_SEC + HOUR));

    expect(next.records[0]?.actions?.baseline).toMatchObject({ minSize: LAUNCH.minSize, source: 'group' });
    const group = ports.groupStates.get(GROUP) ?? { minSize: 0, maxSize: 0 };
    const all = ports.actions.get(GROUP) ?? [];
    const lowered = minutes(RUN_SEC + HOUR, RUN_SEC + 30 * HOUR).filter(
      (t) => sizesAt(all, group, t).minSize < LAUNCH.minSize,
    );
    expect(lowered).toEqual([]);
  });

  it('does not hold a MinSize the user’s recurring schedule set: their next action sets the floor', async () => {
    // 14:30: the user's office hours set MinSize 12 at 09:00 (run already) and 2 at 18:00.
    const ports = new MemoryPorts(RUN_SEC);
    ports.addGroup(GROUP, 12, 20);
    const office = [
      { name: 'office-open', recurrence: '0 9 * * *', minSize: 12 },
      { name: 'office-close', recurrence: '0 18 * * *', minSize: 2 },
    ];
    ports.actions.set(GROUP, [...office]);
    ports.histories.set('web', { ok: true, value: dailyHistory(RUN_SEC, 3600, 14) });

    const summary = await runForecastCycle([target()], ports, fixedClock(RUN_SEC));

    const facts = summary.records[0]?.actions;
    expect(facts?.baseline).toMatchObject({ minSize: 2, source: 'config' });
    const own = ports.ownActions(GROUP, 'web');
    expect(own.find((a) => a.name === restoreActionName('web', true))).toBeUndefined();
    const evening = Date.parse('2024-03-04T18:00:00Z') / 1000;
    const group = { minSize: 12, maxSize: 20 };
    // Until 18:00 (the user's next action) never below their 12; after it, the plan's own writes
    // follow the forecast.
    expect(minutes(RUN_SEC + 60, evening).filter((t) => sizesAt(own, group, t).minSize < 12)).toEqual([]);
    expect(own.filter((a) => (a.startTimeSec ?? 0) > evening).some((a) => (a.minSize ?? 0) < 12)).toBe(true);
  });

  it('puts nothing at a run of the user’s hourly action that sets only DesiredCapacity, so the restore is written', async () => {
    const ports = new MemoryPorts(RUN_SEC);
    ports.addGroup(GROUP, 2, 20);
    // The in-memory group rejects a put at any run of it, as EC2 Auto Scaling does.
    const hourly = { name: 'hourly-desired', recurrence: '0 * * * *' };
    ports.actions.set(GROUP, [{ ...hourly }]);
    ports.histories.set('web', { ok: true, value: dailyHistory(RUN_SEC, 3600, 14) });

    const summary = await runForecastCycle([target()], ports, fixedClock(RUN_SEC));

    const facts = summary.records[0]?.actions;
    expect(facts?.failed).toEqual([]);
    const own = ports.ownActions(GROUP, 'web');
    expect(own.map((a) => a.name)).toContain(restoreActionName('web'));
    expect(own.filter((a) => (a.startTimeSec ?? 0) % 3600 === 0)).toEqual([]);
  });
});
