/** Summaries of equal-cost ratios shared by the backtest bench's sections. */
import type { BacktestResult } from '../lambdas/core/simulation/types';

/** The ratio to take the median of: +∞ where predictive costs more than the whole frontier. */
export function rankedRatio(result: BacktestResult): number | null {
  if (result.equalCostRatio !== null) return result.equalCostRatio;
  const beyond = result.reactiveFrontier.every(
    (f) => f.instanceHours < result.policies.predictive.instanceHours,
  );
  return beyond ? Number.POSITIVE_INFINITY : null;
}

/** Median (mean of the middle two for an even count); `null` for no values. */
export function median(xs: readonly number[]): number | null {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return null;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
