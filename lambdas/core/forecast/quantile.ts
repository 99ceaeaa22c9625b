/**
 * Linear-interpolation quantile of an ascending array (the "type 7" definition of R and numpy's
 * default), so peak thresholds match the reference tools the protocol was computed with.
 * simple-statistics' `quantileSorted` picks an order statistic instead, which shifts the peak set.
 */
export function quantileLinearSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * p;
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (pos - lo);
}
