import type { ForecastOptions } from './types';

/** Default quantile of the upper bound: p90, the level capacity planning sizes for. */
export const DEFAULT_UPPER_QUANTILE = 0.9;

/** Options that failed validation; the message names the field, the value and the accepted range. */
export class ForecastOptionsError extends Error {
  constructor(
    readonly field: string,
    readonly value: unknown,
    detail: string,
  ) {
    super(`${field} must be ${detail}, got ${String(value)}`);
    this.name = 'ForecastOptionsError';
  }
}

/** {@link ForecastOptions} with defaults applied and every field checked. */
export interface ResolvedOptions {
  readonly horizonSteps: number;
  readonly upperQuantile: number;
  readonly weekendUtcOffsetSec: number;
}

/** Largest UTC offset of a local time: ±14 h (UTC+14, Line Islands; UTC−12 is the lowest in use). */
export const MAX_UTC_OFFSET_SEC = 14 * 3600;

/** Applies defaults and rejects bad options early, before any model runs. */
export function resolveOptions(options: ForecastOptions): ResolvedOptions {
  const { horizonSteps } = options;
  if (!Number.isInteger(horizonSteps) || horizonSteps <= 0) {
    throw new ForecastOptionsError('horizonSteps', horizonSteps, 'a positive integer');
  }
  const upperQuantile = options.upperQuantile ?? DEFAULT_UPPER_QUANTILE;
  if (!(upperQuantile > 0.5 && upperQuantile < 1)) {
    throw new ForecastOptionsError('upperQuantile', upperQuantile, 'strictly between 0.5 and 1');
  }
  const weekendUtcOffsetSec = options.weekendUtcOffsetSec ?? 0;
  if (!(Math.abs(weekendUtcOffsetSec) <= MAX_UTC_OFFSET_SEC)) {
    throw new ForecastOptionsError(
      'weekendUtcOffsetSec',
      weekendUtcOffsetSec,
      `between ${-MAX_UTC_OFFSET_SEC} and ${MAX_UTC_OFFSET_SEC} (±14 h)`,
    );
  }
  return { horizonSteps, upperQuantile, weekendUtcOffsetSec };
}

/** Steps per day for a grid step: the daily seasonal period `m` of the forecast protocol. */
export function stepsPerDay(stepSec: number): number {
  return Math.max(1, Math.round(86_400 / stepSec));
}
