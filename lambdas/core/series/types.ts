/** One observation: `tSec` is epoch seconds (UTC), `value` the metric value. */
export interface Point {
  readonly tSec: number;
  readonly value: number;
}

/**
 * A series on a fixed grid: point `i` is at `startSec + i * stepSec`.
 * Values are finite numbers; gaps have already been filled or the series rejected.
 */
export interface RegularSeries {
  readonly startSec: number;
  readonly stepSec: number;
  readonly values: Float64Array;
}

/** Time of point `i` of a regular series, in epoch seconds. */
export function timeAt(series: RegularSeries, i: number): number {
  return series.startSec + i * series.stepSec;
}

/** Raised for input that cannot become a regular series; `index` is the offending point (0-based; messages count from 1), when known. */
export class SeriesError extends Error {
  constructor(
    message: string,
    readonly index?: number,
  ) {
    super(message);
    this.name = 'SeriesError';
  }
}
