/** Summaries of equal-cost ratios shared by the backtest bench's sections. */
import { equalCostOf } from '../lambdas/core/simulation/frontier';
import type { BacktestResult, EqualCostComparison } from '../lambdas/core/simulation/types';
import { medianOf } from './protocol';

/**
 * How a trace enters the medians over traces:
 * - `ratio`: by its equal-cost ratio;
 * - `costlier`: +∞, predictive costs more instance-hours than every point of the frontier;
 * - `onlyPredictiveBreaches`: +∞, the frontier at predictive's instance-hours is never
 *   under-provisioned but predictive is (x / 0: headroom beats the forecaster there);
 * - `cheaper`: left out, predictive costs less than every point of the frontier;
 * - `neitherBreaches`: left out, neither predictive nor the frontier at its instance-hours is ever
 *   under-provisioned (0 / 0).
 */
export type EqualCostRank = 'ratio' | 'costlier' | 'onlyPredictiveBreaches' | 'cheaper' | 'neitherBreaches';

/** The rank of the simulator's comparison at equal cost, given predictive's under-provisioned fraction. */
export function rankOfComparison(
  comparison: EqualCostComparison,
  predictiveUnderProvisionedFraction: number,
): EqualCostRank {
  if (comparison.kind !== 'noBreaches') return comparison.kind;
  return predictiveUnderProvisionedFraction > 0 ? 'onlyPredictiveBreaches' : 'neitherBreaches';
}

/** The rank of a backtest result: `ratio` whenever it recorded one. */
export function rankOf(result: BacktestResult): EqualCostRank {
  if (result.equalCostRatio !== null) return 'ratio';
  return rankOfComparison(equalCostOf(result), result.policies.predictive.underProvisionedFraction);
}

/** The value a rank takes in a median: `equalCostRatio`, +∞, or `null` (left out). */
export function rankValue(rank: EqualCostRank, equalCostRatio: number | null): number | null {
  switch (rank) {
    case 'ratio':
      // `null` only for a hand-made result whose frontier gives a ratio it did not record.
      return equalCostRatio;
    case 'costlier':
    case 'onlyPredictiveBreaches':
      return Number.POSITIVE_INFINITY;
    case 'cheaper':
    case 'neitherBreaches':
      return null;
  }
}

/** The ratio to take the median of (see {@link EqualCostRank}); `null` leaves the trace out. */
export function rankedRatio(result: BacktestResult): number | null {
  return rankValue(rankOf(result), result.equalCostRatio);
}

/** {@link medianOf}, or `null` for no values (a section where no trace had a ratio). */
export function median(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : medianOf(xs);
}
