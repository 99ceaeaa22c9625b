import { describe, expect, it } from 'vitest';
import { DEFAULT_TARGET_RULE, defaultTargetValue } from '../../../lambdas/core/simulation/target-rule';

describe('defaultTargetValue', () => {
  it('divides the 99th percentile by 15 and keeps 2 significant digits', () => {
    // 0..1000: p99 (linear interpolation) is 990 → 990 / 15 = 66.
    const values = Float64Array.from({ length: 1001 }, (_, i) => i);
    expect(defaultTargetValue(values)).toBe(66);
  });

  it('ignores a lone spike that would dominate a peak-based rule', () => {
    const values = Float64Array.from({ length: 1000 }, (_, i) => (i === 500 ? 100_000 : 150));
    expect(defaultTargetValue(values)).toBe(10);
  });

  it.each([
    ['empty', new Float64Array(0)],
    ['all zero', new Float64Array(10)],
  ])('falls back to 1 for a %s series', (_, values) => {
    expect(defaultTargetValue(values)).toBe(1);
  });

  it('names its rule', () => {
    expect(DEFAULT_TARGET_RULE).toBe('default: p99 load / 15, 2 significant digits');
  });
});
