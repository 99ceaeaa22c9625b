import { describe, expect, it } from 'vitest';
import { median, rankedRatio, rankOf } from '../../../bench/equal-cost';
import type { BacktestResult } from '../../../lambdas/core/simulation/types';
import {
  syntheticResult,
  syntheticResultWhereHeadroomHasNoBreaches as whereHeadroomHasNoBreaches,
} from '../../cli/fixtures/synthetic-backtest';

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

  it('ranks a predictive under-provisioned where the frontier at its cost never is as +∞', () => {
    const result = whereHeadroomHasNoBreaches(0.02);
    expect(result.equalCost).toEqual({ kind: 'noBreaches' });

    expect(rankedRatio(result)).toBe(Number.POSITIVE_INFINITY);
    expect(rankOf(result)).toBe('onlyPredictiveBreaches');
  });

  it('leaves out a predictive never under-provisioned where the frontier at its cost never is either (0 / 0)', () => {
    const result = whereHeadroomHasNoBreaches(0);
    expect(result.equalCost).toEqual({ kind: 'noBreaches' });

    expect(rankOf(result)).toBe('neitherBreaches');
    expect(rankedRatio(result)).toBeNull();
  });

  it('keeps a trace whose frontier has no breaches at its cost in the median over traces, as +∞', () => {
    const ratios = [0.5, 0.9];
    const ranked = rankedRatio(whereHeadroomHasNoBreaches(0.02));
    if (ranked !== null) ratios.push(ranked);

    // Three traces: 0.5, 0.9 and +∞ → 0.9 (dropping the third gives 0.7).
    expect(median(ratios)).toBe(0.9);
  });
});
