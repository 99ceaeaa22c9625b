import { describe, expect, it } from 'vitest';
import type { PointForecaster } from '../../../lambdas/core/forecast/point-forecaster';
import type { SelectedForecast } from '../../../lambdas/core/forecast/types';
import { planningForecast } from '../../../lambdas/core/planning/planning-bound';
import type { RegularSeries } from '../../../lambdas/core/series/types';

const flat10: PointForecaster = {
  name: 'flat-10',
  minHistoryPoints: () => 1,
  point: (_h, _s, horizon) => new Float64Array(horizon).fill(10),
};

/** A selector's answer double: point 10, upper 99, from `model`. */
function selected(history: RegularSeries, horizon: number, model: string, trusted = true): SelectedForecast {
  return {
    startSec: history.startSec + history.values.length * history.stepSec,
    stepSec: history.stepSec,
    point: new Float64Array(horizon).fill(10),
    upper: new Float64Array(horizon).fill(99),
    model,
    scores: [],
    trust: { trusted, reason: 'test double' },
  };
}

describe('planningForecast', () => {
  const HOUR = 3_600;
  /** Five days of hourly 10 with 16 at hour 1 each day: the first 2-step block peaks 6 above the forecast. */
  const hourly: RegularSeries = {
    startSec: 0,
    stepSec: HOUR,
    values: Float64Array.from({ length: 5 * 24 }, (_, i) => (i % 24 === 1 ? 16 : 10)),
  };
  const geometry = { blockSteps: 2, firstBlockStep: 0, quantile: 0.9, models: [flat10] };

  // p90 with two blocks pooled each side: blocks 0-2 see the three errors of 6 among their 9-15
  // pooled errors (p90 = 6); block 3 pools blocks 1-5, all 0.
  it.each([
    {
      name: 'plans block-max on the chosen candidate model',
      bound: 'block-max' as const,
      model: 'flat-10',
      trusted: true,
      upper: [16, 16, 16, 10],
      planned: { bound: 'block-max', fallback: undefined },
    },
    {
      name: 'plans on the selector upper bound when asked to',
      bound: 'upper' as const,
      model: 'flat-10',
      trusted: true,
      upper: [99, 99, 99, 99],
      planned: { bound: 'upper', fallback: undefined },
    },
    {
      name: 'keeps the upper bound of a model it cannot re-validate, and says so',
      bound: 'block-max' as const,
      model: 'other',
      trusted: true,
      upper: [99, 99, 99, 99],
      planned: { bound: 'upper', fallback: 'model other cannot be re-validated per block' },
    },
    {
      name: 'keeps the upper bound of an untrusted forecast',
      bound: 'block-max' as const,
      model: 'flat-10',
      trusted: false,
      upper: [99, 99, 99, 99],
      planned: { bound: 'upper', fallback: 'the forecast is not trusted' },
    },
  ])('$name', ({ bound, model, trusted, upper, planned }) => {
    const result = planningForecast(selected(hourly, 24, model, trusted), hourly, { ...geometry, bound });
    expect([0, 2, 4, 6].map((i) => result.forecast.upper[i])).toEqual(upper);
    expect(result.forecast.point[0]).toBe(10);
    expect({ bound: result.bound, fallback: result.fallback }).toEqual(planned);
  });

  it('falls back to the upper bound without a validation day', () => {
    const short: RegularSeries = { ...hourly, values: hourly.values.subarray(0, 30) };
    const result = planningForecast(selected(short, 24, 'flat-10'), short, {
      ...geometry,
      bound: 'block-max',
    });
    expect(result).toMatchObject({
      bound: 'upper',
      fallback: 'no validation day has a day of history before it',
    });
    expect(result.forecast.upper[0]).toBe(99);
  });

  describe('aligns the validation blocks with the blocks the planner plans', () => {
    // 30-minute steps, hourly blocks. Each day the load is 16 from 13:00 to 19:00 and 10 otherwise;
    // the model forecasts 10. History ends at 10:00 on day 4, so the forecast starts at 10:30.
    const STEP = 1_800;
    const history: RegularSeries = {
      startSec: 0,
      stepSec: STEP,
      values: Float64Array.from({ length: 4 * 48 + 21 }, (_, i) =>
        clockOf(i) >= 13 && clockOf(i) < 19 ? 16 : 10,
      ),
    };
    /** Hour of day (fractional) of step i of the history. */
    function clockOf(i: number): number {
      return ((i * STEP) % 86_400) / 3_600;
    }
    /** Upper bound at the forecast's two days of steps, by the hour of day each step falls at. */
    function upperByClock(firstBlockStep: number): Map<number, Set<number>> {
      const forecast = selected(history, 96, 'flat-10');
      const { forecast: planned, bound } = planningForecast(forecast, history, {
        bound: 'block-max',
        blockSteps: 2,
        firstBlockStep,
        models: [flat10],
      });
      expect(bound).toBe('block-max');
      const byClock = new Map<number, Set<number>>();
      planned.upper.forEach((u, i) => {
        const clock = (10.5 + i / 2) % 24;
        byClock.set(clock, (byClock.get(clock) ?? new Set()).add(u));
      });
      return byClock;
    }
    const expectUpper = (byClock: Map<number, Set<number>>, upperAt: (clock: number) => number) => {
      for (const [clock, uppers] of byClock) expect([clock, [...uppers]]).toEqual([clock, [upperAt(clock)]]);
    };

    it('on clock hours (the forecaster: the 10:00 block already half over): 16 from 13:00 to 19:00, both days', () => {
      // Validation blocks 10:00 (its 10:30 half), 11:00, …: the plateau fills blocks 13:00-18:00
      // and the median of each block's 15 pooled errors (±2 blocks, 3 days) is 6 exactly there.
      expectUpper(upperByClock(-1), (clock) => (clock >= 13 && clock < 19 ? 16 : 10));
    });

    it('on half hours (blocks from the forecast first point): the margin moves with the blocks', () => {
      // Blocks 10:30-11:30, …: the plateau touches blocks 12:30-18:30 (median 6); block 11:30
      // pools 6 errors of 6 among 12, whose median is 3.
      expectUpper(upperByClock(0), (clock) =>
        clock >= 12.5 && clock < 19.5 ? 16 : clock >= 11.5 && clock < 12.5 ? 13 : 10,
      );
    });
  });
});
