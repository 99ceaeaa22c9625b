import { describe, expect, it } from 'vitest';
import { robustSeasonalModel } from '../../../lambdas/core/forecast/candidates';
import { decompose } from '../../../lambdas/core/forecast/decompose';
import {
  DAY_TYPE_SMOOTH_SEC,
  dayTypeProfile,
  weekendStartSlot,
} from '../../../lambdas/core/forecast/seasonal-profiles';
import { workspaceFor } from '../../../lambdas/core/forecast/series-cache';
import { DAY, rng, STEP } from './helpers';

const WEEK = 7 * DAY;
const HALF = DAY_TYPE_SMOOTH_SEC / STEP;
const HOUR_SEC = 3600;
/** 2015-01-03T00:00:00Z, a Saturday. */
const SATURDAY = 1_420_243_200;
/** Tokyo's UTC offset. */
const TOKYO = 9 * HOUR_SEC;

/** The profile of two weeks of residuals `resid(i)` (reference level and daily profile zero). */
function profileOf(
  resid: (i: number) => number,
  weekendFrom: number,
  daily = new Float64Array(DAY),
): Float64Array {
  const window = Float64Array.from({ length: 2 * WEEK }, (_, i) => resid(i) + (daily[i % DAY] as number));
  return dayTypeProfile(
    window,
    DAY,
    0,
    weekendFrom,
    new Float64Array(14),
    daily,
    workspaceFor(undefined, DAY),
  );
}

/** Whether weekly slot `w` is in the weekend of `2 · DAY` slots from `from` (circular). */
const inWeekend = (w: number, from: number) => (((w - from) % WEEK) + WEEK) % WEEK < 2 * DAY;

describe('weekendStartSlot', () => {
  it.each([
    { slot0: 'Saturday 00:00', sec: SATURDAY, offset: 0, want: 0 },
    { slot0: 'Saturday 01:00', sec: SATURDAY + HOUR_SEC, offset: 0, want: WEEK - 12 },
    { slot0: 'Friday 23:00', sec: SATURDAY - HOUR_SEC, offset: 0, want: 12 },
    // A point is a weekend point when its own time is: 00:02:30 is, 23:57:30 the day before is not.
    { slot0: 'Saturday 00:02:30', sec: SATURDAY + 150, offset: 0, want: 0 },
    { slot0: 'Friday 23:57:30', sec: SATURDAY - 150, offset: 0, want: 1 },
    { slot0: 'Monday 00:00', sec: SATURDAY + 2 * 86_400, offset: 0, want: WEEK - 2 * DAY },
    { slot0: 'the epoch, a Thursday 00:00', sec: 0, offset: 0, want: 2 * DAY },
    {
      slot0: 'Friday 15:00 UTC, Saturday 00:00 in Tokyo',
      sec: SATURDAY - 9 * HOUR_SEC,
      offset: TOKYO,
      want: 0,
    },
    {
      slot0: 'Saturday 08:00 UTC, Saturday 00:00 in California',
      sec: SATURDAY + 8 * HOUR_SEC,
      offset: -8 * HOUR_SEC,
      want: 0,
    },
  ])('puts the weekend start $want slots on when slot 0 is $slot0', ({ sec, offset, want }) => {
    expect(weekendStartSlot(sec + offset, STEP, WEEK)).toBe(want);
  });
});

describe('dayTypeProfile', () => {
  it('learns a weekend level only as far as both weekends share it', () => {
    // The first weekend at the weekday level, the second 30 below (a level step, not a pattern).
    const noise = rng(3);
    const profile = profileOf(
      (i) => (inWeekend(i % WEEK, 5 * DAY) && i >= WEEK ? -30 : 0) + (noise() - 0.5),
      5 * DAY,
    );

    const weekendMean = meanOf(profile, 5 * DAY + HALF, 2 * DAY - 2 * HALF);
    expect(Math.abs(weekendMean)).toBeLessThan(1);
  });

  it('clips a lone point on a flat series (no robust sigma, no daily range) away', () => {
    const at = 3 * DAY + 100;

    const profile = profileOf((i) => (i === at ? 1_000_000 : 0), 5 * DAY);

    expect(Math.max(...profile.map(Math.abs))).toBe(0);
  });

  it('pools a weekday slot over the ten weekdays and spreads it two hours either side', () => {
    const at = 3 * DAY + 100;
    // A daily cycle with a range of 40 (slot 0) sets the clip, 2.5 × 40 = 100, on residuals whose
    // robust sigma is 0; without one the point would be clipped away as a spike on a flat series.
    const daily = new Float64Array(DAY);
    daily[0] = 40;

    const profile = profileOf((i) => (i === at ? 100 : 0), 5 * DAY, daily);

    // One weekday point of 100 among ten weekday samples of its slot: mean 10, over 2·24 + 1 slots.
    const share = 10 / (2 * HALF + 1);
    expect(HALF).toBe(24);
    for (const offset of [-HALF, -1, 0, 1, HALF]) expect(profile[at + offset]).toBeCloseTo(share, 12);
    expect(profile[at - HALF - 1]).toBe(0);
    expect(profile[at + HALF + 1]).toBe(0);
    // Every weekday has the slot; the weekend days do not.
    expect(profile[DAY + 100]).toBeCloseTo(share, 12);
    expect(profile[5 * DAY + 100]).toBe(0);
  });

  it.each([
    { weekend: 'days 5 and 6 of the week', from: 5 * DAY },
    { weekend: 'shifted by 9 h', from: 5 * DAY - 9 * 12 },
    { weekend: 'across the end of the week', from: WEEK - DAY },
  ])('separates a weekend level 30 below the weekdays ($weekend)', ({ from }) => {
    const profile = profileOf((i) => (inWeekend(i % WEEK, from) ? -30 : 0), from);

    for (let w = 0; w < WEEK; w++) {
      const edge = Math.min(
        ...[from, from + 2 * DAY].map((b) =>
          Math.min(Math.abs(w - (b % WEEK)), WEEK - Math.abs(w - (b % WEEK))),
        ),
      );
      if (edge <= HALF) continue;
      expect(profile[w]).toBeCloseTo(inWeekend(w, from) ? -30 : 0, 9);
    }
  });
});

/**
 * Two weeks at 5-minute steps ending at local Friday 00:00 under `offsetSec`: a daily sine around
 * 100, `weekendDrop` lower on local Saturdays and Sundays, plus noise of standard deviation
 * `noiseSd` (a scaled sum of three uniforms).
 */
function twoWeeks(
  offsetSec: number,
  weekendDrop: number,
  noiseSd: number,
): { values: Float64Array; startSec: number } {
  const rnd = rng(5);
  const endSec = SATURDAY - 86_400 - offsetSec;
  const startSec = endSec - 2 * WEEK * STEP;
  const values = Float64Array.from({ length: 2 * WEEK }, (_, i) => {
    const local = startSec + i * STEP + offsetSec;
    // Days since a Saturday, modulo a week: 0 and 1 are the weekend.
    const weekend = ((Math.floor((local - SATURDAY) / 86_400) % 7) + 7) % 7 < 2;
    const noise = 2 * noiseSd * (rnd() + rnd() + rnd() - 1.5);
    return 100 + 50 * Math.sin((2 * Math.PI * i) / DAY) - (weekend ? weekendDrop : 0) + noise;
  });
  return { values, startSec };
}

/** Mean of `xs[from, from + len)`. */
const meanOf = (xs: Float64Array, from: number, len: number) =>
  xs.subarray(from, from + len).reduce((a, b) => a + b, 0) / len;

describe('the robust seasonal model with the day-type profile', () => {
  it.each([
    { zone: 'UTC', offset: 0 },
    { zone: 'Tokyo (UTC+9)', offset: TOKYO },
    { zone: 'California (UTC−8)', offset: -8 * HOUR_SEC },
  ])('forecasts the weekend drop of a $zone workload told its offset', ({ offset }) => {
    // A drop of three noise sigmas.
    const { values, startSec } = twoWeeks(offset, 30, 10);

    const point = robustSeasonalModel.point(values, STEP, 3 * DAY, undefined, {
      startSec,
      weekendUtcOffsetSec: offset,
    });

    // The forecast covers local Friday, Saturday and Sunday; the daily sine averages out over a day.
    const friday = meanOf(point, 0, DAY);
    expect(Math.abs(meanOf(point, DAY, DAY) - friday + 30)).toBeLessThan(3);
    expect(Math.abs(meanOf(point, 2 * DAY, DAY) - friday + 30)).toBeLessThan(3);
  });

  it.each([1, 2, 5])('learns a clean weekend drop of 30 many noise sigmas deep (σ %i)', (noiseSd) => {
    // A quiet office-hours service: the weekend is far more than 2.5 noise sigmas below the
    // weekdays. Clipped at 2.5 robust sigmas around a centre common to both day types, the drop
    // was learnt as 5.9 / 11.2 / 25.8 at σ 1 / 2 / 5; clipped around each day type's centre, whole.
    const { values, startSec } = twoWeeks(0, 30, noiseSd);

    const point = robustSeasonalModel.point(values, STEP, 3 * DAY, undefined, {
      startSec,
      weekendUtcOffsetSec: 0,
    });

    // Within 10 % of the drop on Saturday and on Sunday.
    const friday = meanOf(point, 0, DAY);
    expect(friday - meanOf(point, DAY, DAY)).toBeGreaterThanOrEqual(27);
    expect(friday - meanOf(point, 2 * DAY, DAY)).toBeGreaterThanOrEqual(27);
  });

  it('misplaces the weekend of a Tokyo workload told nothing, by the nine hours it is off', () => {
    const { values, startSec } = twoWeeks(TOKYO, 30, 10);

    const told = robustSeasonalModel.point(values, STEP, 3 * DAY, undefined, {
      startSec,
      weekendUtcOffsetSec: TOKYO,
    });
    const untold = robustSeasonalModel.point(values, STEP, 3 * DAY, undefined, {
      startSec,
      weekendUtcOffsetSec: 0,
    });

    // Local Saturday 03:00–06:00 is UTC Friday 18:00–21:00: a weekday in UTC's calendar.
    const saturdayMorning = DAY + 36;
    expect(meanOf(told, saturdayMorning, 36) - meanOf(untold, saturdayMorning, 36)).toBeLessThan(-20);
  });

  it('learns a weekend that starts the history whole, for the weekend forecast made at its end', () => {
    // Two weeks ending on local Saturday 00:00 begin with a weekend. The reference level is a running
    // median of 7 day medians; shrunk to 4 days at the window's start (two of them that weekend's),
    // it took half the weekend into the level: the profile held 24 of a 30 drop, a forecast from
    // that history about half.
    const rnd = rng(11);
    const startSec = SATURDAY - 2 * WEEK * STEP;
    const values = Float64Array.from({ length: 2 * WEEK }, (_, i) => {
      const weekend = ((Math.floor((i * STEP) / 86_400) % 7) + 7) % 7 < 2;
      return 100 + 50 * Math.sin((2 * Math.PI * i) / DAY) - (weekend ? 30 : 0) + (rnd() - 0.5);
    });

    const fit = decompose(values, STEP, true, { startSec, weekendUtcOffsetSec: 0 });

    // Weekly slot 0 is the history's end, Saturday 00:00: slots [0, 2·DAY) are the weekend. Compare
    // the weekend's middle (Saturday noon to Sunday noon) with the weekdays' (Tuesday to Thursday).
    const weekly = fit.weekly as Float64Array;
    const weekend = meanOf(weekly, DAY / 2, DAY);
    const weekdays = meanOf(weekly, 3 * DAY, 3 * DAY);
    expect(weekend - weekdays).toBeLessThan(-27);
  });

  it('leaves a near-zero profile on a series without a weekly pattern', () => {
    const { values, startSec } = twoWeeks(0, 0, 10);

    const fit = decompose(values, STEP, true, { startSec, weekendUtcOffsetSec: 0 });

    // Noise of σ 10 averaged over 4 weekend (or 10 weekday) samples and 49 slots has σ about 0.7
    // (0.45): the largest of the week's 2,016 slots, about four of those, stays under a third of
    // the noise's σ and a ninth of the drop forecast above; the mean is under 1.
    const profile = Array.from(fit.weekly ?? [Number.NaN], Math.abs);
    expect(Math.max(...profile)).toBeLessThan(10 / 3);
    expect(profile.reduce((a, b) => a + b, 0) / profile.length).toBeLessThan(1);
  });
});
