import { describe, expect, it } from 'vitest';
import { randomWalkBound, upperBound } from '../../../lambdas/core/forecast/bounds';

/** A history whose error floor (a tenth of its mean absolute value) is 1. */
const history = new Float64Array(100).fill(10);

describe('upperBound', () => {
  it.each([
    {
      case: 'a linear-interpolation quantile',
      errors: [Float64Array.of(0, 0.1, 0.2, 0.3, 0.4)],
      quantile: 0.5,
      want: [120, 120, 12, 12, 1.2],
    },
    {
      case: 'the error floor under small forecasts',
      errors: [Float64Array.of(1, 1, 1, 1, 1)],
      quantile: 0.9,
      want: [200, 200, 20, 20, 2],
    },
    {
      case: 'a negative quantile (a model that over-forecasts) floored at the point forecast',
      errors: [Float64Array.of(-0.5, -0.4, -0.3, -0.2, -0.1)],
      quantile: 0.9,
      want: [100, 100, 10, 10, 1],
    },
  ])('applies $case', ({ errors, quantile, want }) => {
    const point = Float64Array.of(100, 100, 10, 10, 1);

    const upper = upperBound(point, errors, quantile, history);

    for (const [h, w] of want.entries()) expect(upper[h]).toBeCloseTo(w, 9);
  });

  it('pools every step and origin into one quantile, so early steps get the same margin', () => {
    // Two origins of 40 steps: no error over the first 20 steps, +50 % over the last 20.
    const errors = [0, 1].map(() => Float64Array.from({ length: 40 }, (_, h) => (h < 20 ? 0 : 0.5)));
    const point = new Float64Array(40).fill(100);

    const upper = upperBound(point, errors, 0.9, history);

    // A per-step quantile would leave step 0 at 100; the pooled p90 of 40 zeros and 40 halves is 0.5.
    for (const u of upper) expect(u).toBeCloseTo(150, 9);
  });

  it('scales the margin with |point| above the floor', () => {
    // The floor is 1: a forecast of 0.5 gets the margin of a forecast of 1.
    const upper = upperBound(Float64Array.of(0.5, 1, 4), [Float64Array.of(0.2, 0.2)], 0.9, history);

    expect(Array.from(upper)).toEqual([0.7, 1.2, 4.8].map((x) => expect.closeTo(x, 9)));
  });

  it('falls back to the random-walk bound without validation errors', () => {
    const point = Float64Array.of(5, 5, 5);
    const walk = Float64Array.from({ length: 50 }, (_, i) => i % 2);

    expect(upperBound(point, [], 0.9, walk)).toEqual(randomWalkBound(point, walk, 0.9));
  });
});
