import { describe, expect, it } from 'vitest';
import { CANDIDATE_MODELS } from '../../../lambdas/core/forecast/candidates';
import { ForecastOptionsError } from '../../../lambdas/core/forecast/options';
import { selectForecast } from '../../../lambdas/core/forecast/select';
import { MAX_VALUE_MAGNITUDE } from '../../../lambdas/core/series/cloudwatch-range';
import { DAY, dailySine, rng, seriesOf } from './helpers';

describe('selectForecast', () => {
  it.each([
    {
      series: 'an exactly repeating day',
      f: (i: number) => Math.round(dailySine(i)),
      want: 'seasonal-naive-daily',
    },
    {
      series: 'a weekday/weekend shape',
      f: (i: number) => (Math.floor(i / DAY) % 7 >= 5 ? 20 : 100) + (((i % DAY) * 7) % 50),
      want: 'seasonal-naive-weekly-ar',
    },
    { series: 'a straight ramp', f: (i: number) => 10 + 0.5 * i, want: 'linear-trend' },
  ])('picks $want for $series', ({ f, want }) => {
    const result = selectForecast(seriesOf(14, f), { horizonSteps: DAY });

    expect(result.model).toBe(want);
  });

  it('forecasts finite values for a series at the largest magnitude CloudWatch stores', () => {
    const noise = rng(7);
    const series = seriesOf(14, (i) => (dailySine(i) + 10 * noise()) * 1e105);

    const result = selectForecast(series, { horizonSteps: DAY });

    expect(Math.max(...series.values)).toBeLessThanOrEqual(MAX_VALUE_MAGNITUDE);
    expect([...result.point, ...result.upper].every(Number.isFinite)).toBe(true);
    expect(result.trust.trusted).toBe(true);
  });

  it('reports a validation score for every candidate that has enough history', () => {
    const result = selectForecast(seriesOf(14, dailySine), { horizonSteps: DAY });

    expect(result.scores.map((s) => s.model)).toEqual(CANDIDATE_MODELS.map((m) => m.name));
    for (const s of result.scores) expect(s.origins).toBe(3);
  });

  it('forecasts with the winner and bounds it above', () => {
    const noise = rng(3);
    const history = seriesOf(14, (i) => dailySine(i) + 10 * noise());

    const result = selectForecast(history, { horizonSteps: 2 * DAY, upperQuantile: 0.95 });

    expect(result.point).toHaveLength(2 * DAY);
    for (const [h, p] of result.point.entries()) expect(result.upper[h]).toBeGreaterThan(p);
  });

  it.each([
    { options: { horizonSteps: 0 }, field: 'horizonSteps', value: '0' },
    { options: { horizonSteps: -5 }, field: 'horizonSteps', value: '-5' },
    { options: { horizonSteps: 2.5 }, field: 'horizonSteps', value: '2.5' },
    { options: { horizonSteps: 10, upperQuantile: 0.5 }, field: 'upperQuantile', value: '0.5' },
    { options: { horizonSteps: 10, upperQuantile: 1 }, field: 'upperQuantile', value: '1' },
    { options: { horizonSteps: 10, upperQuantile: 0.2 }, field: 'upperQuantile', value: '0.2' },
    {
      options: { horizonSteps: 10, weekendUtcOffsetSec: 14.5 * 3600 },
      field: 'weekendUtcOffsetSec',
      value: '52200',
    },
    {
      options: { horizonSteps: 10, weekendUtcOffsetSec: -15 * 3600 },
      field: 'weekendUtcOffsetSec',
      value: '-54000',
    },
    {
      options: { horizonSteps: 10, weekendUtcOffsetSec: Number.NaN },
      field: 'weekendUtcOffsetSec',
      value: 'NaN',
    },
  ])('fails when $field is $value, naming field and value', ({ options, field, value }) => {
    const act = () => selectForecast(seriesOf(3, dailySine), options);

    expect(act).toThrow(ForecastOptionsError);
    expect(act).toThrow(new RegExp(`${field} must be .* got ${value.replace('.', '\\.')}$`));
  });

  it('fails on an empty history', () => {
    expect(() =>
      selectForecast({ startSec: 0, stepSec: 300, values: new Float64Array(0) }, { horizonSteps: 1 }),
    ).toThrow(/empty history/);
  });
});
