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

  it.each([
    { what: 'a flat window', train: [5, 5, 5, 5, 5] },
    { what: 'an all-zero window', train: [0, 0, 0, 0] },
    // Period 2 repeating up to rounding noise: scale 2e-15, a fiftieth of a billionth of the mean.
    { what: 'a window repeating up to rounding noise', train: [100, 50, 100 + 4e-15, 50, 100] },
  ])('is NaN, MASE being undefined, for $what (no seasonal variation)', ({ train }) => {
    expect(maseScale(train, 2)).toBeNaN();
  });

  it('keeps a small scale that is real variation', () => {
    // Period 2: 1e-6, 0 and 1e-6 → mean 2e-6 / 3, against values of about 1e-6: small in
    // absolute terms, not negligible.
    expect(maseScale([0, 1e-6, 1e-6, 1e-6, 2e-6], 2)).toBeCloseTo(2e-6 / 3, 15);
  });
});

describe('mase', () => {
  it.each([
    { actual: [10, 20], forecast: [12, 17], scale: 2, h: undefined, want: 1.25 },
    { actual: [10, 20], forecast: [12, 17], scale: 2, h: 1, want: 1 },
  ])(
    'scales the mean absolute error of $forecast by $scale (h=$h)',
    ({ actual, forecast, scale, h, want }) => {
      expect(mase(actual, forecast, scale, h)).toBeCloseTo(want, 12);
    },
  );
});

describe('mase without a scale', () => {
  it.each([0, Number.NaN])('is NaN, even for a perfect forecast, with scale %d', (scale) => {
    expect(mase([5, 5], [5, 5], scale)).toBeNaN();
    expect(mase([5, 5], [6, 6], scale)).toBeNaN();
  });
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

  it.each([
    { name: 'all-zero actuals over-forecast', actual: [0, 0, 0], forecast: [5, 5, 5] },
    { name: 'all-zero actuals forecast exactly', actual: [0, 0], forecast: [0, 0] },
    { name: 'no points', actual: [], forecast: [] },
  ])('is undefined (NaN) without actual volume: $name', ({ actual, forecast }) => {
    expect(bias(actual, forecast)).toBeNaN();
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
