import { describe, expect, it } from 'vitest';
import type { PointForecaster } from '../../../lambdas/core/forecast/point-forecaster';
import type { SelectedForecast } from '../../../lambdas/core/forecast/types';
import type { RegularSeries } from '../../../lambdas/core/series/types';
import { withBlockMaxBound } from '../../../lambdas/core/simulation/planning-bound';
import type { Forecaster } from '../../../lambdas/core/simulation/predictive-floor';

const STEP = 3_600;
const DAY = 24;

const flat10: PointForecaster = {
  name: 'flat-10',
  minHistoryPoints: () => 1,
  point: (_h, _s, horizon) => new Float64Array(horizon).fill(10),
};

/** Five days of 10 with 16 at hour 1 each day: the first 2-step block peaks 6 above the forecast. */
const history: RegularSeries = {
  startSec: 0,
  stepSec: STEP,
  values: Float64Array.from({ length: 5 * DAY }, (_, i) => (i % DAY === 1 ? 16 : 10)),
};

function base(model: string, trusted: boolean): Forecaster {
  return (h, o): SelectedForecast => ({
    startSec: h.startSec + h.values.length * STEP,
    stepSec: STEP,
    point: new Float64Array(o.horizonSteps).fill(10),
    upper: new Float64Array(o.horizonSteps).fill(99),
    model,
    scores: [],
    trust: { trusted, reason: 'test double' },
  });
}

describe('withBlockMaxBound', () => {
  // p90 with two blocks pooled each side: blocks 0-2 see the three errors of 6 among their 9-15
  // pooled errors (p90 = 6); block 3 pools blocks 1-5, all 0.
  it.each([
    {
      name: 'recalibrates the chosen candidate model',
      model: 'flat-10',
      trusted: true,
      upper: [16, 16, 16, 10],
    },
    {
      name: 'keeps the upper bound of a model it does not know',
      model: 'other',
      trusted: true,
      upper: [99, 99, 99, 99],
    },
    {
      name: 'keeps the upper bound of an untrusted forecast',
      model: 'flat-10',
      trusted: false,
      upper: [99, 99, 99, 99],
    },
  ])('$name', ({ model, trusted, upper }) => {
    const wrapped = withBlockMaxBound(base(model, trusted), [flat10], {
      blockSteps: 2,
      leadSteps: 0,
      quantile: 0.9,
    });
    const f = wrapped(history, { horizonSteps: DAY });
    expect([0, 2, 4, 6].map((i) => f.upper[i])).toEqual(upper);
    expect(f.point[0]).toBe(10);
  });
});
