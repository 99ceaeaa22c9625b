import { describe, expect, it } from 'vitest';
import { bias, mase, maseScale, peakCoverage, smape } from '../../../lambdas/core/forecast/metrics';

describe('maseScale', () => {
  it('is the mean absolute seasonal difference of the training window', () => {
    // Period 2: |3-1| = 2, |4-2| = 2, |9-3| = 6 → mean 10/3.
    expect(maseScale([1, 2, 3, 4, 9], 2)).toBeCloseTo(10 / 3, 12);
  });

  it('is NaN when the window is not longer than one period', () => {
    expect(maseScale([1, 2], 2)).toBeNaN();
  });
});

describe('mase', () => {
  it.each([
    { actual: [10, 20], forecast: [12, 17], scale: 2, h: undefined, want: 1.25 },
    { actual: [10, 20], forecast: [12, 17], scale: 2, h: 1, want: 1 },
    { actual: [5, 5], forecast: [5, 5], scale: 0, h: undefined, want: 0 },
  ])(
    'scales the mean absolute error of $forecast by $scale (h=$h)',
    ({ actual, forecast, scale, h, want }) => {
      expect(mase(actual, forecast, scale, h)).toBeCloseTo(want, 12);
    },
  );
});

describe('smape', () => {
  it.each([
    { actual: [100], forecast: [50], want: (100 * 2 * 50) / 150 },
    { actual: [0, 10], forecast: [0, 10], want: 0 },
    { actual: [0, 0], forecast: [0, 5], want: 100 },
  ])(
    'scores $forecast against $actual as $want %, a both-zero term counting 0',
    ({ actual, forecast, want }) => {
      expect(smape(actual, forecast)).toBeCloseTo(want, 10);
    },
  );
});

describe('bias', () => {
  it('is 100 × Σ(f − y) / Σ|y|', () => {
    expect(bias([10, -10, 20], [12, -10, 14])).toBeCloseTo((100 * (2 + 0 - 6)) / 40, 12);
  });
});

describe('peakCoverage', () => {
  it('counts peaks at or above the 90th percentile where the forecast reaches 0.9 × actual', () => {
    // Actuals 1..10 and 100: the linear p90 sits exactly on 10, so the peaks are 10 and 100.
    const actual = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100];
    const forecast = [0, 0, 0, 0, 0, 0, 0, 0, 0, 9, 89];
    expect(peakCoverage(actual, forecast)).toEqual({ coverage: 0.5, peaks: 2 });
  });

  it('leaves out zero actuals from the peak set', () => {
    expect(peakCoverage([0, 0, 0], [0, 0, 0])).toEqual({ coverage: Number.NaN, peaks: 0 });
  });
});
