import { describe, expect, it } from 'vitest';
import {
  floorAt,
  MAX_OCCURRENCES_PER_ACTION,
  type ScheduledActionState,
  sizesFor,
  UNKNOWN_RUN_TIMES,
  userSchedule,
} from '../../../lambdas/core/scaler';

/** 2024-03-04T10:30:00Z, a Monday. */
const NOW = Date.parse('2024-03-04T10:30:00Z') / 1000;
const DAY = 86_400;
const FLOOR = 'its MinSize 6 is taken as a floor from now on';
const sec = (iso: string) => Date.parse(iso) / 1000;
const isoOf = (tSec: number) => new Date(tSec * 1000).toISOString().replace('.000Z', 'Z');

function times(actions: readonly ScheduledActionState[], endSec = NOW + 2 * DAY): string[] {
  return userSchedule(actions, NOW, endSec).events.map(
    (e) => `${isoOf(e.atSec)} ${e.name} ${e.minSize ?? '-'}`,
  );
}

describe('userSchedule', () => {
  it('takes one-time actions at their StartTime, a past-due one (not run yet) from now, and none after the end', () => {
    const out = times(
      [
        { name: 'later', startTimeSec: sec('2024-03-04T14:45:00Z'), minSize: 15 },
        { name: 'due', startTimeSec: NOW - 30, minSize: 4 },
        { name: 'far', startTimeSec: NOW + 3 * DAY, minSize: 9 },
      ],
      NOW + 2 * DAY,
    );
    expect(out).toEqual(['2024-03-04T10:30:00Z due 4', '2024-03-04T14:45:00Z later 15']);
  });

  it('ignores actions that set neither MinSize nor MaxSize', () => {
    expect(times([{ name: 'desired-only', startTimeSec: NOW + 600 }])).toEqual([]);
  });

  it('runs a recurring action at each occurrence of its cron in its TimeZone, across a DST change', () => {
    // Europe/Paris moves from UTC+1 to UTC+2 on 2024-03-31: 09:00 local is 08:00Z, then 07:00Z.
    const now = sec('2024-03-29T12:00:00Z');
    const events = userSchedule(
      [{ name: 'office', recurrence: '0 9 * * 1-5', timeZone: 'Europe/Paris', minSize: 8 }],
      now,
      now + 4 * DAY,
    ).events;
    expect(events.map((e) => isoOf(e.atSec))).toEqual(['2024-04-01T07:00:00Z', '2024-04-02T07:00:00Z']);
    expect(
      userSchedule([{ name: 'utc', recurrence: '0 9 * * 1-5', minSize: 8 }], now, now + 4 * DAY).events.map(
        (e) => isoOf(e.atSec),
      ),
    ).toEqual(['2024-04-01T09:00:00Z', '2024-04-02T09:00:00Z']);
  });

  it('runs a recurring action at its StartTime, then on its cron, until its EndTime', () => {
    const out = times([
      {
        name: 'window',
        recurrence: '0 */6 * * *',
        startTimeSec: sec('2024-03-04T13:15:00Z'),
        endTimeSec: sec('2024-03-05T06:00:00Z'),
        minSize: 5,
      },
    ]);
    expect(out).toEqual([
      '2024-03-04T13:15:00Z window 5',
      '2024-03-04T18:00:00Z window 5',
      '2024-03-05T00:00:00Z window 5',
      '2024-03-05T06:00:00Z window 5',
    ]);
  });

  it('orders actions at one moment with the higher MinSize last', () => {
    const t = NOW + 3600;
    const out = times([
      { name: 'b-high', startTimeSec: t, minSize: 9 },
      { name: 'a-low', startTimeSec: t, minSize: 3 },
    ]);
    expect(out.map((e) => e.split(' ')[1])).toEqual(['a-low', 'b-high']);
  });

  it.each([
    ['0 9 * *', `is not a Unix cron expression of 5 fields (it has 4); ${FLOOR}; ${UNKNOWN_RUN_TIMES}`],
    ['0 0 9 * * *', `is not a Unix cron expression of 5 fields (it has 6); ${FLOOR}; ${UNKNOWN_RUN_TIMES}`],
    [
      '61 9 * * *',
      `cannot be read (Constraint error, got value 61 expected range 0-59); ${FLOOR}; ${UNKNOWN_RUN_TIMES}`,
    ],
    ['* * * * *', `runs more than ${MAX_OCCURRENCES_PER_ACTION} times before the plan ends; ${FLOOR}`],
  ])(
    'makes the MinSize of an action whose Recurrence "%s" cannot be followed a floor from now on, with a warning',
    (recurrence, problem) => {
      const s = userSchedule([{ name: 'odd', recurrence, minSize: 6, maxSize: 12 }], NOW, NOW + 2 * DAY);
      expect(s.events).toEqual([]);
      expect(s.standingMinSize).toBe(6);
      expect(s.warnings).toEqual([`scheduled action odd: Recurrence "${recurrence}" ${problem}`]);
    },
  );

  it('warns that the run times of an action setting DesiredCapacity only are unknown when its Recurrence cannot be read', () => {
    const s = userSchedule([{ name: 'desired', recurrence: 'hourly' }], NOW, NOW + DAY);
    expect(s.standingMinSize).toBeUndefined();
    expect(s.warnings).toEqual([
      `scheduled action desired: Recurrence "hourly" is not a Unix cron expression of 5 fields (it has 1); it sets no MinSize; ${UNKNOWN_RUN_TIMES}`,
    ]);
  });

  it('warns about a TimeZone that is not an IANA name', () => {
    const s = userSchedule(
      [{ name: 'tz', recurrence: '0 9 * * *', timeZone: 'Mars/Olympus', maxSize: 12 }],
      NOW,
      NOW + DAY,
    );
    expect(s.standingMinSize).toBeUndefined();
    expect(s.warnings).toEqual([
      `scheduled action tz: TimeZone "Mars/Olympus" is not an IANA time zone; it sets no MinSize; ${UNKNOWN_RUN_TIMES}`,
    ]);
  });
});

describe('userSchedule: what the user’s recurring actions set before now', () => {
  it.each([
    {
      name: 'the latest past occurrence of any of them',
      actions: [
        { name: 'open', recurrence: '0 9 * * *', minSize: 12 },
        { name: 'close', recurrence: '0 18 * * *', minSize: 2 },
      ],
      want: { name: 'open', atSec: sec('2024-03-04T09:00:00Z'), minSize: 12 },
    },
    {
      name: 'its StartTime when no occurrence of the cron came after it yet',
      actions: [{ name: 'weekly', recurrence: '0 9 * * 0', startTimeSec: NOW - 600, minSize: 5 }],
      want: { name: 'weekly', atSec: NOW - 600, minSize: 5 },
    },
    {
      name: 'its last occurrence before its EndTime',
      actions: [
        { name: 'ended', recurrence: '0 9 * * *', endTimeSec: sec('2024-03-02T12:00:00Z'), minSize: 7 },
      ],
      want: { name: 'ended', atSec: sec('2024-03-02T09:00:00Z'), minSize: 7 },
    },
    {
      name: 'nothing for one that starts later',
      actions: [{ name: 'future', recurrence: '0 9 * * *', startTimeSec: NOW + 600, minSize: 7 }],
      want: undefined,
    },
    {
      name: 'nothing for one without MinSize',
      actions: [{ name: 'max-only', recurrence: '0 9 * * *', maxSize: 30 }],
      want: undefined,
    },
  ])('is $name', ({ actions, want }) => {
    expect(userSchedule(actions, NOW, NOW + DAY).current).toEqual(want);
  });
});

describe('floorAt', () => {
  const base = { baseline: 10 };
  const schedule = userSchedule(
    [
      { name: 'launch', startTimeSec: NOW + 3600, minSize: 15 },
      { name: 'night', startTimeSec: NOW + 7200, minSize: 1 },
      { name: 'cap', startTimeSec: NOW + 9000, maxSize: 30 },
    ],
    NOW,
    NOW + DAY,
  );

  it.each([
    { at: NOW + 60, floor: 10, why: 'the baseline before the user’s actions' },
    { at: NOW + 3600, floor: 15, why: 'the user’s MinSize once their action has run, above the baseline' },
    { at: NOW + 7200, floor: 10, why: 'the baseline when the user’s MinSize is below it' },
    { at: NOW + 9000, floor: 10, why: 'unchanged by an action that sets only MaxSize' },
  ])('is $floor at +$at: $why', ({ at, floor }) => {
    expect(floorAt(schedule, base, at)).toBe(floor);
  });

  it('starts from what the user’s recurring actions set before now', () => {
    const s = userSchedule([{ name: 'open', recurrence: '0 9 * * *', minSize: 12 }], NOW, NOW + DAY);
    expect(floorAt(s, { baseline: 2 }, NOW + 60)).toBe(12);
  });

  it('never goes below a standing floor', () => {
    const s = userSchedule([{ name: 'odd', recurrence: 'nope', minSize: 7 }], NOW, NOW + DAY);
    expect(floorAt(s, base, NOW)).toBe(10);
    expect(floorAt(s, { baseline: 2 }, NOW)).toBe(7);
  });
});

describe('sizesFor', () => {
  it.each([
    { own: 9, ownMax: undefined, floor: 15, maxSize: 20, raiseMax: false, want: { minSize: 15 } },
    { own: 25, ownMax: undefined, floor: 2, maxSize: 20, raiseMax: false, want: { minSize: 20 } },
    { own: 9, ownMax: undefined, floor: 25, maxSize: 30, raiseMax: false, want: { minSize: 25 } },
    { own: 9, ownMax: undefined, floor: 25, maxSize: 20, raiseMax: false, want: { minSize: 20 } },
    { own: 25, ownMax: 28, floor: 2, maxSize: 20, raiseMax: true, want: { minSize: 25, maxSize: 28 } },
    { own: 25, ownMax: 28, floor: 2, maxSize: 40, raiseMax: true, want: { minSize: 25 } },
    { own: 9, ownMax: undefined, floor: 25, maxSize: 20, raiseMax: true, want: { minSize: 25, maxSize: 25 } },
  ])(
    'own $own (max $ownMax), floor $floor, MaxSize in force $maxSize, increase $raiseMax',
    ({ own, ownMax, floor, maxSize, raiseMax, want }) => {
      expect(sizesFor(own, ownMax, { floor, maxSize }, raiseMax)).toEqual(want);
    },
  );
});
