import { describe, expect, it } from 'vitest';
import {
  CANDIDATE_FORECAST_MODELS,
  CANDIDATE_MODELS,
  robustSeasonalCorrected,
  robustSeasonalModel,
} from '../../../lambdas/core/forecast/candidates';
import { linearTrend } from '../../../lambdas/core/forecast/linear-trend';
import { InsufficientHistoryError, toForecastModel } from '../../../lambdas/core/forecast/model';
import {
  naiveLast,
  seasonalNaiveDaily,
  seasonalNaiveWeekly,
} from '../../../lambdas/core/forecast/seasonal-naive';
import { DAY, dailySine, rng, STEP, seriesOf } from './helpers';

const weekdayWeekend = (i: number): number => (Math.floor(i / DAY) % 7 >= 5 ? 20 : 100) + dailySine(i);

describe('seasonal naive', () => {
  it.each([
    { model: seasonalNaiveDaily, days: 3, f: dailySine },
    { model: seasonalNaiveWeekly, days: 14, f: weekdayWeekend },
  ])('$model.name reproduces a series with its period exactly', ({ model, days, f }) => {
    const history = seriesOf(days, f);
    const n = history.values.length;

    const point = model.point(history.values, STEP, 2 * DAY);

    for (const [h, v] of point.entries()) expect(v).toBeCloseTo(f(n + h), 9);
  });
});

describe('naive', () => {
  it('repeats the last value', () => {
    expect(Array.from(naiveLast.point(Float64Array.of(3, 1, 4), STEP, 3))).toEqual([4, 4, 4]);
  });
});

describe('linear trend', () => {
  it('extrapolates a straight line', () => {
    const history = seriesOf(2, (i) => 5 + 0.25 * i);
    const n = history.values.length;

    const point = linearTrend.point(history.values, STEP, 24);

    for (const [h, v] of point.entries()) expect(v).toBeCloseTo(5 + 0.25 * (n + h), 6);
  });
});

describe('robust seasonal', () => {
  it.each([robustSeasonalModel, robustSeasonalCorrected])(
    '$name follows a pure daily sine closely',
    (model) => {
      const history = seriesOf(14, dailySine);
      const n = history.values.length;

      const point = model.point(history.values, STEP, DAY);

      // Profile smoothing over ±1 h flattens the sine's crest by about 1.2 % of its amplitude.
      for (const [h, v] of point.entries()) expect(Math.abs(v - dailySine(n + h))).toBeLessThan(0.75);
    },
  );

  it.each([
    { noise: 'alternating ±20 every step', f: (i: number) => (i % 2 === 0 ? 20 : -20) },
    { noise: '±20 in 10-minute blocks', f: (i: number) => (Math.floor(i / 2) % 2 === 0 ? 20 : -20) },
  ])('averages $noise that repeats every day out of the profile', ({ f }) => {
    const history = seriesOf(14, (i) => dailySine(i) + f(i));
    const n = history.values.length;

    const point = robustSeasonalModel.point(history.values, STEP, DAY);

    // Slot medians keep a noise that repeats daily; only the ±1 h average removes it (±10 min left ±4).
    for (const [h, v] of point.entries()) expect(Math.abs(v - dailySine(n + h))).toBeLessThan(2.5);
  });

  it('ignores a single spike in the history', () => {
    const clean = seriesOf(14, dailySine);
    const spiked = seriesOf(14, dailySine);
    const spikeAt = clean.values.length - DAY + 100; // yesterday, at the slot forecast 100 steps ahead
    spiked.values[spikeAt] = 10_000;

    const a = robustSeasonalModel.point(clean.values, STEP, DAY);
    const b = robustSeasonalModel.point(spiked.values, STEP, DAY);

    expect(Math.abs((b[100] as number) - (a[100] as number))).toBeLessThan(1);
    expect(seasonalNaiveDaily.point(spiked.values, STEP, DAY)[100]).toBe(10_000);
  });

  it('does not let a damped trend run away on a steep ramp', () => {
    const history = seriesOf(14, (i) => dailySine(i) + i * 0.01);
    const n = history.values.length;

    const point = robustSeasonalModel.point(history.values, STEP, DAY);

    // Undamped, 288 more steps would add 2.88; the damped trend adds at most one day's growth
    // (about 1.8 by the end of the day), plus about 0.6 of crest flattened by profile smoothing.
    for (const [h, v] of point.entries()) expect(Math.abs(v - dailySine(n + h) - n * 0.01)).toBeLessThan(4.2);
  });
});

describe('every candidate model', () => {
  const noise = rng(7);
  const noisy = seriesOf(10, (i) => dailySine(i) + 20 * noise());

  it.each(CANDIDATE_FORECAST_MODELS.map((m) => ({ name: m.name, model: m })))(
    '$name returns an upper bound at or above its point forecast, on the next grid step',
    ({ model }) => {
      const forecast = model.forecast(noisy, { horizonSteps: 36 });

      expect(forecast.point).toHaveLength(36);
      expect(forecast.startSec).toBe(noisy.startSec + noisy.values.length * STEP);
      for (const [h, p] of forecast.point.entries()) expect(forecast.upper[h]).toBeGreaterThanOrEqual(p);
    },
  );

  it('has a unique name per candidate', () => {
    expect(new Set(CANDIDATE_MODELS.map((m) => m.name)).size).toBe(CANDIDATE_MODELS.length);
  });

  it('fails when the history is shorter than the model needs', () => {
    const model = toForecastModel(seasonalNaiveWeekly);
    expect(() => model.forecast(seriesOf(3, dailySine), { horizonSteps: 10 })).toThrow(
      InsufficientHistoryError,
    );
  });
});
