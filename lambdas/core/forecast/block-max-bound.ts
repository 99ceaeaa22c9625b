import { stepsPerDay } from './options';
import { quantileInPlace } from './robust-stats';
import type { ValidationDays } from './types';

/**
 * Where a planner's blocks fall relative to a forecast: `blockSteps` steps each, the first one
 * starting `firstBlockStep` steps after the forecast's first point. Positive when blocks start a
 * scheduling buffer after the decision (the backtest); zero or negative when blocks start on clock
 * boundaries and the forecast starts inside one (the forecaster: first point 10:25, hourly blocks
 * from 10:00, 5-minute steps: -5), the first block then holding only its remaining steps.
 * `-blockSteps < firstBlockStep < steps per day`.
 */
export interface BlockGeometry {
  /** Steps per planning block (12 for hourly blocks at 5-minute steps). */
  readonly blockSteps: number;
  /** Steps from the forecast's first point to the start of the first block; see above. */
  readonly firstBlockStep: number;
}

/** How to calibrate a bound on what a block planner consumes: each block's maximum. */
export interface BlockMaxBoundOptions extends BlockGeometry {
  /** Quantile of the block-maximum errors added to the forecast. */
  readonly quantile: number;
  /** Neighbouring blocks pooled on each side, so each quantile rests on several errors. Default 2. */
  readonly poolBlocks?: number;
}

/**
 * Per-block margins for one model from its validation days (`days`: the selector's own
 * day-ahead forecasts, each made from the values before its origin; see `backtestAll`): for each
 * planning block, `max(actual in block) − max(forecast in block)`; block `b`'s margin is the
 * `quantile` of those errors over the days and the `poolBlocks` blocks either side, floored at 0.
 * Each origin is a whole number of days before the forecast's first point, so validation block
 * `b` covers the same times of day as the planner's block `b`; a part-block left at the end of
 * the validation day is not validated.
 * Absolute, not relative, errors: a spike is as tall at a low forecast as at a high one, and a
 * relative margin multiplied by the daily peak priced every hour for the worst spike.
 * Returns undefined without a validation day.
 */
export function blockMaxMargins(
  days: ValidationDays,
  values: Float64Array,
  stepSec: number,
  o: BlockMaxBoundOptions,
): Float64Array | undefined {
  const day = stepsPerDay(stepSec);
  const blocks = Math.max(1, Math.floor((day - o.firstBlockStep) / o.blockSteps));
  const errors: number[][] = Array.from({ length: blocks }, () => []);
  for (const [k, origin] of days.origins.entries()) {
    const forecast = days.forecasts[k] as Float64Array;
    const actual = values.subarray(origin, origin + day);
    errors.forEach((into, b) => {
      const start = o.firstBlockStep + b * o.blockSteps;
      const from = Math.max(0, start);
      const to = Math.min(day, start + o.blockSteps);
      if (from < to) into.push(maxOf(actual, from, to) - maxOf(forecast, from, to));
    });
  }
  if ((errors[0]?.length ?? 0) === 0) return undefined;
  const pool = o.poolBlocks ?? 2;
  return Float64Array.from(errors, (_, b) => {
    const pooled: number[] = [];
    for (let c = Math.max(0, b - pool); c <= Math.min(blocks - 1, b + pool); c++) {
      pooled.push(...(errors[c] ?? []));
    }
    return Math.max(0, quantileInPlace(Float64Array.from(pooled), pooled.length, o.quantile));
  });
}

/**
 * Upper bound whose block maximum is the point forecast's block maximum plus the block's margin
 * (see {@link blockMaxMargins}): `point + margin` at every step of the block. A block beyond the
 * validated day takes the margin of the validated block at the same time of day (when blocks
 * tile a day); where there is none, steps before the first block take the first margin and
 * steps after the last validated block the last one.
 */
export function blockMaxUpper(
  point: Float64Array,
  margins: Float64Array,
  stepSec: number,
  g: BlockGeometry,
): Float64Array {
  const last = margins.length - 1;
  const perDay = stepsPerDay(stepSec) / g.blockSteps;
  const marginIndex = (i: number): number => {
    const b = Math.floor((i - g.firstBlockStep) / g.blockSteps);
    if (b >= 0 && b <= last) return b;
    const sameTime = Number.isInteger(perDay) ? ((b % perDay) + perDay) % perDay : -1;
    return sameTime >= 0 && sameTime <= last ? sameTime : Math.min(last, Math.max(0, b));
  };
  return point.map((p, i) => p + (margins[marginIndex(i)] ?? 0));
}

function maxOf(xs: Float64Array, from: number, to: number): number {
  let m = Number.NEGATIVE_INFINITY;
  for (let i = from; i < to; i++) m = Math.max(m, xs[i] as number);
  return m;
}
