import { type RegularSeries, SeriesError } from './types';

/** How the points that fall into one coarser bucket are combined. */
export type Aggregation = 'mean' | 'max' | 'sum';

/**
 * Aggregates a regular series onto a coarser grid whose step is a whole multiple of the input's.
 * Buckets are aligned to the series start; a trailing partial bucket is dropped so every output
 * point aggregates the same number of inputs.
 */
export function resample(series: RegularSeries, stepSec: number, aggregation: Aggregation): RegularSeries {
  const factor = stepSec / series.stepSec;
  if (!Number.isInteger(factor) || factor < 1) {
    throw new SeriesError(
      `cannot resample from ${series.stepSec}s to ${stepSec}s: the new step must be a whole multiple of the old one`,
    );
  }
  if (factor === 1) return series;
  const n = Math.floor(series.values.length / factor);
  const out = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    let acc = aggregation === 'max' ? Number.NEGATIVE_INFINITY : 0;
    for (let k = 0; k < factor; k++) {
      const v = series.values[b * factor + k] as number;
      acc = aggregation === 'max' ? Math.max(acc, v) : acc + v;
    }
    out[b] = aggregation === 'mean' ? acc / factor : acc;
  }
  return { startSec: series.startSec, stepSec, values: out };
}
