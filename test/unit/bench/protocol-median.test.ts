import { describe, expect, it } from 'vitest';
import { medianOf } from '../../../bench/protocol';

describe('medianOf (the protocol cross-series figure)', () => {
  it.each([
    { xs: [3, 1, 2], want: 2 },
    { xs: [4, 1, 3, 2], want: 2.5 },
    { xs: [1, Number.POSITIVE_INFINITY, 2], want: 2 },
  ])('is $want for $xs', ({ xs, want }) => {
    expect(medianOf(xs)).toBe(want);
  });

  it('fails on an undefined score instead of sorting it anywhere', () => {
    expect(() => medianOf([0.5, Number.NaN, 0.7])).toThrow('median of a list holding NaN at index 1');
  });
});
