import { describe, expect, it } from 'vitest';
import { syntheticSeries } from '../../../bench/synthetic';
import { decompose } from '../../../lambdas/core/forecast/decompose';
import { medianNear, NEAR_CAPACITY } from '../../../lambdas/core/forecast/median-near';
import { medianOf } from '../../../lambdas/core/forecast/robust-stats';
import { selectForecast } from '../../../lambdas/core/forecast/select';
import { SeriesCache } from '../../../lambdas/core/forecast/series-cache';
import { decomposeReference } from './decompose-reference';
import { DAY, rng, STEP } from './helpers';

describe('medianNear', () => {
  it.each([
    { values: [5, 1, 3], guess: 2, want: 3 },
    { values: [4, 1, 3, 2], guess: 2.5, want: 2.5 },
    { values: [4, 1, 3, 2], guess: 100, want: 2.5 },
    { values: [7, 7, 7, 7, 1], guess: 7, want: 7 },
    { values: [1, 2, Number.NaN], guess: 2, want: medianOf([1, 2, Number.NaN], 3, new Float64Array(3)) },
  ])('gives the median of $values with guess $guess', ({ values, guess, want }) => {
    const got = medianNear(Float64Array.from(values), values.length, guess, new Float64Array(16));

    expect(got).toBe(want);
  });

  it('equals quickselect exactly for any guess, near or far, ties included', () => {
    const rnd = rng(11);
    const near = new Float64Array(NEAR_CAPACITY);
    for (let t = 0; t < 20_000; t++) {
      const len = 1 + Math.floor(rnd() * 40);
      const a = Float64Array.from({ length: len }, () => Math.round(rnd() * (rnd() < 0.5 ? 10 : 1000)));
      const want = medianOf(a, len, new Float64Array(len));
      const guess = rnd() < 0.5 ? want + (rnd() - 0.5) * 40 : (a[Math.floor(rnd() * len)] as number);

      expect(medianNear(Float64Array.from(a), len, guess, near)).toBe(want);
    }
  });
});

/** The synthetic series' start, 2015-01-01T00:00Z (a Thursday). */
const START = syntheticSeries(7, 1).startSec;

describe('decompose with a series cache', () => {
  it.each([
    { points: 14 * DAY, weekly: true, stepSec: STEP, startSec: START, offset: 0 },
    { points: 14 * DAY + 100, weekly: true, stepSec: STEP, startSec: START, offset: 9 * 3600 },
    // A start between two 5-minute marks and a negative, half-hour offset.
    { points: 20 * DAY + 7, weekly: true, stepSec: STEP, startSec: START + 150, offset: -9.5 * 3600 },
    { points: 9 * DAY + 13, weekly: false, stepSec: STEP, startSec: START, offset: 0 },
    { points: 3 * DAY, weekly: true, stepSec: STEP, startSec: START, offset: 0 },
    // 3-hour steps: 8 per day, nothing to smooth, so the profiles must be copies of the workspace.
    { points: 15 * 8 + 3, weekly: true, stepSec: 10_800, startSec: START + 3600, offset: 5.75 * 3600 },
  ])(
    'matches the straightforward fit bit for bit at every origin ($points points of $stepSec s, offset $offset s)',
    ({ points, weekly, stepSec, startSec, offset }) => {
      const { values } = syntheticSeries(7, points, stepSec);
      const calendar = { startSec, weekendUtcOffsetSec: offset };
      const day = 86_400 / stepSec;
      const cache = new SeriesCache(values, day);
      const fits = [];
      // The selector's order: validation origins from the latest back, then the full history.
      for (const end of [points - day, points - 2 * day, points - 3 * day, points - 5, points]) {
        if (end < day) continue;
        const history = values.subarray(0, end);

        const got = decompose(history, stepSec, weekly, calendar, cache);
        const want = decomposeReference(history, stepSec, weekly, calendar);

        expect([got.level, got.slopePerDay, got.sigma]).toEqual([want.level, want.slopePerDay, want.sigma]);
        expect(got.daily).toEqual(want.daily);
        expect(got.weekly).toEqual(want.weekly);
        expect(got.weeklyByType).toEqual(want.weeklyByType);
        fits.push({ got, want });
      }
      // Earlier fits keep their profiles after later fits reuse the workspace.
      for (const { got, want } of fits)
        expect([got.daily, got.weekly, got.weeklyByType]).toEqual([
          want.daily,
          want.weekly,
          want.weeklyByType,
        ]);
    },
  );
});

describe('selectForecast after the shared-fit optimisation', () => {
  // Values on bench/synthetic.ts recorded from the straightforward implementation (as of b367beb),
  // re-recorded when the weekly profile's smoothing widened from ±1 h to ±4 h, and again when the
  // day-type profile replaced it and the synthetic series' weekend moved to Saturday and Sunday
  // (it fell on Tuesday and Wednesday), and again when the day-type profile's clip was centred on
  // each day type, and again when the reference level's running median kept a whole week at the
  // window's ends, and again when the AR(1) correction took its residuals against the day-type
  // profile smoothed on each day type's own circle, and again when Saturday and Sunday got their
  // repeated difference; the decomposition itself is checked against the straightforward one bit
  // for bit above.
  it.each([
    {
      seed: 1,
      points: 4032,
      model: 'robust-seasonal-ar',
      p0: 596.7683752435391,
      p200: 748.5151173797409,
      u0: 641.4810747285305,
    },
    {
      seed: 2,
      points: 4032,
      model: 'robust-seasonal-ar',
      p0: 1067.8994437310075,
      p200: 705.9856748869167,
      u0: 1142.9679572799025,
    },
    {
      seed: 3,
      points: 4132,
      model: 'robust-seasonal-ar',
      p0: 569.9932227484571,
      p200: 730.4991267530622,
      u0: 604.9832513460897,
    },
    {
      seed: 4,
      points: 5767,
      model: 'robust-seasonal-ar',
      p0: 1371.0335309733885,
      p200: 765.301477334454,
      u0: 1398.803007469287,
    },
  ])('forecasts series $seed ($points points) exactly as before', ({ seed, points, model, p0, p200, u0 }) => {
    const result = selectForecast(syntheticSeries(seed, points), { horizonSteps: DAY });

    expect(result.model).toBe(model);
    expect([result.point[0], result.point[200], result.upper[0]]).toEqual([p0, p200, u0]);
  });
});
