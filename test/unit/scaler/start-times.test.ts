import { describe, expect, it } from 'vitest';
import { placeStartTimes, type ScheduledActionSpec, takenTimes } from '../../../lambdas/core/scaler';

const a = (name: string, startTimeSec: number, minSize: number, maxSize?: number): ScheduledActionSpec =>
  maxSize === undefined ? { name, startTimeSec, minSize } : { name, startTimeSec, minSize, maxSize };

describe('takenTimes', () => {
  it('holds a time for every name but the ones holding it, and ignores actions without a start', () => {
    const taken = takenTimes([{ name: 'x', startTimeSec: 600 }, { name: 'y' }]);
    expect(taken(600, 'x')).toBe(false);
    expect(taken(600, 'z')).toBe(true);
    expect(taken(660, 'z')).toBe(false);
  });
});

describe('placeStartTimes', () => {
  it.each([
    {
      name: 'leaves actions whose times are free',
      held: [{ name: 'user', startTimeSec: 900 }],
      plan: [a('x', 600, 5), a('r', 1200, 2)],
      want: [a('x', 600, 5), a('r', 1200, 2)],
    },
    {
      name: 'moves an action to the next free minute, never earlier',
      held: [
        { name: 'user', startTimeSec: 600 },
        { name: 'other', startTimeSec: 660 },
      ],
      plan: [a('x', 600, 5), a('r', 1200, 2)],
      want: [a('x', 720, 5), a('r', 1200, 2)],
    },
    {
      name: 'lets an action keep a time only its own earlier version holds',
      held: [{ name: 'x', startTimeSec: 600 }],
      plan: [a('x', 600, 5), a('r', 1200, 2)],
      want: [a('x', 600, 5), a('r', 1200, 2)],
    },
    {
      name: 'merges an action moved onto the next one into it, keeping its MaxSize raise',
      held: [{ name: 'user', startTimeSec: 600 }],
      plan: [a('x', 600, 25, 28), a('y', 660, 26), a('r', 1200, 2)],
      want: [a('y', 660, 26, 28), a('r', 1200, 2)],
    },
  ])('$name', ({ held, plan, want }) => {
    expect(placeStartTimes(plan, takenTimes(held))).toEqual(want);
  });

  it('says which action moved and why', () => {
    const notes: string[] = [];
    placeStartTimes(
      [a('x', 1_709_550_000, 5)],
      takenTimes([{ name: 'u', startTimeSec: 1_709_550_000 }]),
      notes,
    );
    expect(notes).toEqual([
      'x moved from 2024-03-04T11:00:00Z to 2024-03-04T11:01:00Z: another scheduled action of the group starts at 2024-03-04T11:00:00Z',
    ]);
  });

  it('keeps an action’s time, and says so, when every start time for a day from it is held', () => {
    const notes: string[] = [];
    const everyMinute = () => true;
    expect(placeStartTimes([a('x', 1_709_550_000, 5)], everyMinute, notes)).toEqual([
      a('x', 1_709_550_000, 5),
    ]);
    expect(notes).toEqual([
      'x kept at 2024-03-04T11:00:00Z: every start time for a day from then is held by another scheduled action of the group',
    ]);
  });
});
