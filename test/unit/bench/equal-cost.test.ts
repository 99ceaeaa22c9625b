import { describe, expect, it } from 'vitest';
import { rankedRatio } from '../../../bench/equal-cost';
import type { BacktestResult } from '../../../lambdas/core/simulation/types';
import { syntheticResult } from '../../cli/fixtures/synthetic-backtest';

/** The synthetic result (frontier 500 h at 12 %, 620 h at 5 %) with predictive at `hours`, no ratio. */
function at(hours: number): BacktestResult {
  const result = syntheticResult();
  const predictive = { ...result.policies.predictive, instanceHours: hours };
  return { ...result, policies: { ...result.policies, predictive }, equalCostRatio: null };
}

describe('rankedRatio', () => {
  it.each([
    { hours: 620.5, want: Number.POSITIVE_INFINITY },
    { hours: 620, want: null },
    { hours: 499, want: null },
  ])('ranks a policy without a ratio at $hours h as $want', ({ hours, want }) => {
    expect(rankedRatio(at(hours))).toBe(want);
  });

  it('keeps the ratio the backtest computed', () => {
    expect(rankedRatio({ ...syntheticResult(), equalCostRatio: 0.25 })).toBe(0.25);
  });
});
