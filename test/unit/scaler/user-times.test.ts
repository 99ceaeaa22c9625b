import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import { type ScheduledActionState, userStartTimes } from '../../../lambdas/core/scaler';
import { minutes } from './plan-fixtures';

const sec = (iso: string) => Date.parse(iso) / 1000;
const DAY = 86_400;

/** The minutes in [fromSec, toSec) that `taken` holds for an action of the plan. */
function held(actions: readonly ScheduledActionState[], fromSec: number, toSec: number): string[] {
  const taken = userStartTimes(actions);
  return minutes(fromSec, toSec)
    .filter((t) => taken(t, 'selfheal-web-x'))
    .map((t) => new Date(t * 1000).toISOString().replace(':00.000Z', 'Z'));
}

/** cron-parser's own runs of `recurrence` in (fromSec, toSec], in `tz`. */
function runs(recurrence: string, tz: string, fromSec: number, toSec: number): number[] {
  const cron = CronExpressionParser.parse(recurrence, { currentDate: new Date(fromSec * 1000), tz });
  const out: number[] = [];
  for (
    let t = Math.round(cron.next().getTime() / 1000);
    t <= toSec;
    t = Math.round(cron.next().getTime() / 1000)
  )
    out.push(t);
  return out;
}

describe('userStartTimes', () => {
  it.each([
    { sets: 'DesiredCapacity only', sizes: {} },
    { sets: 'MaxSize only', sizes: { maxSize: 9 } },
    { sets: 'MinSize', sizes: { minSize: 3 } },
  ])('holds every run of a recurring action that sets $sets', ({ sizes }) => {
    const hourly = { name: 'hourly', recurrence: '0 * * * *', ...sizes };
    expect(held([hourly], sec('2024-03-04T10:30:00Z'), sec('2024-03-04T13:30:00Z'))).toEqual([
      '2024-03-04T11:00Z',
      '2024-03-04T12:00Z',
      '2024-03-04T13:00Z',
    ]);
  });

  it('holds every run of an action too frequent for the floor to follow, over two days and more', () => {
    const often = { name: 'often', recurrence: '*/10 * * * *', minSize: 2 };
    const from = sec('2024-03-04T10:30:00Z');
    expect(held([often], from, from + 3 * DAY)).toHaveLength(3 * 144);
  });

  it('holds runs in the action’s TimeZone, from its StartTime to its EndTime, and its StartTime', () => {
    const office = {
      name: 'office',
      recurrence: '0 9 * * *',
      timeZone: 'America/New_York',
      startTimeSec: sec('2024-03-05T10:07:00Z'),
      endTimeSec: sec('2024-03-07T14:00:00Z'),
    };
    expect(held([office], sec('2024-03-04T00:00:00Z'), sec('2024-03-09T00:00:00Z'))).toEqual([
      '2024-03-05T10:07Z',
      '2024-03-05T14:00Z',
      '2024-03-06T14:00Z',
      '2024-03-07T14:00Z',
    ]);
  });

  it('lets an action keep a time only it holds', () => {
    const taken = userStartTimes([{ name: 'hourly', recurrence: '0 * * * *' }]);
    expect(taken(sec('2024-03-04T11:00:00Z'), 'hourly')).toBe(false);
  });

  it('holds only the StartTime of an action whose Recurrence cannot be read', () => {
    const odd = { name: 'odd', recurrence: '0 9 * *', startTimeSec: sec('2024-03-04T12:00:00Z') };
    expect(held([odd], sec('2024-03-04T00:00:00Z'), sec('2024-03-06T00:00:00Z'))).toEqual([
      '2024-03-04T12:00Z',
    ]);
  });

  it.each([
    ['America/New_York', '30 2 * * *', '2024-03-09T00:00:00Z'],
    ['America/New_York', '30 1 * * *', '2024-11-02T00:00:00Z'],
    ['America/New_York', '*/15 * * * *', '2024-03-09T12:00:00Z'],
    ['America/New_York', '*/15 * * * *', '2024-11-02T12:00:00Z'],
    ['Europe/Berlin', '0 * * * *', '2024-10-26T12:00:00Z'],
    ['Europe/Berlin', '0 2 * * *', '2024-03-30T12:00:00Z'],
    ['Australia/Lord_Howe', '15 2 * * *', '2024-10-05T00:00:00Z'],
  ])(
    'holds every run cron-parser finds across a daylight-saving change (%s, %s)',
    (tz, recurrence, fromIso) => {
      const from = sec(fromIso);
      const taken = userStartTimes([{ name: 'dst', recurrence, timeZone: tz }]);
      const missed = runs(recurrence, tz, from, from + 2 * DAY).filter((t) => !taken(t, 'selfheal-web-x'));
      expect(missed).toEqual([]);
    },
  );

  it('holds the hour after a local time skipped when clocks go forward, where cron-parser runs it', () => {
    // 02:30 does not exist in New York on 2024-03-10: cron-parser runs it at 03:30 EDT (07:30Z).
    const night = { name: 'night', recurrence: '30 2 * * *', timeZone: 'America/New_York' };
    expect(held([night], sec('2024-03-10T00:00:00Z'), sec('2024-03-11T00:00:00Z'))).toEqual([
      '2024-03-10T07:30Z',
    ]);
  });
});
