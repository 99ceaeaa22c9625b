import type { RegularSeries } from '../../../lambdas/core/series/types';

/** 5-minute steps: 288 per day. */
export const STEP = 300;
export const DAY = 288;

/** A series of `days` days at 5-minute steps built from `f(i)`. */
export function seriesOf(days: number, f: (i: number) => number, stepSec = STEP): RegularSeries {
  const n = Math.round((days * 86_400) / stepSec);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = f(i);
  return { startSec: 1_700_000_000, stepSec, values };
}

/** A daily sine around 100 with amplitude 50. */
export const dailySine = (i: number): number => 100 + 50 * Math.sin((2 * Math.PI * i) / DAY);

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), so tests never flake. */
export { seededRandom as rng } from '../../../bench/synthetic';
