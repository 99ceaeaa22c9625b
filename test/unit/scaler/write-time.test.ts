import { describe, expect, it } from 'vitest';
import {
  applyPlan,
  restoreActionName,
  retimeForWrite,
  type ScheduledActionSpec,
  takenTimes,
  writeBatch,
} from '../../../lambdas/core/scaler';
import { MemoryPorts, NOW_SEC, target } from './memory-ports';
import { blocks } from './plan-fixtures';

const R = restoreActionName('web');
const a = (name: string, startTimeSec: number, minSize: number, maxSize?: number): ScheduledActionSpec =>
  maxSize === undefined ? { name, startTimeSec, minSize } : { name, startTimeSec, minSize, maxSize };

describe('retimeForWrite', () => {
  it.each([
    {
      name: 'leaves a plan whose actions are all at least the lead ahead',
      plan: [a('x', 1060, 5), a(R, 4600, 2)],
      now: 1000,
      want: [a('x', 1060, 5), a(R, 4600, 2)],
    },
    {
      name: 'moves an action due too soon to now + 60 s',
      plan: [a('x', 1060, 5), a(R, 4600, 2)],
      now: 1200,
      want: [a('x', 1260, 5), a(R, 4600, 2)],
    },
    {
      name: 'merges actions moved to one moment into the later, keeping the MaxSize raise',
      plan: [a('x', 1060, 25, 28), a('y', 1100, 26), a('z', 5000, 4), a(R, 8600, 2)],
      now: 1200,
      want: [a('y', 1260, 26, 28), a('z', 5000, 4), a(R, 8600, 2)],
    },
    {
      name: 'keeps the restore last when it is due too soon as well',
      plan: [a('x', 1060, 5, 28), a(R, 1120, 2)],
      now: 1200,
      want: [a(R, 1260, 2, 28)],
    },
  ])('$name', ({ plan, now, want }) => {
    expect(retimeForWrite(plan, now)).toEqual(want);
  });

  it('moves an action retimed onto a start time another action holds to the next free minute', () => {
    const taken = takenTimes([{ name: 'user', startTimeSec: 1260 }]);
    expect(retimeForWrite([a('x', 1060, 5), a(R, 4600, 2)], 1200, { taken })).toEqual([
      a('x', 1320, 5),
      a(R, 4600, 2),
    ]);
  });

  it('keeps an action moved later at least at the floor a user’s action sets in between, never lower', () => {
    // The user's action raises the floor to 9 at 1250; the raise planned at 1060 is written at 1260.
    const floorAt = (tSec: number) => (tSec >= 1250 ? 9 : 2);
    expect(retimeForWrite([a('x', 1060, 5), a('y', 3000, 12), a(R, 4600, 2)], 1200, { floorAt })).toEqual([
      a('x', 1260, 9),
      a('y', 3000, 12),
      a(R, 4600, 2),
    ]);
  });
});

describe('writeBatch', () => {
  const plan = [a('x', 1060, 25, 28), a('y', 1100, 26), a(R, 8600, 2)];

  it('drops an action merged into a later one of the same batch', () => {
    const out = writeBatch(plan, ['x', 'y'], new Map(), new Set(), 1200);
    expect(out).toEqual({ put: [a('y', 1260, 26, 28)], merged: ['x'] });
  });

  it('rewrites a later action already on the group so it keeps the merged MaxSize raise', () => {
    const onGroup = new Map([['y', a('y', 1100, 26)]]);
    const out = writeBatch(plan, ['x'], onGroup, new Set(), 1200);
    expect(out).toEqual({ put: [a('y', 1260, 26, 28)], merged: ['x'] });
  });

  it('leaves a later action to the batch that writes it', () => {
    const out = writeBatch(plan, ['x'], new Map([['y', a('y', 1100, 26)]]), new Set(['y']), 1200);
    expect(out).toEqual({ put: [], merged: ['x'] });
  });
});

describe('applyPlan', () => {
  it('checks start times against the clock just before each batch put', async () => {
    // Each write call takes 4 minutes (retries under throttling) and the clock moves on.
    const ports = new MemoryPorts(NOW_SEC);
    ports.addGroup('web-asg', 2, 20);
    const slow = {
      groups: ports.groups,
      actuator: {
        putScheduledActions: async (g: string, s: readonly ScheduledActionSpec[]) => {
          const res = await ports.actuator.putScheduledActions(g, s);
          ports.nowSec += 240;
          return res;
        },
        deleteScheduledActions: async (g: string, n: readonly string[]) => {
          const res = await ports.actuator.deleteScheduledActions(g, n);
          ports.nowSec += 240;
          return res;
        },
      },
    };
    const clock = { nowSec: () => ports.nowSec };
    // A block starting in 30 s: its raise is planned at now + 60 s.
    const plan = blocks([5, 7, 2], NOW_SEC + 30);

    const facts = await applyPlan(target(), plan, slow, clock);

    expect(facts.failed).toEqual([]);
    const actions = ports.actions.get('web-asg') ?? [];
    expect(actions.map((x) => x.name).sort()).toEqual(
      ['selfheal-web-2024-03-04T10:30:30Z', 'selfheal-web-2024-03-04T11:30:30Z', R].sort(),
    );
    const restore = actions.find((x) => x.name === R);
    const others = actions.filter((x) => x !== restore).map((x) => x.startTimeSec ?? 0);
    expect(Math.min(...others)).toBe(NOW_SEC + 240 + 60);
    expect(restore?.startTimeSec).toBeGreaterThan(Math.max(...others));
    ports.advanceTo(NOW_SEC + 600);
    expect(ports.groupStates.get('web-asg')?.minSize).toBe(5);
    ports.advanceTo((restore?.startTimeSec ?? 0) + 1);
    expect(ports.groupStates.get('web-asg')?.minSize).toBe(2);
  });
});
