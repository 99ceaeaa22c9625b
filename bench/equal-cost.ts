/** Summaries of equal-cost ratios shared by the backtest bench's sections. */
import { equalCostOf } from '../lambdas/core/simulation/frontier';
import type { BacktestResult } from '../lambdas/core/simulation/types';
import { medianOf } from './protocol';

/** The ratio to take the median of: +∞ where predictive costs more than the whole frontier. */
export function rankedRatio(result: BacktestResult): number | null {
  if (result.equalCostRatio !== null) return result.equalCostRatio;
  return equalCostOf(result).kind === 'costlier' ? Number.POSITIVE_INFINITY : null;
}

/** {@link medianOf}, or `null` for no values (a section where no trace had a ratio). */
export function median(xs: readonly number[]): number | null {
  return xs.length === 0 ? null : medianOf(xs);
}
